package io.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Weft#removeTaskQueue}: a queue per tenant, made and removed as
 * tenants come and go, no longer grows the executor's list for good. As
 * glommio's {@code remove_task_queue}: refused while a task of the queue is
 * live; after it, spawning into the queue says it was removed.
 */
class TaskQueueRemovalTest {

    private static List<String> queueNames(LocalExecutor ex) {
        return ex.stats().queues().stream().map(TaskQueueStats::name).toList();
    }

    @Test
    void aQueueIsRemovedOnceItsTasksHaveFinishedAndThenRefusesSpawns() {
        try (var ex = LocalExecutor.create()) {
            ex.run(() -> {
                TaskQueueHandle q = Weft.createTaskQueue("tenant-7", Shares.fixed(100), Latency.notImportant());
                Probes.Gate<String> gate = new Probes.Gate<>();
                JoinHandle<String> h = Weft.spawnInto(q, gate::await);
                Weft.yieldNow().await(); // it runs and waits on the gate: live, on no run queue
                assertThatThrownBy(() -> Weft.removeTaskQueue(q)).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("tenant-7").hasMessageContaining("1 live task");
                gate.open("done");
                assertThat(h.await()).isEqualTo("done");
                Weft.removeTaskQueue(q);
                assertThat(queueNames(ex)).containsExactly("default");
                assertThatThrownBy(() -> Weft.spawnInto(q, () -> 1)).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("tenant-7").hasMessageContaining("removed");
                assertThatThrownBy(() -> Weft.removeTaskQueue(q)).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("removed");
                assertThat(Weft.spawn(() -> "the executor runs on").await()).isEqualTo("the executor runs on");
                return null;
            });
        }
    }

    @Test
    void queuesMadeAndRemovedOneAfterAnotherLeaveOnlyTheLiveOnes() {
        try (var ex = LocalExecutor.create()) {
            ex.run(() -> {
                TaskQueueHandle keep = Weft.createTaskQueue("keep", Shares.fixed(10), Latency.notImportant());
                for (int i = 0; i < 10_000; i++) {
                    TaskQueueHandle q = Weft.createTaskQueue("tenant-" + i, Shares.fixed(100), Latency.notImportant());
                    int k = i;
                    assertThat(Weft.spawnInto(q, () -> k).await()).isEqualTo(k);
                    Weft.removeTaskQueue(q);
                }
                assertThat(queueNames(ex)).containsExactly("default", "keep");
                assertThat(Weft.spawnInto(keep, () -> "kept").await()).isEqualTo("kept");
                return null;
            });
        }
    }

    @Test
    void aQueueOfAnotherExecutorOrNoneIsRefused() {
        try (var other = LocalExecutor.create(); var ex = LocalExecutor.create()) {
            TaskQueueHandle theirs = other.run(() -> Weft.createTaskQueue("theirs", Shares.fixed(1), Latency.notImportant()));
            ex.run(() -> {
                assertThatThrownBy(() -> Weft.removeTaskQueue(theirs)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("another executor");
                assertThatThrownBy(() -> Weft.removeTaskQueue(null)).isInstanceOf(NullPointerException.class);
                return null;
            });
            assertThat(queueNames(other)).containsExactly("default", "theirs");
        }
    }

    @Test
    void aStealingExecutorSaysItHasNoTaskQueues() {
        try (var ex = StealingExecutor.builder().workers(1).build()) {
            TaskQueueHandle q;
            try (var local = LocalExecutor.create()) {
                q = local.run(() -> Weft.createTaskQueue("local", Shares.fixed(1), Latency.notImportant()));
            }
            ex.blockOn(() -> {
                assertThatThrownBy(() -> Weft.removeTaskQueue(q)).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("LocalExecutor");
                return null;
            });
        }
    }
}
