package io.weft.time;

import java.time.Duration;

/** Deadline arithmetic on clock readings (nanoTime scale, compared by subtraction). */
public final class Deadlines {
    /** The farthest a deadline may lie ahead, so that {@code a - b} of two readings never overflows (~146 years). */
    public static final long MAX_AHEAD = Long.MAX_VALUE / 2;

    private Deadlines() {
    }

    /** {@code now + d}: a negative {@code d} counts as zero, a huge one is capped at {@link #MAX_AHEAD}. */
    public static long after(long now, Duration d) {
        if (d.isNegative()) {
            return now;
        }
        long n;
        try {
            n = d.toNanos();
        } catch (ArithmeticException e) {
            n = MAX_AHEAD;
        }
        return now + Math.min(n, MAX_AHEAD);
    }

    /**
     * {@code deadline} (a clock reading), brought within {@link #MAX_AHEAD} of
     * {@code now}: a deadline farther ahead than that would wrap when compared
     * by subtraction, and is taken as {@code now + MAX_AHEAD} (~146 years).
     */
    public static long clamp(long now, long deadline) {
        long ahead = deadline - now;
        return ahead > MAX_AHEAD || ahead < -MAX_AHEAD ? (ahead > 0 ? now + MAX_AHEAD : now - MAX_AHEAD) : deadline;
    }

    /**
     * A shutdown's grace in nanoseconds: a negative one counts as zero, one
     * too long to count (ChronoUnit.FOREVER's) as {@link #MAX_AHEAD}.
     */
    public static long graceNanos(Duration grace) {
        if (grace == null) {
            throw new NullPointerException("grace");
        }
        if (grace.isNegative()) {
            return 0;
        }
        try {
            return Math.min(grace.toNanos(), MAX_AHEAD);
        } catch (ArithmeticException tooLong) {
            return MAX_AHEAD;
        }
    }

    /** {@code d} in nanoseconds, which must be positive; {@code what} names it in the error. */
    public static long positiveNanos(Duration d, String what) {
        if (d == null) {
            throw new NullPointerException(what);
        }
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive: " + d);
        }
        try {
            return Math.min(d.toNanos(), MAX_AHEAD);
        } catch (ArithmeticException e) {
            return MAX_AHEAD;
        }
    }
}
