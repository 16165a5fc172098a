package io.weft;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Weft.sleep. */
class SleepTest {

    @Test
    void sleepCompletesAfterAtLeastTheDuration() {
        try (var ex = LocalExecutor.create()) {
            for (Duration d : List.of(Duration.ofMillis(1), Duration.ofMillis(20), Duration.ofMillis(50))) {
                long elapsed = ex.run(() -> {
                    long t0 = System.nanoTime();
                    Weft.sleep(d).await();
                    return System.nanoTime() - t0;
                });
                assertThat(elapsed).as("slept %s", d).isGreaterThanOrEqualTo(d.toNanos());
            }
            assertThat(ex.stats().parks()).as("the idle loop parked until the timer").isPositive();
        }
    }

    @Test
    void concurrentSleepsWakeInDeadlineOrderEachAfterItsDuration() {
        try (var ex = LocalExecutor.create()) {
            List<Integer> order = new ArrayList<>();
            List<Long> overshoot = new ArrayList<>();
            ex.run(() -> {
                List<JoinHandle<Void>> hs = new ArrayList<>();
                for (int ms : new int[] {60, 20, 40}) {
                    long t0 = System.nanoTime();
                    Future<Void> sleep = Weft.sleep(Duration.ofMillis(ms)); // deadlines fixed here, together
                    hs.add(Weft.spawn(() -> {
                        sleep.await();
                        overshoot.add(System.nanoTime() - t0 - Duration.ofMillis(ms).toNanos());
                        order.add(ms);
                    }));
                }
                for (var h : hs) {
                    h.await();
                }
                return null;
            });
            assertThat(order).containsExactly(20, 40, 60);
            assertThat(overshoot).hasSize(3).allSatisfy(o -> assertThat(o).isNotNegative());
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
    void abortedSleepDoesNotWakeTheTaskLater() {
        try (var ex = LocalExecutor.create()) {
            String r = ex.run(() -> {
                var h = Weft.spawn(() -> {
                    Weft.sleep(Duration.ofMillis(5)).await();
                    return "slept";
                });
                Weft.yieldNow().await();
                h.abort();
                String out;
                try {
                    out = h.await();
                } catch (TaskCancelledException e) {
                    out = "cancelled";
                }
                Weft.sleep(Duration.ofMillis(10)).await(); // the aborted timer fires meanwhile: harmless
                return out;
            });
            assertThat(r).isEqualTo("cancelled");
            assertThat(ex.liveTasks()).isZero();
        }
    }
}
