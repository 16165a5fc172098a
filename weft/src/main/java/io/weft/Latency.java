package io.weft;

import java.time.Duration;

/**
 * Whether a task queue's tasks must start soon after they are woken. While a
 * queue with {@code matters(d)} is active, no queue runs longer than {@code d}
 * without letting the scheduler choose again.
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
        return new Latency(d.toNanos());
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
