package io.weft.sync;

import io.weft.task.Wakes;

/**
 * An intrusive FIFO of {@link Waiter}s. Not thread-safe: guarded by the
 * {@link Access} of the primitive that owns it.
 */
final class WaitList {
    private Waiter head;
    private Waiter tail;

    boolean isEmpty() {
        return head == null;
    }

    Waiter peekFirst() {
        return head;
    }

    void addLast(Waiter w) {
        w.prev = tail;
        w.next = null;
        if (tail == null) {
            head = w;
        } else {
            tail.next = w;
        }
        tail = w;
        w.state = Waiter.QUEUED;
    }

    void addFirst(Waiter w) {
        w.next = head;
        w.prev = null;
        if (head == null) {
            tail = w;
        } else {
            head.prev = w;
        }
        head = w;
        w.state = Waiter.QUEUED;
    }

    /** Unlinks {@code w}, which must be QUEUED on this list; leaves its state to the caller. */
    void remove(Waiter w) {
        if (w.prev == null) {
            head = w.next;
        } else {
            w.prev.next = w.next;
        }
        if (w.next == null) {
            tail = w.prev;
        } else {
            w.next.prev = w.prev;
        }
        w.prev = null;
        w.next = null;
    }

    /** Removes the first waiter, marks it NOTIFIED and wakes it; false if there was none. */
    boolean notifyFirst() {
        Waiter w = head;
        if (w == null) {
            return false;
        }
        remove(w);
        w.state = Waiter.NOTIFIED;
        Wakes.wakeReporting(w.waker, "a waiter of a sync primitive"); // a throw would stop the caller half-way
        return true;
    }

    /** Removes {@code w}, which must be QUEUED on this list, marks it NOTIFIED and wakes it. */
    void notifyWaiter(Waiter w) {
        remove(w);
        w.state = Waiter.NOTIFIED;
        Wakes.wakeReporting(w.waker, "a waiter of a sync primitive");
    }

    /** Notifies every waiter, in order. */
    void notifyEvery() {
        while (notifyFirst()) {
            // each one is removed by notifyFirst
        }
    }
}
