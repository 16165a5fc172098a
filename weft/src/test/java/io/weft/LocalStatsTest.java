package io.weft;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What a LocalExecutor's counters show of the behaviours the suites check on
 * every executor kind (those suites do not read counters: a StealingExecutor
 * has none yet).
 */
class LocalStatsTest {

    @Test
    void aLocalExecutorParksUntilTheTimer() {
        try (var ex = LocalExecutor.create()) {
            ex.run(() -> Weft.sleep(Duration.ofMillis(20)).await());
            assertThat(ex.stats().parks()).as("the idle loop parked until the timer").isPositive();
        }
    }

    @Test
    void zeroAndNegativeSleepsAreReadyAtOnce() {
        try (var ex = LocalExecutor.create()) {
            long polls = ex.run(() -> {
                Weft.yieldNow().await();
                long before = Weft.current().stats().polls();
                Weft.sleep(Duration.ZERO).await();
                Weft.sleep(Duration.ofMillis(-5)).await();
                return Weft.current().stats().polls() - before;
            });
            assertThat(polls).as("no suspension").isZero();
        }
    }

    @Test
    void awaitingAFinishedHandleNeverSuspends() {
        try (var ex = LocalExecutor.create()) {
            long[] polls = new long[2];
            ex.run(() -> {
                var t = Weft.spawn(() -> "x");
                t.await();
                polls[0] = Weft.current().stats().polls();
                for (int i = 0; i < 10; i++) {
                    t.await();
                }
                polls[1] = Weft.current().stats().polls();
                return null;
            });
            assertThat(polls[1]).as("no suspension while awaiting a finished handle").isEqualTo(polls[0]);
        }
    }

    @Test
    void nestedSpawnsAreCountedSpawnedAndCompleted() {
        try (var ex = LocalExecutor.create()) {
            assertThat(ex.run(() -> CoroutineTest.nest(1000))).isEqualTo(1000);
            assertThat(ex.stats().tasksSpawned()).isEqualTo(1001);
            assertThat(ex.stats().tasksCompleted()).isEqualTo(1001);
        }
    }
}
