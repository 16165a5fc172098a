package io.weft;

import java.time.Duration;
import java.time.Instant;

/**
 * The time an executor's timers run on, set with
 * {@link LocalExecutor.Builder#clock(Clock)}: {@link #system()} (the default)
 * or {@link #paused()} (virtual time, for tests).
 *
 * <p>What reads it: the timer wheel, {@code Weft.sleep}/{@code sleepUntil}
 * (their deadlines and their "is it due" check), {@code Timeout} and
 * {@code Interval}. What does not: the scheduler's time slices, vruntimes and
 * {@code needPreempt()}'s end-of-slice check, which measure CPU time actually
 * spent and stay on {@link System#nanoTime()} under either clock.
 *
 * <p>{@link #nanoTime()} has the meaning of {@link System#nanoTime()}: an
 * arbitrary origin, compare two readings by subtraction
 * ({@code a - b >= 0}), never by {@code <}.
 */
public abstract sealed class Clock permits Clock.SystemClock, Clock.Paused {

    Clock() {
    }

    /** The real monotonic clock, {@link System#nanoTime()}. */
    public static Clock system() {
        return SystemClock.INSTANCE;
    }

    /**
     * A virtual clock, as tokio's {@code start_paused}: it starts at 0, stands
     * still while tasks run, and, when every task of its executor is waiting,
     * the executor moves it straight to the next timer's deadline instead of
     * parking (rounded up to the wheel's 1 ms tick). A sleep of an hour
     * completes in microseconds and the clock then reads one hour later.
     * Tasks may also move it forward with {@link Paused#advance(Duration)}
     * (to play a task that is late). A task waiting for another thread (a remote
     * wake) counts as waiting: if a timer exists meanwhile, the clock jumps to
     * it; with no timer the executor parks until the wake, clock unchanged.
     *
     * <p>Give each executor its own paused clock: the executor that owns it
     * moves it whenever its own tasks wait, so a build with a clock another
     * open executor has is refused (IllegalArgumentException).
     */
    public static Paused paused() {
        return new Paused();
    }

    /** Now, in nanoseconds from an arbitrary origin. */
    public abstract long nanoTime();

    /** The wall-clock instant that corresponds to {@link #nanoTime()} now. */
    public abstract Instant instant();

    /** Whether this is a {@link #paused()} clock. */
    public final boolean isPaused() {
        return this instanceof Paused;
    }

    static final class SystemClock extends Clock {
        static final SystemClock INSTANCE = new SystemClock();

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public Instant instant() {
            return Instant.now();
        }

        @Override
        public String toString() {
            return "Clock.system()";
        }
    }

    /**
     * Virtual time. Moved forward only by {@link #advance} and
     * {@link #advanceTo} (by the owning executor's loop when all its tasks
     * wait, by a task, or by any thread); never backward. Readable from any
     * thread. One open executor at a time may have it: building a second
     * with it throws IllegalArgumentException naming the first.
     */
    public static final class Paused extends Clock {
        private static final java.lang.invoke.VarHandle NOW;

        static {
            try {
                NOW = java.lang.invoke.MethodHandles.lookup().findVarHandle(Paused.class, "now", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final Instant origin = Instant.now();
        /**
         * Moved by the owning executor's loop and by {@link #advanceTo} from any thread, with a CAS that only
         * ever raises it: two moves at once leave the later reading, never the earlier.
         */
        private volatile long now;

        private Paused() {
        }

        @Override
        public long nanoTime() {
            return now;
        }

        /** The wall-clock instant when the clock was made, plus the virtual time elapsed since. */
        @Override
        public Instant instant() {
            return origin.plusNanos(now);
        }

        /**
         * Moves the clock forward by {@code d}, from any thread (usually a
         * task of the owning executor). Timers that become due fire at the
         * loop's next look at the timers. A move from another thread while
         * the loop moves it too never takes it back: the later reading wins.
         */
        public void advance(Duration d) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("advance(" + d + "): the clock never goes back");
            }
            long n;
            try {
                n = d.toNanos();
            } catch (ArithmeticException e) {
                n = Long.MAX_VALUE;
            }
            for (;;) {
                long cur = now;
                if (n > LAST - cur) {
                    throw new IllegalArgumentException("advance(" + d + ") would take the paused clock past "
                            + LAST + " ns (about 146 years), beyond which a deadline ahead of it cannot be counted");
                }
                if (NOW.compareAndSet(this, cur, cur + n)) {
                    return; // by n from the reading it replaced: two advances at once add up
                }
            }
        }

        /**
         * The latest reading: a deadline up to {@code Deadlines.MAX_AHEAD}
         * ahead of it still fits in a long.
         */
        private static final long LAST = Long.MAX_VALUE - io.weft.time.Deadlines.MAX_AHEAD;

        /**
         * Moves the clock to {@code nanos} if that is later than now; else
         * does nothing. IllegalArgumentException past about 146 years (see
         * {@link #advance}).
         */
        public void advanceTo(long nanos) {
            if (nanos > LAST) {
                throw new IllegalArgumentException("advanceTo(" + nanos + ") would take the paused clock past "
                        + LAST + " ns (about 146 years), beyond which a deadline ahead of it cannot be counted");
            }
            for (long cur = now; nanos - cur > 0; cur = now) {
                if (NOW.compareAndSet(this, cur, nanos)) {
                    return;
                }
            }
        }

        @Override
        public String toString() {
            return "Clock.paused()@" + now + "ns";
        }
    }
}
