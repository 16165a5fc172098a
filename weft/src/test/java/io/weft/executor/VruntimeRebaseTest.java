package io.weft.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.Latency;
import io.weft.LocalExecutor;
import io.weft.Shares;
import io.weft.Weft;
import org.junit.jupiter.api.Test;

/**
 * Vruntimes stay far from overflow however long queues run: once the floor
 * of vruntimes passes {@link Scheduler#REBASE_AT}, every queue's is brought
 * down by it, in order. (The rebase used to subtract the smallest vruntime
 * of all queues, an idle one's 0 among them: nothing, and a queue's
 * vruntime would go on to wrap negative and win every pick.)
 */
class VruntimeRebaseTest {

    @Test
    void vruntimesComeDownOnceTheFloorPassesTheRebasePointAndKeepTheirOrder() {
        try (var ex = LocalExecutor.builder().build()) {
            ex.run(() -> {
                TaskQueue idle = (TaskQueue) Weft.createTaskQueue("idle", Shares.fixed(10), Latency.notImportant());
                TaskQueue a = (TaskQueue) Weft.createTaskQueue("a", Shares.fixed(1000), Latency.notImportant());
                TaskQueue b = (TaskQueue) Weft.createTaskQueue("b", Shares.fixed(1000), Latency.notImportant());
                a.vruntime = Scheduler.REBASE_AT + 5_000_000_000L; // as if they had run for ages
                b.vruntime = Scheduler.REBASE_AT + 7_000_000_000L;
                var ha = Weft.spawnInto(a, () -> 1);
                var hb = Weft.spawnInto(b, () -> 2);
                ha.await();
                hb.await();
                assertThat(a.vruntime).as("brought down").isLessThan(Scheduler.REBASE_AT);
                assertThat(b.vruntime).as("brought down").isLessThan(Scheduler.REBASE_AT);
                assertThat(b.vruntime - a.vruntime).as("their distance kept").isGreaterThan(1_000_000_000L);
                assertThat(idle.vruntime).isZero();
                return null;
            });
        }
    }
}
