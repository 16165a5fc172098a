package io.weft;

import java.time.Duration;

/**
 * Whether a task queue's tasks must start soon after they are woken. While a
 * queue with {@code matters(d)} is active, no queue runs longer than {@code d}
 * without letting the scheduler choose again. A bound beyond ~146 years
 * ({@code Deadlines.MAX_AHEAD}, e.g. {@code ChronoUnit.FOREVER}) is taken as that.
 */
public final class Latency {
    private static final Latency NOT_IMPORTANT = new Latency(Long.MAX_VALUE);

    private final long nanos;

    private Latency(long nanos) {
        this.nanos = nanos;
    }

    public static Latency matters(Duration d) {
        if (d == null) {
            throw new NullPointerException("Latency.matters(null)");
        }
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("Latency.matters(" + d + "): the duration must be positive");
        }
        long n;
        try {
            n = d.toNanos();
        } catch (ArithmeticException tooLong) {
            n = io.weft.time.Deadlines.MAX_AHEAD;
        }
        return new Latency(Math.min(n, io.weft.time.Deadlines.MAX_AHEAD)); // at most ~146 years: never "not important"
    }

    public static Latency notImportant() {
        return NOT_IMPORTANT;
    }

    public boolean isImportant() {
        return nanos != Long.MAX_VALUE;
    }

    /** The bound in nanoseconds; {@link Long#MAX_VALUE} when not important. */
    public long nanos() {
        return nanos;
    }

    @Override
    public String toString() {
        return isImportant() ? "Latency.matters(" + Duration.ofNanos(nanos) + ")" : "Latency.notImportant()";
    }
}
