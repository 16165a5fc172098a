package io.weft.task;

import java.util.function.Consumer;

/**
 * The tasks an owner keeps track of so that a close finds those on no run
 * queue: an intrusive doubly linked list through {@link Task#prevLive} and
 * {@link Task#nextLive}, {@link Task#registered} saying whether a task is
 * in it. One thread only (the owner's loop, or a StealingExecutor worker for
 * the tasks that live on it); no allocation.
 */
public final class TaskList {
    private Task<?> head;
    /** Tasks in the list (its thread writes; another thread may read a stale value). */
    private int size;

    public int size() {
        return size;
    }

    /** Adds {@code t} unless it is in already. */
    public void add(Task<?> t) {
        if (t.registered) {
            return;
        }
        t.registered = true;
        size++;
        t.nextLive = head;
        if (head != null) {
            head.prevLive = t;
        }
        head = t;
    }

    /** Takes {@code t} out if it is in. */
    public void remove(Task<?> t) {
        if (!t.registered) {
            return;
        }
        t.registered = false;
        size--;
        Task<?> p = t.prevLive;
        Task<?> n = t.nextLive;
        if (p != null) {
            p.nextLive = n;
        } else {
            head = n;
        }
        if (n != null) {
            n.prevLive = p;
        }
        t.prevLive = null;
        t.nextLive = null;
    }

    /** The most recently added task still in, or null. */
    public Task<?> first() {
        return head;
    }

    /** Calls {@code f} on each task in, newest first; {@code f} must not take tasks out (an abort does not). */
    public void forEach(Consumer<Task<?>> f) {
        for (Task<?> t = head; t != null; t = t.nextLive) {
            f.accept(t);
        }
    }
}
