package io.weft.diag;

import io.weft.PollTimes;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The poll-time histogram of one executor thread (see {@link PollTimes} for
 * the buckets). One writer, the loop thread, which adds with an opaque
 * store; a snapshot from any thread reads each bucket opaquely.
 */
public final class PollHistogram {
    /** Polls shorter than 2^7 ns share bucket 0; then four buckets per power of two up to 2^36 ns (~69 s). */
    static final int MIN_SHIFT = 7;
    static final int MAX_SHIFT = 35;
    static final int BUCKETS = 1 + (MAX_SHIFT - MIN_SHIFT + 1) * 4;
    private static final VarHandle COUNTS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final long[] UPPER = new long[BUCKETS];

    static {
        UPPER[0] = 1L << MIN_SHIFT;
        for (int i = 1; i < BUCKETS; i++) {
            int e = MIN_SHIFT + (i - 1) / 4;
            int sub = (i - 1) % 4;
            UPPER[i] = (5L + sub) << (e - 2);
        }
    }

    private final long[] counts = new long[BUCKETS];

    /** The bucket of a poll of {@code nanos}. */
    static int bucket(long nanos) {
        if (nanos < (1L << MIN_SHIFT)) {
            return 0;
        }
        int e = 63 - Long.numberOfLeadingZeros(nanos);
        if (e > MAX_SHIFT) {
            return BUCKETS - 1;
        }
        int sub = (int) (nanos >>> (e - 2)) & 3;
        return 1 + (e - MIN_SHIFT) * 4 + sub;
    }

    /** Loop thread: one poll of {@code nanos}. */
    void record(long nanos) {
        int b = bucket(nanos);
        COUNTS.setOpaque(counts, b, (long) COUNTS.getOpaque(counts, b) + 1);
    }

    /** Any thread. */
    public PollTimes snapshot() {
        long[] c = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            c[i] = (long) COUNTS.getOpaque(counts, i);
        }
        return new PollTimes(UPPER.clone(), c);
    }
}
