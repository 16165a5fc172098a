package io.weft.steal;

import io.weft.task.SpinWait;
import io.weft.task.Task;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.LongAdder;

/**
 * The executor's shared run queue: tasks spawned or woken from outside its
 * workers, and what a full local queue sends away. FIFO, intrusive through
 * {@code Task.nextInQueue}, and without a lock on either end:
 * <ul>
 *   <li>any thread pushes onto a stack ({@link #pushed}, newest first) with
 *       one compare-and-set;</li>
 *   <li>one worker at a time (the holder of {@link #taking}) pops a batch:
 *       from {@link #taken}, the older tasks in their order, and when that
 *       is empty it takes the whole stack at once and reverses it; it works
 *       on the list in a local and writes what is left back to
 *       {@link #taken} at the end of its turn (and a stack it took and
 *       reversed at once, so that it is seen as it was before). Meanwhile
 *       {@link #taken} may name tasks already handed out, which only
 *       {@link #isEmpty} sees (nothing walks the list without
 *       {@link #taking}): a look finds the queue not empty a little longer,
 *       as while the taker reverses a stack it finds it empty a little
 *       longer, as before.</li>
 * </ul>
 * A ReentrantLock on both ends before: the spawning thread and two workers
 * taking turns on it parked and unparked each other (a quarter of the
 * CPU of {@code StealBench.spawnManyRemoteIdle*} was in the lock).
 *
 * <p>Memory: a push writes the task's link, then publishes it with the
 * compare-and-set (release); the taker's get-and-set of the stack
 * (acquire) is its partner. The links of taken tasks and {@link #taken}
 * are written only by the holder of {@link #taking}, whose release
 * (the flag's volatile store) the next holder's compare-and-set acquires.
 * No ABA: the stack is only ever taken whole, never popped one by one.
 */
final class Inject implements LocalQueue.Overflow<Task<?>> {
    private static final VarHandle PUSHED;
    private static final VarHandle TAKING;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            PUSHED = l.findVarHandle(Inject.class, "pushed", Task.class);
            TAKING = l.findVarHandle(Inject.class, "taking", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Tasks pushed and not yet taken, newest first. Any thread, by compare-and-set; taken whole. */
    private volatile Task<?> pushed;
    /** Taken off the stack, oldest first. Written by the holder of {@link #taking}; read anywhere (isEmpty). */
    private volatile Task<?> taken;
    /** Set by the one worker popping. */
    private volatile boolean taking;
    /** Batches a full local queue sent here; any thread. */
    private final LongAdder overflows = new LongAdder();

    void push(Task<?> t) {
        Task<?> top;
        do {
            top = pushed;
            t.nextInQueue = top;
        } while (!PUSHED.weakCompareAndSet(this, top, t));
    }

    /** {@code tasks[0..n)}, oldest first, in one compare-and-set. */
    @Override
    public void pushBatch(Object[] tasks, int n) {
        if (n == 0) {
            return;
        }
        for (int i = n - 1; i > 0; i--) {
            ((Task<?>) tasks[i]).nextInQueue = (Task<?>) tasks[i - 1];
        }
        Task<?> newest = (Task<?>) tasks[n - 1];
        Task<?> oldest = (Task<?>) tasks[0];
        Task<?> top;
        do {
            top = pushed;
            oldest.nextInQueue = top;
        } while (!PUSHED.weakCompareAndSet(this, top, newest));
        overflows.increment();
    }

    long overflows() {
        return overflows.sum();
    }

    /**
     * How many tasks wait here: counted link by link as the taker (the
     * links reachable from the stack's top change only when it is taken), so
     * for stats, never on a hot road; no counter is kept per push.
     */
    int length() {
        acquireTaking(false);
        try {
            int n = 0;
            for (Task<?> t = taken; t != null; t = t.nextInQueue) {
                n++;
            }
            for (Task<?> t = pushed; t != null; t = t.nextInQueue) {
                n++;
            }
            return n;
        } finally {
            taking = false;
        }
    }

    /** Spins (yielding after a while) until this thread is the taker, or false if the queue turned empty. */
    private boolean acquireTaking(boolean unlessEmpty) {
        for (int spins = 0; !TAKING.compareAndSet(this, false, true); spins++) {
            if (unlessEmpty && isEmpty()) {
                return false;
            }
            SpinWait.backOff(spins); // the taker is a few instructions from letting go
        }
        return true;
    }

    /**
     * The oldest task, or null if there is none, and up to {@code max - 1}
     * more tasks, in their order, pushed onto {@code local} (the calling
     * worker's own queue, with at least that many free slots; untouched when
     * {@code max} is 1). While another worker takes, this one waits for it (a
     * few instructions, never a park) unless the queue turns empty
     * meanwhile. One turn as the taker for a batch, which
     * the other workers may steal from there (tokio takes a batch too). Two
     * workers taking one task at a time spent a tenth of
     * {@code spawnManyRemoteIdle}'s CPU on the taker's flag.
     */
    Task<?> popInto(LocalQueue<Task<?>> local, int max) {
        if (isEmpty() || !acquireTaking(true)) {
            return null;
        }
        Task<?> rest = taken; // the taken list, kept here for the batch and written back once
        Task<?> first = null;
        try {
            for (int n = 0; n < max; n++) {
                if (rest == null) {
                    if ((rest = takeStack()) == null) {
                        break;
                    }
                    taken = rest; // seen at once: a last look before parking (isEmpty) must not miss the stack
                }
                Task<?> t = rest;
                rest = t.nextInQueue;
                t.nextInQueue = null;
                if (first == null) {
                    first = t;
                } else {
                    local.push(t, this);
                }
            }
            return first;
        } finally {
            taken = rest; // one volatile write per batch and stack taken (one per task before)
            taking = false;
        }
    }

    /** The whole stack, taken off at once and reversed: oldest first; null if empty. By the taker only. */
    private Task<?> takeStack() {
        Task<?> s = (Task<?>) PUSHED.getAndSet(this, (Task<?>) null);
        Task<?> t = null;
        while (s != null) { // newest first: reversed, oldest first
            Task<?> older = s.nextInQueue;
            s.nextInQueue = t;
            t = s;
            s = older;
        }
        return t;
    }

    boolean isEmpty() {
        return taken == null && pushed == null;
    }
}
