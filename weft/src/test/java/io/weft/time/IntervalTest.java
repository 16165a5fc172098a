package io.weft.time;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.Clock;
import io.weft.LocalExecutor;
import io.weft.Weft;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Interval on a paused clock: period 100 ms, the task is busy from 100 ms to
 * 350 ms (it advances the clock by 250 ms after the second tick).
 */
class IntervalTest {
    private static final long MS = 1_000_000L;

    /** Ticks as "deadline@completed", in ms since the start. */
    private static List<String> ticks(MissedTickBehavior b, int n) {
        Clock.Paused clock = Clock.paused();
        try (var ex = LocalExecutor.builder().clock(clock).build()) {
            return ex.run(() -> {
                long t0 = Weft.clock().nanoTime();
                Interval every = Interval.every(Duration.ofMillis(100)).missedTickBehavior(b);
                List<String> out = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    long deadline = every.tick().await();
                    out.add((deadline - t0) / MS + "@" + (Weft.clock().nanoTime() - t0) / MS);
                    if (i == 1) {
                        clock.advance(Duration.ofMillis(250)); // late: busy until 350 ms
                    }
                }
                return out;
            });
        }
    }

    @Test
    void burstCatchesUpWithTicksBackToBack() {
        assertThat(ticks(MissedTickBehavior.BURST, 6))
                .containsExactly("0@0", "100@100", "200@350", "300@350", "400@400", "500@500");
    }

    @Test
    void delayRestartsThePeriodFromTheLateTick() {
        assertThat(ticks(MissedTickBehavior.DELAY, 5))
                .containsExactly("0@0", "100@100", "200@350", "450@450", "550@550");
    }

    @Test
    void skipDropsTheMissedTicksAndStaysOnTheGrid() {
        assertThat(ticks(MissedTickBehavior.SKIP, 5))
                .containsExactly("0@0", "100@100", "200@350", "400@400", "500@500");
    }

    @Test
    void onTimeTicksAreTheSameForAllBehaviours() {
        for (MissedTickBehavior b : MissedTickBehavior.values()) {
            Clock.Paused clock = Clock.paused();
            try (var ex = LocalExecutor.builder().clock(clock).build()) {
                List<Long> ds = ex.run(() -> {
                    Interval every = Interval.every(Duration.ofMillis(7)).missedTickBehavior(b);
                    List<Long> out = new ArrayList<>();
                    for (int i = 0; i < 4; i++) {
                        out.add(every.tick().await() / MS);
                    }
                    return out;
                });
                assertThat(ds).as("%s", b).containsExactly(0L, 7L, 14L, 21L);
            }
        }
    }

    @Test
    void oneWheelEntryServesEveryTick() {
        Clock.Paused clock = Clock.paused();
        try (var ex = LocalExecutor.builder().clock(clock).build()) {
            long[] r = ex.run(() -> {
                Timers timers = io.weft.executor.Worker.current("test").timers();
                Interval every = Interval.every(Duration.ofMillis(1));
                for (int i = 0; i < 1000; i++) {
                    every.tick().await();
                }
                return new long[] {timers.added(), timers.size()};
            });
            assertThat(r[0]).as("arms: one per tick that had to wait").isEqualTo(999);
            assertThat(r[1]).isZero();
        }
    }

    /**
     * A tick given up before its first poll (a select that something else
     * won at once) must not disarm the timer that another task's pending
     * tick of the same interval waits on.
     */
    @Test
    void cancellingAnUnpolledTickLeavesAPendingTickArmed() {
        try (var ex = LocalExecutor.builder().clock(Clock.paused()).build()) {
            long at = ex.run(() -> {
                long t0 = Weft.clock().nanoTime();
                Interval every = Interval.every(Duration.ofMillis(100));
                every.tick().await(); // the first is at once
                var waiter = Weft.spawn(() -> every.tick().await());
                Weft.yieldNow().await(); // its tick is armed for 100 ms
                io.weft.Futures.select(io.weft.Futures.ready("now"), every.tick()).await();
                return Timeout.of(Duration.ofSeconds(1), waiter).await() - t0;
            });
            assertThat(at / MS).as("the waiter's tick came at its deadline").isEqualTo(100);
        }
    }
    /**
     * A reset while another task awaits a tick moves that tick to the new
     * grid: it comes one period after the reset. The reset used to take the
     * timer out of the wheel and leave the waiting task with nothing to wake
     * it (here its one-second timeout fired instead).
     */
    @Test
    void aResetWhileATickIsAwaitedMovesThatTickToTheNewGrid() {
        Clock.Paused clock = Clock.paused();
        try (var ex = LocalExecutor.builder().clock(clock).build()) {
            long at = ex.run(() -> {
                long t0 = Weft.clock().nanoTime();
                Interval every = Interval.every(Duration.ofMillis(100));
                every.tick().await(); // the first is at once
                var waiter = Weft.spawn(() -> every.tick().await());
                Weft.yieldNow().await(); // its tick is armed for 100 ms
                clock.advance(Duration.ofMillis(30));
                every.reset(); // the next tick one period from now: 130 ms
                return Timeout.of(Duration.ofSeconds(1), waiter).await() - t0;
            });
            assertThat(at / MS).as("the waiter's tick came one period after the reset").isEqualTo(130);
        }
    }
}
