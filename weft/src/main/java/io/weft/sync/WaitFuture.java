package io.weft.sync;

import io.weft.Future;

/**
 * The future of an operation that may wait in a primitive's queue (a recv, a
 * send, an acquire, a lock). Java has no drop, so leaving the queue is
 * explicit: {@link #cancel()}. {@link #await()} calls it itself when it
 * throws (notably {@link io.weft.TaskCancelledException} when the awaiting
 * task is aborted), so a task that awaits never needs to. Code that polls
 * by hand and abandons the future before it is ready must call
 * {@code cancel()}, or the next waiter may not be told about a value or a
 * permit that this one was told about.
 */
public interface WaitFuture<T> extends Future<T> {

    /**
     * Leaves the queue; anything handed to this operation and not yet
     * returned by a poll goes to the next waiter (or back to the primitive).
     * Idempotent; a no-op once a poll has returned ready.
     */
    void cancel();

    @Override
    default T await() {
        try {
            return Future.super.await();
        } catch (Throwable t) {
            try {
                cancel();
            } catch (Throwable again) { // e.g. a local primitive used from the wrong thread: keep the first error
                t.addSuppressed(again);
            }
            throw t;
        }
    }
}
