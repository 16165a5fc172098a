package io.weft.sync;

/**
 * jcstress only (this class lives in the weft-jcstress module, in weft's
 * package, which the classpath allows): an {@link SpscChannel} whose sides
 * any thread may use. A jcstress test builds its state on one thread, runs
 * each side's actor on another and checks the outcome on a third, each
 * step ordered after the last by jcstress; the thread checks, which the
 * tests do not exercise, would refuse that.
 */
public final class SpscForJcstress {
    private SpscForJcstress() {
    }

    public static <T> SpscChannel<T> anyThread(int capacity) {
        return SpscChannel.createForAnyThread(capacity);
    }

    /**
     * A send as a task's fast road makes it: published with its fence
     * deferred to the end of {@code poll}, whose {@code pollEnded()} the
     * caller then calls, as an executor's loop does after a task's poll.
     */
    public static <T> boolean trySendDeferringFence(SpscChannel<T> ch, T value, io.weft.task.Budget poll) {
        return ch.trySend(value, poll);
    }

    /** A recv as a task's fast road makes it: as {@link #trySendDeferringFence}, the other way; null if empty. */
    public static <T> T tryRecvDeferringFence(SpscChannel<T> ch, io.weft.task.Budget poll) {
        return ch.tryRecv(poll);
    }
}
