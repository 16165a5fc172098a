package io.weft.io;

import io.weft.task.Wakes;

/**
 * A socket's ops waiting for readiness (or, on io_uring, in the kernel): an
 * intrusive doubly linked list through {@link ListedOp}. Loop thread only.
 */
final class OpList {
    private ListedOp<?> head;
    private ListedOp<?> tail;

    ListedOp<?> head() {
        return head;
    }

    /** Adds {@code op} at the end, once. */
    void add(ListedOp<?> op) {
        if (op.prevWaiter != null || head == op) {
            return;
        }
        op.nextWaiter = null;
        op.prevWaiter = tail;
        if (tail == null) {
            head = op;
        } else {
            tail.nextWaiter = op;
        }
        tail = op;
    }

    /** Removes {@code op} if it is in the list. */
    void remove(ListedOp<?> op) {
        if (op.prevWaiter == null && head != op) {
            return;
        }
        if (op.prevWaiter == null) {
            head = op.nextWaiter;
        } else {
            op.prevWaiter.nextWaiter = op.nextWaiter;
        }
        if (op.nextWaiter == null) {
            tail = op.prevWaiter;
        } else {
            op.nextWaiter.prevWaiter = op.prevWaiter;
        }
        op.nextWaiter = null;
        op.prevWaiter = null;
    }

    /** Wakes the ops whose interest is in {@code bits}; returns how many. */
    int wake(int bits) {
        int n = 0;
        for (ListedOp<?> op = head; op != null; op = op.nextWaiter) {
            if ((op.interest() & bits) != 0 && op.waker != null) {
                Wakes.wakeReporting(op.waker, "an I/O operation"); // a throw would stop the reactor's loop
                n++;
            }
        }
        return n;
    }
}
