package io.weft.steal;

import io.weft.task.Task;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The executor's shared run queue: tasks spawned or woken from outside its
 * workers, and what a full local queue sends away. A lock and an intrusive
 * FIFO list through {@code Task.nextInQueue}, as tokio's inject queue; the
 * length is also kept in a volatile field, so that a worker can see it
 * empty without the lock.
 */
final class Inject implements LocalQueue.Overflow<Task<?>> {
    private final ReentrantLock lock = new ReentrantLock();
    /** Under the lock. */
    private Task<?> head;
    private Task<?> tail;
    /** Written under the lock; read anywhere. */
    private volatile int length;
    /** Batches a full local queue sent here; written under the lock, read anywhere. */
    private volatile long overflows;

    void push(Task<?> t) {
        lock.lock();
        try {
            append(t);
            length = length + 1;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void pushBatch(Object[] tasks, int n) {
        lock.lock();
        try {
            for (int i = 0; i < n; i++) {
                append((Task<?>) tasks[i]);
            }
            length = length + n;
            overflows = overflows + 1;
        } finally {
            lock.unlock();
        }
    }

    private void append(Task<?> t) {
        t.nextInQueue = null;
        if (tail == null) {
            head = t;
        } else {
            tail.nextInQueue = t;
        }
        tail = t;
    }

    long overflows() {
        return overflows;
    }

    int length() {
        return length;
    }

    /** The oldest task, or null. */
    Task<?> pop() {
        if (length == 0) {
            return null;
        }
        lock.lock();
        try {
            Task<?> t = head;
            if (t == null) {
                return null;
            }
            head = t.nextInQueue;
            if (head == null) {
                tail = null;
            }
            t.nextInQueue = null;
            length = length - 1;
            return t;
        } finally {
            lock.unlock();
        }
    }

    boolean isEmpty() {
        return length == 0;
    }

    int size() {
        return length;
    }
}
