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
}
