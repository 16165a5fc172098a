package io.weft.io;

import io.weft.CancellableFuture;
import io.weft.Waker;
import io.weft.task.Wakes;

/**
 * An operation of a readiness-tracking socket ({@link FdOp}, {@link NioOp}):
 * the waker of its last pending poll and its links in the socket's
 * {@link OpList}. Loop thread only; the driver owns these fields.
 */
public abstract class ListedOp<T> implements CancellableFuture<T>, io.weft.task.LeafFuture {
    public Waker waker;
    ListedOp<?> nextWaiter;
    ListedOp<?> prevWaiter;

    /** The readiness bits this op needs (READ, WRITE, ... of its driver). */
    public abstract int interest();

    /** Wakes {@code w} too when this op is next woken (ops that wait for it; each is woken once). */
    void alsoWake(Waker w) {
        Waker a = waker;
        waker = a == null || a == w ? w : () -> {
            Wakes.wakeReporting(a, "an I/O operation"); // one that throws does not keep the other asleep
            Wakes.wakeReporting(w, "an I/O operation");
        };
    }

    /** The next op in its socket's list, or null. */
    public ListedOp<?> nextWaiter() {
        return nextWaiter;
    }
}
