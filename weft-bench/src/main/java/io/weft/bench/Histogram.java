package io.weft.bench;

import java.util.Locale;

/**
 * Latencies in nanoseconds, log-linear buckets with 32 sub-buckets per power
 * of two (each bucket within about 3 % of its values), as HdrHistogram with
 * two significant digits. Recording is one array increment, with no
 * allocation, so a load generator can record every operation. Not thread-safe:
 * one per thread, then {@link #add} them.
 */
public final class Histogram {
    private static final int SUB = 32;
    private static final int LINEAR = 2 * SUB; // values below this have a bucket each
    private final long[] counts = new long[LINEAR + 58 * SUB];
    private long total;
    private long max;

    /** Bucket of {@code v}: v itself below 64, else its top 6 bits and its magnitude. */
    static int index(long v) {
        if (v < LINEAR) {
            return (int) Math.max(v, 0);
        }
        int shift = 63 - Long.numberOfLeadingZeros(v) - 5;
        return LINEAR + (shift - 1) * SUB + (int) (v >>> shift) - SUB;
    }

    /** The largest value that falls in bucket {@code i}. */
    static long highest(int i) {
        if (i < LINEAR) {
            return i;
        }
        int shift = (i - LINEAR) / SUB + 1;
        long top = (i - LINEAR) % SUB + SUB;
        return ((top + 1) << shift) - 1;
    }

    public void record(long nanos) {
        counts[index(nanos)]++;
        total++;
        if (nanos > max) {
            max = nanos;
        }
    }

    public void add(Histogram other) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
        max = Math.max(max, other.max);
    }

    public void reset() {
        java.util.Arrays.fill(counts, 0);
        total = 0;
        max = 0;
    }

    public long count() {
        return total;
    }

    public long max() {
        return max;
    }

    /** The value at quantile {@code q} (0 < q <= 1): the top of the bucket that holds it, at most the maximum. */
    public long percentile(double q) {
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(highest(i), max);
            }
        }
        return max;
    }

    /** "p50 12.3 us, p99 45.6 us, max 789.0 us". */
    public String summary() {
        return String.format(Locale.ROOT, "p50 %.1f us, p99 %.1f us, p99.9 %.1f us, max %.1f us",
                percentile(0.50) / 1e3, percentile(0.99) / 1e3, percentile(0.999) / 1e3, max / 1e3);
    }
}
