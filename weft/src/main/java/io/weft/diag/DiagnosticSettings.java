package io.weft.diag;

import io.weft.Stall;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * What an executor builder (LocalExecutor, LocalExecutorPool,
 * StealingExecutor) was asked to watch: stall detection, where stall
 * reports go, the poll-time histogram. The builders' setters delegate here,
 * so the three check their arguments alike.
 */
public final class DiagnosticSettings {
    /** 0: off; -1: on with the default threshold; else the threshold in ns. */
    private long stallNanos;
    private Consumer<Stall> onStall;
    private boolean histogram;

    public void detectStalls(Duration threshold) {
        stallNanos = threshold(threshold);
    }

    /** Stall detection with glommio's default threshold (see {@link #defaultThreshold}). */
    public void detectStalls() {
        stallNanos = -1;
    }

    public void onStall(Consumer<Stall> handler) {
        if (handler == null) {
            throw new NullPointerException("onStall(handler): handler");
        }
        onStall = handler;
    }

    public void pollTimeHistogram() {
        histogram = true;
    }

    /** Whether anything is asked for (else the executor keeps its default probes). */
    public boolean any() {
        return stallNanos != 0 || histogram;
    }

    /** The stall threshold in ns for an executor whose time slice is {@code sliceNanos}; 0: off. */
    public long stallNanos(long sliceNanos) {
        return stallNanos < 0 ? defaultThreshold(sliceNanos) : stallNanos;
    }

    public Consumer<Stall> onStall() {
        return onStall;
    }

    public boolean histogram() {
        return histogram;
    }

    /** Asks {@code other} for the same (a pool's settings, given to each of its executors' builders). */
    public void copyTo(DiagnosticSettings other) {
        other.stallNanos = stallNanos;
        other.onStall = onStall;
        other.histogram = histogram;
    }

    /** A builder's {@code detectStalls(threshold)} argument in ns, or the error that names what is wrong. */
    private static long threshold(Duration threshold) {
        if (threshold == null) {
            throw new NullPointerException("detectStalls(threshold): threshold");
        }
        if (threshold.isNegative() || threshold.isZero()) {
            throw new IllegalArgumentException("detectStalls(" + threshold + "): the threshold must be positive");
        }
        return io.weft.time.Deadlines.positiveNanos(threshold, "detectStalls(threshold)"); // at most ~146 years
    }

    /** glommio's default threshold: the time slice plus the larger of 10 ms and a tenth of it (saturating). */
    private static long defaultThreshold(long sliceNanos) {
        long t = sliceNanos + Math.max(10_000_000L, sliceNanos / 10);
        return t < 0 ? Long.MAX_VALUE : t;
    }
}
