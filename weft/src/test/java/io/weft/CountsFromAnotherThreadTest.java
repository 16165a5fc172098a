package io.weft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * An executor's counts read from another thread while its loop spawns and
 * completes tasks: a little stale, never inconsistent (more tasks completed
 * than spawned, a negative number alive). The reads took the spawn count
 * first, so a completion between the two reads could make it negative.
 */
class CountsFromAnotherThreadTest {

    @Test
    void liveTasksAndMetricsAreNeverNegativeWhileTasksComeAndGo() throws Exception {
        try (var ex = LocalExecutor.builder().start()) {
            AtomicBoolean stop = new AtomicBoolean();
            var churn = ex.spawn(() -> {
                while (!stop.get()) {
                    Weft.spawn(() -> null).await();
                }
                return null;
            });
            long worst = 0;
            for (int i = 0; i < 2_000_000; i++) {
                worst = Math.min(worst, ex.liveTasks());
                if ((i & 1023) == 0) {
                    var m = ex.metrics();
                    worst = Math.min(worst, m.tasksAlive());
                    worst = Math.min(worst, m.tasksSpawned() - m.tasksCompleted());
                    var s = ex.stats();
                    worst = Math.min(worst, s.tasksSpawned() - s.tasksCompleted());
                }
            }
            stop.set(true);
            churn.await();
            assertThat(worst).as("the fewest tasks alive seen from this thread").isNotNegative();
        }
    }
}
