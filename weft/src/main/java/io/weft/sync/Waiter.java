package io.weft.sync;

import io.weft.Waker;

/**
 * One waiting operation (a recv, a send, an acquire): a node of a
 * {@link WaitList}. Every field is guarded by the {@link Access} of the
 * primitive the node waits on.
 *
 * <pre>
 * IDLE --poll, must wait--> QUEUED --notify (removed from list)--> NOTIFIED --poll completes--> DONE
 *   \--poll completes--> DONE      \--cancel--> DONE                \--cancel: hand on--> DONE
 * </pre>
 * A NOTIFIED node is off the list; for a channel it was only told "try
 * again" (the value stays in the channel until its poll takes it), for a
 * semaphore its permits were moved to it. Either way, a cancel in NOTIFIED
 * hands on what it got: the channel notifies the next waiter, the semaphore
 * takes the permits back.
 */
abstract class Waiter implements io.weft.task.LeafFuture {
    static final int IDLE = 0;
    static final int QUEUED = 1;
    static final int NOTIFIED = 2;
    static final int DONE = 3;

    int state = IDLE;
    Waker waker;
    Waiter prev;
    Waiter next;

    /** Ends this operation: DONE, and off {@code list} if it was queued there. Under the primitive's access. */
    final void finish(WaitList list) {
        if (state == QUEUED) {
            list.remove(this);
        }
        state = DONE;
    }
}
