package io.weft.sync;

import io.weft.Context;
import io.weft.Poll;

/**
 * A flag that is set once and never cleared, with a tree of children
 * (tokio-util's {@code CancellationToken}).
 *
 * <ul>
 *   <li>{@link #cancel()} sets it (idempotent) and wakes every waiter of this
 *       token and of all its descendants, each exactly once.</li>
 *   <li>Cancelling a token cancels every descendant (children, grandchildren,
 *       ...); cancelling a child never touches its parent or its
 *       siblings.</li>
 *   <li>{@link #child()} of a token already cancelled is cancelled at
 *       once.</li>
 *   <li>{@link #cancelled()} is ready once the token is cancelled (at once if
 *       it already is). A waiter counts from its first poll (awaiting it
 *       polls it at once); a cancelled waiter simply leaves the queue — it
 *       has nothing to hand on, the cancellation stays in the token for
 *       everybody.</li>
 * </ul>
 *
 * <p><b>Memory.</b> A parent holds its live children (an intrusive list, so
 * the child can leave in O(1)); a child holds its parent. A child leaves its
 * parent's list when it is cancelled, by itself or through an ancestor, and
 * then forgets its parent and its own children, so a cancelled subtree is
 * garbage as soon as user code drops it. A child that is dropped while
 * neither it nor its parent is cancelled stays reachable from the parent
 * until one of them is: Java has no drop, so cancel a child you no longer
 * need (weak references were not chosen: they would cost an allocation and
 * GC work per child, and a child being collected is not an event the
 * tree can observe under its access).
 *
 * <p>{@link #create()} is shared, {@link #local()} belongs to its executor.
 * A whole tree shares the {@link #access} of its root (one lock for a shared
 * tree; one executor for a local tree), so a cancel walks the subtree and
 * wakes its waiters in one critical section, without lock ordering. Every
 * field is guarded by {@link #access} (see {@code package-info}).
 */
public final class CancellationToken {
    final Access access;
    private boolean cancelled;
    private final WaitList waiters = new WaitList();
    /** Null for a root, and once cancelled. */
    private CancellationToken parent;
    /** Live (not cancelled) children: an intrusive doubly linked list. */
    private CancellationToken firstChild;
    private CancellationToken prevSibling;
    private CancellationToken nextSibling;

    private CancellationToken(Access access) {
        this.access = access;
    }

    /** A shared root token: any thread, any executor. */
    public static CancellationToken create() {
        return new CancellationToken(Access.shared());
    }

    /** A local root token, bound to the executor running this task. */
    public static CancellationToken local() {
        return new CancellationToken(Access.local("CancellationToken.local"));
    }

    public boolean isLocal() {
        return access.isLocal();
    }

    /**
     * A new child of this token, of the same family: cancelled when this
     * token (or any ancestor) is, cancelled at once if this token already is.
     */
    public CancellationToken child() {
        CancellationToken c = new CancellationToken(access);
        access.enter();
        try {
            if (cancelled) {
                c.cancelled = true;
            } else {
                c.parent = this;
                c.nextSibling = firstChild;
                if (firstChild != null) {
                    firstChild.prevSibling = c;
                }
                firstChild = c;
            }
        } finally {
            access.exit();
        }
        return c;
    }

    /** Cancels this token and all its descendants; wakes all their waiters. Idempotent. */
    public void cancel() {
        access.enter();
        try {
            if (cancelled) {
                return;
            }
            unlinkFromParent();
            // iterative depth-first walk: a deep tree must not overflow the stack
            CancellationToken t = this;
            while (t != null) {
                t.cancelled = true;
                t.waiters.notifyEvery();
                CancellationToken c = t.firstChild;
                if (c != null) {
                    // detach c from t: t's list shrinks, c continues the walk, its parent link leads back
                    t.firstChild = c.nextSibling;
                    if (c.nextSibling != null) {
                        c.nextSibling.prevSibling = null;
                    }
                    c.nextSibling = null;
                    t = c; // c.parent is t: we come back to t when c's subtree is done
                } else {
                    // t has no children left: done with it, go back up (stopping at this token)
                    CancellationToken up = t == this ? null : t.parent;
                    t.parent = null;
                    t = up;
                }
            }
        } finally {
            access.exit();
        }
    }

    /** Under access: removes this live token from its parent's list of children. */
    private void unlinkFromParent() {
        CancellationToken p = parent;
        if (p == null) {
            return;
        }
        if (prevSibling == null) {
            p.firstChild = nextSibling;
        } else {
            prevSibling.nextSibling = nextSibling;
        }
        if (nextSibling != null) {
            nextSibling.prevSibling = prevSibling;
        }
        prevSibling = null;
        nextSibling = null;
        parent = null;
    }

    public boolean isCancelled() {
        access.enter();
        try {
            return cancelled;
        } finally {
            access.exit();
        }
    }

    /**
     * A future ready once this token is cancelled (at once if it already is).
     *
     * <p><b>Cancel safety:</b> a cancelled wait leaves the queue; there is
     * nothing to hand on (the token's state is for everyone).
     */
    public WaitFuture<Void> cancelled() {
        return new Cancelled();
    }

    /** Live children held now (for tests of the pruning). */
    int childCount() {
        access.enter();
        try {
            int n = 0;
            for (CancellationToken c = firstChild; c != null; c = c.nextSibling) {
                n++;
            }
            return n;
        } finally {
            access.exit();
        }
    }

    /** Waiters queued now (for tests). */
    int waiterCount() {
        access.enter();
        try {
            int n = 0;
            for (Waiter w = waiters.peekFirst(); w != null; w = w.next) {
                n++;
            }
            return n;
        } finally {
            access.exit();
        }
    }

    private final class Cancelled extends Waiter implements WaitFuture<Void> {

        @Override
        public Poll<Void> poll(Context cx) {
            access.enter();
            try {
                switch (state) {
                    case NOTIFIED -> {
                        if (!cx.consumeBudget()) {
                            return Poll.pending();
                        }
                        state = DONE;
                        return Poll.ready(null);
                    }
                    case QUEUED -> {
                        waker = cx.waker();
                        return Poll.pending();
                    }
                    case IDLE -> {
                        if (cancelled) {
                            if (!cx.consumeBudget()) {
                                return Poll.pending();
                            }
                            state = DONE;
                            return Poll.ready(null);
                        }
                        access.checkMayWait(this, cx.waker());
                        waker = cx.waker();
                        waiters.addLast(this);
                        return Poll.pending();
                    }
                    default -> throw new IllegalStateException(
                            "cancelled future polled after it completed or was cancelled");
                }
            } finally {
                access.exit();
            }
        }

        @Override
        public void cancel() {
            access.enter();
            try {
                int s = state;
                state = DONE;
                if (s == QUEUED) {
                    waiters.remove(this);
                }
                // NOTIFIED: nothing to hand on, the token stays cancelled for everybody
            } finally {
                access.exit();
            }
        }
    }
}
