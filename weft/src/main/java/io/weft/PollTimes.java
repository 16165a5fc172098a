package io.weft;

import java.util.Arrays;

/**
 * A histogram of poll times with log-scale buckets (tokio's poll-time
 * histogram): one bucket below 128 ns, then four buckets per power of two
 * up to about a minute, so a bucket is at most 25 % wider than its lower
 * bound. A snapshot: {@code upperNanos[i]} is bucket i's exclusive upper
 * bound (the last bucket also holds everything longer), {@code counts[i]}
 * its polls.
 */
public record PollTimes(long[] upperNanos, long[] counts) {
    /** The histogram of an executor that does not record one. */
    public static final PollTimes NONE = new PollTimes(new long[0], new long[0]);

    /** Polls recorded. */
    public long total() {
        long n = 0;
        for (long c : counts) {
            n += c;
        }
        return n;
    }

    /**
     * The upper bound of the bucket that holds the {@code q} quantile
     * ({@code 0 < q <= 1}), in ns: at most 25 % above the true value; 0 with
     * no polls recorded.
     */
    public long quantileNanos(double q) {
        if (!(q > 0 && q <= 1)) {
            throw new IllegalArgumentException("quantile " + q + ": must be in (0, 1]");
        }
        long total = total();
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return upperNanos[i];
            }
        }
        return upperNanos[upperNanos.length - 1];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PollTimes p && Arrays.equals(p.upperNanos, upperNanos) && Arrays.equals(p.counts, counts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "PollTimes[" + total() + " polls, p50 <= " + quantileNanos(0.5) + " ns, p99 <= " + quantileNanos(0.99)
                + " ns]";
    }
}
