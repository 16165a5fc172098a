package io.weft.io;

/**
 * What an io_uring driver has done since it opened ({@link UringDriver#stats()}):
 * counters written by its loop thread only; another thread reads them
 * without ordering (for tests and diagnostics).
 */
public final class UringStats {
    long submitted;
    long completed;
    long cancels;
    long lateResults;
    long restarts;
    long enters;

    /** Ops submitted. */
    public long submitted() {
        return submitted;
    }

    /** Op completions handled (not counting wakes and cancels). */
    public long completed() {
        return completed;
    }

    /** Ops the kernel dropped because the thread that submitted them exited, submitted again. */
    public long restarts() {
        return restarts;
    }

    /** Async cancels submitted. */
    public long cancels() {
        return cancels;
    }

    /** Cancelled ops the kernel had finished anyway: their result went to {@link FdOp#completeCancelled}. */
    public long lateResults() {
        return lateResults;
    }

    /** io_uring_enter calls. */
    public long enters() {
        return enters;
    }
}
