package io.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.weft.Clock;
import java.time.Duration;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.J_Result;

/**
 * Two threads move one paused clock at once, as an executor's loop (moving
 * it to its next timer, {@code advanceTo}) and a test thread or task
 * ({@code advance}) may: the clock never goes back, and an advance is by
 * its amount from the reading it replaced. Result: the reading afterwards.
 */
public final class PausedClockMovesTest {
    private PausedClockMovesTest() {
    }

    @JCStressTest
    @Description("Clock.Paused: advanceTo(10) racing advance(5 ns) never leaves the clock behind 10.")
    @Outcome(id = "10", expect = ACCEPTABLE, desc = "The advance first (to 5), then the move to 10.")
    @Outcome(id = "15", expect = ACCEPTABLE, desc = "The move to 10 first, then the advance by 5.")
    @Outcome(id = "5", expect = FORBIDDEN, desc = "BACKWARD: the advance's older reading overwrote the move to 10.")
    @Outcome(expect = FORBIDDEN, desc = "Anything else is a bug.")
    @State
    public static class MoveToVsAdvance {
        final Clock.Paused clock = Clock.paused();

        @Actor
        public void loop() {
            clock.advanceTo(10);
        }

        @Actor
        public void task() {
            clock.advance(Duration.ofNanos(5));
        }

        @Arbiter
        public void reading(J_Result r) {
            r.r1 = clock.nanoTime();
        }
    }

    @JCStressTest
    @Description("Clock.Paused: two advances at once add up.")
    @Outcome(id = "3", expect = ACCEPTABLE, desc = "1 ns and 2 ns: 3 ns.")
    @Outcome(expect = FORBIDDEN, desc = "LOST: one advance overwrote the other.")
    @State
    public static class AdvanceVsAdvance {
        final Clock.Paused clock = Clock.paused();

        @Actor
        public void one() {
            clock.advance(Duration.ofNanos(1));
        }

        @Actor
        public void two() {
            clock.advance(Duration.ofNanos(2));
        }

        @Arbiter
        public void reading(J_Result r) {
            r.r1 = clock.nanoTime();
        }
    }
}
