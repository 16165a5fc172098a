package io.weft.sync;

import io.weft.CancellableFuture;

/**
 * The future of an operation that may wait in a primitive's queue (a recv, a
 * send, an acquire, a lock). Cancelling it ({@link #cancel()}, which an
 * aborted {@code await()}, a Timeout or a lost select call for you) leaves
 * the queue, and anything the primitive had handed to it and no poll had yet
 * returned goes on: permits to the next waiters, a wake-up hint to the next
 * receiver or sender, a notification to the next {@code notified()}. Each
 * primitive states what its operations keep under "Cancel safety".
 */
public interface WaitFuture<T> extends CancellableFuture<T> {

    /**
     * Leaves the queue; anything handed to this operation and not yet
     * returned by a poll goes to the next waiter (or back to the primitive).
     * Idempotent; a no-op once a poll has returned ready.
     */
    @Override
    void cancel();
}
