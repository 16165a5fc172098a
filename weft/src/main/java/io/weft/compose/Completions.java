package io.weft.compose;

import io.weft.Context;
import io.weft.JoinHandle;
import io.weft.Poll;
import io.weft.Waker;
import io.weft.task.Task;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A set of join handles that learns of each completion as it happens, in
 * completion order, without polling every handle: each handle gets its own
 * {@link Entry} as a join waker, registered once by {@link #add}. The task
 * that completes wakes its entry (in {@code Task.complete}, on its owner
 * thread); the entry queues itself on {@link #done}, tells the listener, then
 * wakes the one waiter. Used by {@code JoinSet} and {@code TaskScope}.
 *
 * <p>Threads: {@link #add}, {@link #take}, {@link #forEachLive} and
 * {@link #size} are called by the tasks that use the set: on one thread for a
 * LocalExecutor, on any of its workers for a StealingExecutor, so the live set
 * is guarded by this object's monitor (never held across an await, nor while
 * a listener or a handle runs). An entry's {@code wake} may come from any
 * thread and touches {@link #done} (a concurrent queue), its own flag and the
 * volatile waiter; it tells the listener <em>before</em> it queues itself, so
 * that whoever takes the last entry finds every listener's work done.
 */
public final class Completions<T> {
    /** A handle in the set, and its join waker. */
    public final class Entry implements Waker {
        public final JoinHandle<T> handle;
        private final AtomicBoolean queued = new AtomicBoolean();

        Entry(JoinHandle<T> handle) {
            this.handle = handle;
        }

        /** Woken by the task's completion (or by {@link #add} if it had already completed). */
        @Override
        public void wake() {
            if (!handle.isFinished() || !queued.compareAndSet(false, true)) {
                return; // not a completion, or already reported: exactly once per handle
            }
            if (listener != null) {
                try {
                    listener.accept(handle); // before it is queued: a taker that sees the set empty sees this done
                } catch (RuntimeException e) { // queued all the same: a set that never learns of it waits for ever
                    io.weft.task.Log.get().log(System.Logger.Level.WARNING, "the completion listener of "
                            + handle + " threw", e);
                }
            }
            done.add(this); // before reading the waiter: pairs with the waiter store then done read in take()
            Waker w = waiter;
            if (w != null) {
                w.wake();
            }
        }
    }

    /** A context for reading a finished handle's output: it never waits and spends no budget. */
    public static final Context NO_WAIT = new Context(() -> { });

    private final Queue<Entry> done = new ConcurrentLinkedQueue<>();
    private final LinkedHashSet<Entry> live = new LinkedHashSet<>();
    private final Consumer<JoinHandle<T>> listener;
    private volatile Waker waiter;

    /** {@code listener} (may be null) hears of each completion once, on the completing thread. */
    public Completions(Consumer<JoinHandle<T>> listener) {
        this.listener = listener;
    }

    /**
     * Adds a handle and registers its entry as a join waker. A handle that
     * has already finished is not polled (a failure it would throw would
     * count as received, see {@link #peek}): its entry is queued at once; nor
     * is a task's handle, which may finish on another thread meanwhile.
     */
    public void add(JoinHandle<T> h) {
        Entry e = new Entry(h);
        synchronized (this) {
            live.add(e);
        }
        boolean ready;
        if (h.isFinished()) {
            ready = true;
        } else if (h instanceof Task<T> t) {
            // Not a poll: a task that fails on another thread between the two calls must not count as received.
            ready = !t.wakeOnCompletion(e);
        } else {
            try {
                ready = h.poll(new Context(e)).isReady();
            } catch (RuntimeException finishedBadly) {
                ready = true; // failed or cancelled already: it is finished all the same
            }
        }
        if (ready) {
            e.wake(); // it had completed: the completer may not have seen our waker
        }
    }

    /**
     * The next completed entry, removed from the set; or null, after making
     * {@code w} the waiter to wake at the next completion.
     */
    public Entry take(Waker w) {
        waiter = w; // volatile store, then the read of done: pairs with Entry.wake
        Entry e = done.poll();
        if (e != null) {
            synchronized (this) {
                live.remove(e);
            }
        }
        return e;
    }

    /** Stops waking a waiter (it no longer waits). */
    public void clearWaiter() {
        waiter = null;
    }

    /** Forgets {@code w} if it is still the waiter (a cancelled wait; another may have taken its place). */
    public void clearWaiter(Waker w) {
        if (waiter == w) {
            waiter = null;
        }
    }

    /** Whether a completion is waiting to be taken. */
    public boolean hasDone() {
        return !done.isEmpty();
    }

    /** Handles added and not yet taken, finished or not. */
    public synchronized int size() {
        return live.size();
    }

    /** Calls {@code f} on every handle added and not yet taken, in the order they were added. */
    public void forEachLive(Consumer<JoinHandle<T>> f) {
        List<Entry> now;
        synchronized (this) {
            now = List.copyOf(live);
        }
        for (Entry e : now) {
            f.accept(e.handle);
        }
    }

    /**
     * The output of a finished handle, as {@link #output}, for an owner's
     * bookkeeping: a failure it throws is not marked as received by anyone
     * ({@code Task.peek}: FAILURE_RECEIVED stays clear).
     */
    public static <T> T peek(JoinHandle<T> h) {
        if (h instanceof Task<T> t) {
            return t.peek();
        }
        return output(h);
    }

    /** The output of a finished handle: its value, or it throws the handle's exception (which counts as received). */
    public static <T> T output(JoinHandle<T> h) {
        Poll<T> p = h.poll(NO_WAIT);
        if (!p.isReady()) {
            throw new IllegalStateException("output of unfinished task " + h);
        }
        return p.get();
    }
}
