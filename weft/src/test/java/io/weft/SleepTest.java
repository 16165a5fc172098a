package io.weft;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Weft.sleep, on every executor kind. */
@ParameterizedClass
@EnumSource(ExecutorKind.class)
class SleepTest {
    private final ExecutorKind kind;

    SleepTest(ExecutorKind kind) {
        this.kind = kind;
    }

    @Test
    void sleepCompletesAfterAtLeastTheDuration() {
        try (var ex = kind.open()) {
            for (Duration d : List.of(Duration.ofMillis(1), Duration.ofMillis(20), Duration.ofMillis(50))) {
                long elapsed = ex.run(() -> {
                    long t0 = System.nanoTime();
                    Weft.sleep(d).await();
                    return System.nanoTime() - t0;
                });
                assertThat(elapsed).as("slept %s", d).isGreaterThanOrEqualTo(d.toNanos());
            }
        }
    }

    @Test
    void concurrentSleepsWakeInDeadlineOrderEachAfterItsDuration() {
        try (var ex = kind.open()) {
            List<Integer> order = Collections.synchronizedList(new ArrayList<>());
            List<Long> overshoot = Collections.synchronizedList(new ArrayList<>());
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
    void abortedSleepDoesNotWakeTheTaskLater() {
        try (var ex = kind.open()) {
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

    /**
     * One sleep awaited by two tasks at once: the second is refused with an
     * error that says so, and the first still wakes at the deadline. On one
     * thread the second used to take the timer's waker silently, and the
     * first slept for ever.
     */
    @Test
    void aSleepAwaitedByASecondTaskAtOnceIsRefusedAndTheFirstStillWakes() {
        try (var ex = kind.open()) {
            List<String> outcomes = ex.run(() -> {
                CancellableFuture<Void> s = Weft.sleep(Duration.ofMillis(50));
                var first = Weft.spawn(() -> {
                    s.await();
                    return "first woke";
                });
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (!((io.weft.time.Sleep) s).isArmed() && System.nanoTime() - deadline < 0) {
                    Weft.yieldNow().await(); // until the first task has armed it (on any worker)
                }
                var second = Weft.spawn(() -> {
                    s.await();
                    return "second woke";
                });
                List<String> got = new ArrayList<>();
                try {
                    got.add(second.await());
                } catch (TaskFailedException e) {
                    got.add(e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage());
                }
                try {
                    got.add(io.weft.time.Timeout.of(Duration.ofSeconds(10), first).await());
                } catch (io.weft.time.TimedOutException e) {
                    got.add("first still asleep 10 s later");
                }
                return got;
            });
            assertThat(outcomes.get(0)).startsWith("IllegalStateException").contains("one task at a time");
            assertThat(outcomes.get(1)).isEqualTo("first woke");
        }
    }
}
