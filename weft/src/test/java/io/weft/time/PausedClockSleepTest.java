package io.weft.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.Clock;
import io.weft.Future;
import io.weft.JoinHandle;
import io.weft.LocalExecutor;
import io.weft.TaskCancelledException;
import io.weft.Weft;
import io.weft.executor.ExecutorCore;
import io.weft.executor.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Weft.sleep / sleepUntil on an executor with a paused clock. */
class PausedClockSleepTest {

    private static LocalExecutor paused(Clock.Paused clock) {
        return LocalExecutor.builder().clock(clock).build();
    }

    private static ExecutorCore core() {
        return (ExecutorCore) Worker.current("test");
    }

    @Test
    void aSleepOfOneHourCompletesAtOnceAndTheClockReadsOneHourLater() {
        Clock.Paused clock = Clock.paused();
        try (var ex = paused(clock)) {
            long[] r = ex.run(() -> {
                long t0 = Weft.clock().nanoTime();
                Weft.sleep(Duration.ofHours(1)).await();
                return new long[] {t0, Weft.clock().nanoTime(), core().timedParks(), core().clockJumps()};
            });
            assertThat(r[1] - r[0]).isEqualTo(Duration.ofHours(1).toNanos());
            assertThat(clock.nanoTime()).isEqualTo(Duration.ofHours(1).toNanos());
            assertThat(r[2]).as("the loop never parked: virtual time jumped").isZero();
            assertThat(r[3]).as("jumps: the deadline, or a few cascade points before it").isBetween(1L, 6L);
        }
    }

    @Test
    void timeStandsStillWhileTasksRun() {
        Clock.Paused clock = Clock.paused();
        try (var ex = paused(clock)) {
            long moved = ex.run(() -> {
                long t0 = Weft.clock().nanoTime();
                for (int i = 0; i < 1000; i++) {
                    Weft.yieldNow().await();
                }
                return Weft.clock().nanoTime() - t0;
            });
            assertThat(moved).isZero();
        }
    }

    @Test
    void sleepUntilNanosAndInstantUseTheExecutorsClock() {
        Clock.Paused clock = Clock.paused();
        try (var ex = paused(clock)) {
            long[] r = ex.run(() -> {
                Weft.sleepUntil(Duration.ofMinutes(5).toNanos()).await();
                long a = Weft.clock().nanoTime();
                Instant target = Weft.clock().instant().plus(Duration.ofDays(2));
                Weft.sleepUntil(target).await();
                long b = Weft.clock().nanoTime();
                Weft.sleepUntil(0L).await(); // in the past: ready at once
                return new long[] {a, b, Weft.clock().nanoTime()};
            });
            assertThat(r[0]).isEqualTo(Duration.ofMinutes(5).toNanos());
            assertThat(r[1]).isEqualTo(Duration.ofMinutes(5).plus(Duration.ofDays(2)).toNanos());
            assertThat(r[2]).isEqualTo(r[1]);
        }
    }

    @Test
    void extremeDeadlinesNeitherWrapNorFireEarly() {
        Clock.Paused clock = Clock.paused();
        try (var ex = paused(clock)) {
            clock.advance(Duration.ofDays(1));
            String r = ex.run(() -> {
                long now = Weft.clock().nanoTime();
                Weft.sleepUntil(now - Duration.ofDays(1).toNanos()).await(); // past: ready at once
                assertThat(Weft.clock().nanoTime()).isEqualTo(now);
                // Long.MAX_VALUE is more than MAX_AHEAD ahead: clamped to ~146 years, not wrapped into the past.
                try {
                    Timeout.of(Duration.ofHours(1), Weft.sleepUntil(Long.MAX_VALUE)).await();
                    return "the far sleep completed";
                } catch (TimedOutException e) {
                    return "timed out";
                }
            });
            assertThat(r).isEqualTo("timed out");
            assertThat(clock.nanoTime()).isEqualTo(Duration.ofHours(25).toNanos());
        }
    }

    @Test
    void aSleepFarBeyondTheWheelsTopLevelStillCompletes() {
        Clock.Paused clock = Clock.paused();
        try (var ex = paused(clock)) {
            Duration fiveYears = Duration.ofDays(5 * 365);
            ex.run(() -> {
                Weft.sleep(fiveYears).await();
                return null;
            });
            assertThat(clock.nanoTime()).isEqualTo(fiveYears.toNanos());
        }
    }

    @Test
    void aTaskAbortedWhileSleepingFreesItsTimerAtOnceAndTheTimerNeverFires() {
        Clock.Paused clock = Clock.paused();
        try (var ex = paused(clock)) {
            List<String> events = new ArrayList<>();
            int[] sizes = ex.run(() -> {
                Timers timers = core().timers();
                JoinHandle<Void> h = Weft.spawn(() -> {
                    try {
                        Weft.sleep(Duration.ofHours(1)).await();
                        events.add("woke");
                    } finally {
                        events.add("finally, timers armed: " + timers.size());
                    }
                });
                Weft.yieldNow().await(); // h is now asleep
                int armed = timers.size();
                h.abort();
                assertThatThrownBy(h::await).isInstanceOf(TaskCancelledException.class);
                return new int[] {armed, timers.size(), (int) timers.firedCount()};
            });
            assertThat(sizes[0]).as("armed while asleep").isEqualTo(1);
            assertThat(sizes[1]).as("armed after the abort").isZero();
            assertThat(sizes[2]).as("fired").isZero();
            assertThat(events).containsExactly("finally, timers armed: 0");
            assertThat(clock.nanoTime()).as("virtual time never went to the cancelled deadline").isZero();
        }
    }

    @Test
    void anExplicitlyCancelledSleepNeverWakesItsTask() {
        Clock.Paused clock = Clock.paused();
        try (var ex = paused(clock)) {
            long fired = ex.run(() -> {
                Sleep s = (Sleep) Weft.sleep(Duration.ofMillis(10));
                Probe probe = new Probe();
                assertThat(s.poll(new io.weft.Context(probe)).isReady()).isFalse();
                s.cancel();
                Weft.sleep(Duration.ofMillis(50)).await(); // time passes the cancelled deadline
                assertThat(probe.wakes).isZero();
                return core().timers().firedCount();
            });
            assertThat(fired).as("only the second sleep fired").isEqualTo(1);
            assertThat(clock.nanoTime()).isEqualTo(Duration.ofMillis(50).toNanos());
        }
    }

    @Test
    void oneHundredThousandSleepingTasksWakeInDeadlineOrderTiesInSpawnOrder() {
        Clock.Paused clock = Clock.paused();
        try (var ex = paused(clock)) {
            int n = 100_000;
            long[] ms = new long[n];
            long[] wokeAt = new long[n];
            Random rnd = new Random(1);
            for (int i = 0; i < n; i++) {
                ms[i] = i % 2 == 0 ? rnd.nextInt(2_000) : rnd.nextLong(10_000_000L);
            }
            List<Integer> order = new ArrayList<>(n);
            ex.run(() -> {
                List<JoinHandle<Void>> hs = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    int id = i;
                    Future<Void> sleep = Weft.sleep(Duration.ofMillis(ms[i]));
                    hs.add(Weft.spawn(() -> {
                        sleep.await();
                        wokeAt[id] = Weft.clock().nanoTime();
                        order.add(id);
                    }));
                }
                for (var h : hs) {
                    h.await();
                }
                return null;
            });
            List<Integer> expected = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                expected.add(i);
                assertThat(wokeAt[i]).as("task %d woke at its deadline", i).isEqualTo(ms[i] * 1_000_000L);
            }
            expected.sort(Comparator.<Integer>comparingLong(i -> ms[i]).thenComparingInt(i -> i));
            assertThat(order).isEqualTo(expected);
        }
    }

    @Test
    void advanceFromATaskFiresTheTimersItPasses() {
        Clock.Paused clock = Clock.paused();
        try (var ex = paused(clock)) {
            List<String> events = new ArrayList<>();
            ex.run(() -> {
                var h = Weft.spawn(() -> {
                    Weft.sleep(Duration.ofSeconds(1)).await();
                    events.add("slept until " + Weft.clock().nanoTime());
                });
                Weft.yieldNow().await();
                clock.advance(Duration.ofSeconds(3)); // a task "late" by 3 s of busy work
                events.add("advanced");
                h.await();
                return null;
            });
            assertThat(events).containsExactly("advanced", "slept until 3000000000");
        }
    }

    @Test
    void withNoTimerAPausedLoopParksForARemoteWakeAndTheClockStaysPut() throws Exception {
        Clock.Paused clock = Clock.paused();
        try (var ex = paused(clock)) {
            java.util.concurrent.CompletableFuture<io.weft.Waker> parked = new java.util.concurrent.CompletableFuture<>();
            boolean[] open = new boolean[1];
            java.util.concurrent.atomic.AtomicBoolean opened = new java.util.concurrent.atomic.AtomicBoolean();
            Thread loop = Thread.currentThread();
            Thread other = Thread.ofPlatform().start(() -> {
                io.weft.Waker w = parked.join();
                while (loop.getState() != Thread.State.WAITING) { // until the loop has parked (untimed)
                    Thread.onSpinWait();
                }
                opened.set(true);
                w.wake();
            });
            long[] r = ex.run(() -> {
                Future<String> remote = cx -> {
                    if (opened.get()) {
                        return io.weft.Poll.ready("opened");
                    }
                    parked.complete(cx.waker());
                    return io.weft.Poll.pending();
                };
                String v = remote.await();
                open[0] = v.equals("opened");
                return new long[] {Weft.clock().nanoTime(), core().clockJumps(), core().stats().remoteWakes(),
                    core().timedParks()};
            });
            other.join();
            assertThat(open[0]).isTrue();
            assertThat(r[0]).as("no timer: the clock never moved").isZero();
            assertThat(r[1]).as("clock jumps").isZero();
            assertThat(r[2]).as("woken from the other thread").isEqualTo(1);
            assertThat(r[3]).as("the park had no timeout").isZero();
        }
    }

    @Test
    void theSystemClockLoopParksUntilTheTimerAndIsWokenByIt() {
        try (var ex = LocalExecutor.create()) {
            long[] r = ex.run(() -> {
                ExecutorCore core = core();
                long parks0 = core.timedParks();
                long fires0 = core.timerFires();
                long t0 = System.nanoTime();
                Weft.sleep(Duration.ofMillis(20)).await();
                long slept = System.nanoTime() - t0;
                return new long[] {slept, core.timedParks() - parks0, core.lastParkNanos(), core.timerFires() - fires0};
            });
            assertThat(r[0]).as("slept at least 20 ms").isGreaterThanOrEqualTo(Duration.ofMillis(20).toNanos());
            assertThat(r[1]).as("timed parks: one, or a few after spurious wake-ups, never a polling loop")
                    .isBetween(1L, 5L);
            assertThat(r[2]).as("the park never outlasts the deadline (20 ms, rounded up to the 1 ms tick)")
                    .isPositive().isLessThanOrEqualTo(Duration.ofMillis(21).toNanos());
            assertThat(r[3]).as("the timer fired and woke the task").isEqualTo(1);
        }
    }

    static final class Probe implements io.weft.Waker {
        int wakes;

        @Override
        public void wake() {
            wakes++;
        }
    }
}
