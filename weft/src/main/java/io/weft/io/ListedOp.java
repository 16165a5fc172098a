package io.weft.io;

import io.weft.CancellableFuture;
import io.weft.Waker;

/**
 * An operation of a readiness-tracking socket ({@link FdOp}, {@link NioOp}):
 * the waker of its last pending poll and its links in the socket's
 * {@link OpList}. Loop thread only; the driver owns these fields.
 */
public abstract class ListedOp<T> implements CancellableFuture<T> {
    public Waker waker;
    ListedOp<?> nextWaiter;
    ListedOp<?> prevWaiter;

    /** The readiness bits this op needs (READ, WRITE, ... of its driver). */
    public abstract int interest();

    /** The next op in its socket's list, or null. */
    public ListedOp<?> nextWaiter() {
        return nextWaiter;
    }
}
