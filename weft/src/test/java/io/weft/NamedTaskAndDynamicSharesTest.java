package io.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class NamedTaskAndDynamicSharesTest {

    @Test
    void aNamedTaskIsNamedInMessagesAndInTheUnobservedFailureReport() {
        List<String> reported = new ArrayList<>();
        try (var ex = LocalExecutor.builder().onUnobservedFailure((name, error) -> reported.add(name + ": " + error.getMessage())).build()) {
            ex.run(() -> {
                JoinHandle<Integer> h = Weft.spawn("compactor", () -> {
                    throw new IllegalStateException("disk full");
                });
                assertThatThrownBy(h::await)
                        .isInstanceOf(TaskFailedException.class)
                        .hasMessageContaining("compactor");
                JoinHandle<Object> dropped = Weft.spawn("flusher", () -> {
                    throw new IllegalStateException("no space");
                });
                Weft.yieldNow().await(); // the flusher runs and fails; nobody awaits it
                assertThat(dropped.isFinished()).isTrue();
                return null;
            });
        }
        assertThat(reported).containsExactly("flusher: no space");
    }

    @Test
    void spawnWithANullNameIsRefused() {
        try (var ex = LocalExecutor.create()) {
            ex.run(() -> {
                assertThatThrownBy(() -> Weft.spawn((String) null, () -> 1))
                        .isInstanceOf(NullPointerException.class)
                        .hasMessageContaining("task name");
                return null;
            });
        }
    }

    @Test
    void dynamicSharesAreReadAgainWhileTheQueueRuns() {
        AtomicInteger wanted = new AtomicInteger(100);
        AtomicInteger reads = new AtomicInteger();
        SharesManager manager = () -> {
            reads.incrementAndGet();
            return wanted.get();
        };
        try (var ex = LocalExecutor.builder().preemptTimer(Duration.ofMillis(5)).build()) {
            ex.run(() -> {
                TaskQueueHandle q = Weft.createTaskQueue("dyn", Shares.dynamic(manager), Latency.notImportant());
                assertThat(q.stats().shares()).isEqualTo(100);
                int readsAtCreation = reads.get();
                assertThat(readsAtCreation).isEqualTo(1);
                wanted.set(700);
                // Busy for 400 ms of CPU in this queue: longer than the 250 ms refresh period.
                Weft.spawnInto(q, () -> {
                    long until = System.nanoTime() + 400_000_000L;
                    while (System.nanoTime() < until) {
                        Weft.yieldIfNeeded();
                    }
                    return null;
                }).await();
                assertThat(reads.get()).isGreaterThan(readsAtCreation);
                assertThat(q.stats().shares()).isEqualTo(700);
                return null;
            });
        }
    }

    /**
     * A shares manager that throws is reported, its queue keeps its last
     * shares, and the executor goes on: the task in the queue finishes, the
     * queue runs later tasks, and close returns. Without it the throw left
     * the loop mid-slice: run() threw the manager's exception, the queue
     * never ran again, and close waited for its tasks for ever.
     */
    @Test
    void aSharesManagerThatThrowsIsReportedAndTheQueueGoesOn() {
        java.util.concurrent.atomic.AtomicBoolean broken = new java.util.concurrent.atomic.AtomicBoolean();
        SharesManager manager = () -> {
            if (broken.get()) {
                throw new IllegalStateException("controller down");
            }
            return 200;
        };
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            try (var ex = LocalExecutor.builder().preemptTimer(Duration.ofMillis(5)).build()) {
                TaskQueueHandle q = ex.run(() -> Weft.createTaskQueue("dyn", Shares.dynamic(manager),
                        Latency.notImportant()));
                broken.set(true);
                int one = ex.run(() -> Weft.spawnInto(q, () -> {
                    long until = System.nanoTime() + 400_000_000L; // past the 250 ms refresh: the manager is asked
                    while (System.nanoTime() < until) {
                        Weft.yieldIfNeeded();
                    }
                    return 1;
                }).await());
                assertThat(one).isEqualTo(1);
                assertThat(ex.run(() -> Weft.spawnInto(q, () -> 7).await())).isEqualTo(7);
                assertThat(q.stats().shares()).as("the last shares it gave").isEqualTo(200);
                ex.run(() -> Weft.spawnInto(q, () -> new Probes.Gate<Integer>().await())); // left for the close
            }
        });
    }
}
