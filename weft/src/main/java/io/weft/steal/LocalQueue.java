package io.weft.steal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A worker's bounded run queue: one owner thread pushes at the tail and pops
 * at the head, any number of other threads steal half of it from the head
 * (tokio's multi-thread local queue). FIFO for the owner; a full queue moves
 * half of itself to the executor's shared queue ({@link Overflow}).
 *
 * <h2>The indices</h2>
 * {@code tail} (an int, written by the owner alone, released) is the next
 * slot to fill. {@code head} packs two ints into one long changed only by
 * CAS: {@code real}, the next slot to hand out, and {@code steal}, the first
 * slot not yet given back by a stealer. With no steal going on they are
 * equal. A stealer first moves {@code real} past the half it takes (claiming
 * those tasks: the owner no longer pops them), copies them, then moves
 * {@code steal} up to {@code real} (giving the slots back). So slots
 * {@code [steal, tail)} are taken, and the owner may fill a slot only while
 * {@code tail - steal < capacity}. Indices grow for ever and wrap as ints;
 * every comparison is of differences, which stay within the capacity.
 *
 * <h2>Who touches what</h2>
 * <ul>
 *   <li>Owner: {@link #push} writes slot {@code tail} (plain), then releases
 *       {@code tail + 1}; a stealer's acquire of {@code tail} therefore sees
 *       the task. {@link #pop} claims slot {@code real} with a CAS of
 *       {@code head}, then reads it.</li>
 *   <li>Stealer: acquires {@code tail}, claims {@code [real, real + n)} by a
 *       CAS of {@code head} (refused while another steal is going on:
 *       {@code steal != real}), reads those slots (plain), then CASes
 *       {@code steal} forward: that release orders its reads before the
 *       owner's reuse of the slots, which the owner may do only after its
 *       acquire of {@code head} shows the new {@code steal}.</li>
 *   <li>A task read out of a slot is owned by whoever read it (the owner's
 *       pop, or the stealer, who puts it into its own queue); the slot is
 *       not cleared (a stale reference until it is reused: the capacity is
 *       small).</li>
 * </ul>
 * The jcstress tests {@code LocalQueueTest} drive the owner against one and
 * two stealers with a capacity of 4, so the indices wrap within a test;
 * Lincheck checks push, pop and steal against a sequential deque.
 */
public final class LocalQueue<T> {
    /** tokio's capacity. */
    public static final int CAPACITY = 256;

    private static final VarHandle HEAD;
    private static final VarHandle TAIL;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HEAD = l.findVarHandle(LocalQueue.class, "head", long.class);
            TAIL = l.findVarHandle(LocalQueue.class, "tail", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Where a full queue sends half of itself (and the task that did not fit): the executor's shared queue. */
    public interface Overflow<T> {
        /** Takes {@code tasks[0..n)}; any thread. */
        void pushBatch(Object[] tasks, int n);
    }

    private final Object[] slots;
    private final int mask;
    private final int capacity;
    /** {@code steal} in the high 32 bits, {@code real} in the low; CAS only. */
    @SuppressWarnings("unused")
    private volatile long head;
    /** Written by the owner only (release); read by stealers (acquire) and by the owner (plain). */
    @SuppressWarnings("unused")
    private volatile int tail;

    public LocalQueue() {
        this(CAPACITY);
    }

    /** A queue of {@code capacity} slots, a power of two from 2 up: small ones are for tests that must wrap. */
    public LocalQueue(int capacity) {
        if (capacity < 2 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("LocalQueue capacity must be a power of two from 2 up, was " + capacity);
        }
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.slots = new Object[capacity];
    }

    /** Tests only: a queue whose indices start at {@code first} (just below the int wrap, say). */
    LocalQueue(int capacity, int first) {
        this(capacity);
        head = pack(first, first);
        tail = first;
    }

    static long pack(int steal, int real) {
        return ((long) steal << 32) | (real & 0xFFFF_FFFFL);
    }

    static int steal(long head) {
        return (int) (head >>> 32);
    }

    static int real(long head) {
        return (int) head;
    }

    public int capacity() {
        return capacity;
    }

    /** How many tasks are queued (a snapshot; exact on the owner's thread with no steal going on). */
    public int size() {
        long h = (long) HEAD.getAcquire(this);
        return (int) TAIL.getAcquire(this) - real(h);
    }

    public boolean isEmpty() {
        return size() <= 0;
    }

    /** Owner only: how many tasks have been pushed here so far (a mark that wraps as an int). */
    public int pushed() {
        return (int) TAIL.get(this); // the owner's own write
    }

    /**
     * Whether every task pushed before {@code mark} (a {@link #pushed} of
     * earlier) has been taken: popped, stolen, or moved to the overflow.
     */
    public boolean takenUpTo(int mark) {
        return real((long) HEAD.getAcquire(this)) - mark >= 0;
    }

    /**
     * Owner only: queues {@code task} at the tail. A full queue first moves
     * its older half, with {@code task}, to {@code overflow} (tokio does the
     * same), or, while a steal is making room anyway, just {@code task}.
     * Returns whether the queue was full (what went to {@code overflow}).
     */
    public boolean push(T task, Overflow<T> overflow) {
        for (;;) {
            long h = (long) HEAD.getAcquire(this); // pairs with a stealer's CAS giving slots back
            int steal = steal(h);
            int t = (int) TAIL.get(this); // the owner's own write
            if (t - steal < capacity) {
                slots[t & mask] = task;
                TAIL.setRelease(this, t + 1); // pairs with a stealer's getAcquire of tail: the task is visible
                return false;
            }
            if (steal != real(h)) {
                Object[] one = {task}; // a stealer is taking half: let it, and send just this one
                overflow.pushBatch(one, 1);
                return true;
            }
            if (moveHalf(h, t, task, overflow)) {
                return true;
            }
            // a stealer claimed tasks meanwhile: room may have appeared; go round
        }
    }

    /** Owner only: moves the older half and {@code task} to {@code overflow}; false if a stealer got in first. */
    private boolean moveHalf(long h, int t, T task, Overflow<T> overflow) {
        int real = real(h);
        int half = capacity / 2;
        assert t - real == capacity : "moveHalf on a queue that is not full";
        if (!HEAD.compareAndSet(this, h, pack(real + half, real + half))) {
            return false;
        }
        Object[] batch = new Object[half + 1];
        for (int i = 0; i < half; i++) {
            batch[i] = slots[(real + i) & mask];
        }
        batch[half] = task;
        overflow.pushBatch(batch, half + 1);
        return true;
    }

    /**
     * Owner only, for a dump: calls {@code f} on each task in the queue now,
     * head first, including those a thief is taking (they were here a moment
     * ago). Only the owner writes slots, and only past the tail, so the
     * slots read here do not change meanwhile.
     */
    @SuppressWarnings("unchecked")
    public void forEachQueued(java.util.function.Consumer<T> f) {
        long h = (long) HEAD.getAcquire(this);
        int t = (int) TAIL.get(this);
        for (int i = steal(h); i != t; i++) {
            f.accept((T) slots[i & mask]);
        }
    }

    /** Owner only: the task at the head, or null if there is none. */
    @SuppressWarnings("unchecked")
    public T pop() {
        long h = (long) HEAD.getAcquire(this);
        for (;;) {
            int steal = steal(h);
            int real = real(h);
            int t = (int) TAIL.get(this);
            if (real == t) {
                return null;
            }
            long next = steal == real ? pack(real + 1, real + 1) : pack(steal, real + 1);
            long witness = (long) HEAD.compareAndExchange(this, h, next);
            if (witness == h) {
                return (T) slots[real & mask]; // claimed: no stealer reads it, and the owner fills it only later
            }
            h = witness;
        }
    }

    /**
     * A thief's call (the owner of {@code into}, on its own thread): moves
     * half of this queue's tasks (rounded up) into {@code into} and returns
     * one of them to run at once, or null if there was nothing to take,
     * another steal of this queue is going on, or {@code into} is more than
     * half full.
     */
    @SuppressWarnings("unchecked")
    public T stealInto(LocalQueue<T> into) {
        int dstTail = (int) TAIL.get(into); // the thief owns into
        if (dstTail - steal((long) HEAD.getAcquire(into)) > into.capacity / 2) {
            return null; // it has enough to do
        }
        int n = stealHalf(into, dstTail);
        if (n == 0) {
            return null;
        }
        n--;
        T first = (T) into.slots[(dstTail + n) & into.mask];
        if (n > 0) {
            TAIL.setRelease(into, dstTail + n); // pairs with the thieves of into
        }
        return first;
    }

    /** Claims half of this queue, copies it into {@code into} from {@code dstTail}, gives the slots back; how many. */
    private int stealHalf(LocalQueue<T> into, int dstTail) {
        long h = (long) HEAD.getAcquire(this);
        long claimed;
        int n;
        for (;;) {
            int steal = steal(h);
            int real = real(h);
            if (steal != real) {
                return 0; // another thief is at work here
            }
            int t = (int) TAIL.getAcquire(this); // pairs with the owner's setRelease: the tasks are visible
            n = t - real;
            n -= n / 2;
            if (n <= 0) {
                return 0;
            }
            if (n > into.capacity / 2) {
                n = into.capacity / 2; // (equal capacities: never more than half of this one anyway)
            }
            claimed = pack(steal, real + n);
            long witness = (long) HEAD.compareAndExchange(this, h, claimed);
            if (witness == h) {
                break;
            }
            h = witness;
        }
        int first = steal(claimed);
        for (int i = 0; i < n; i++) {
            into.slots[(dstTail + i) & into.mask] = slots[(first + i) & mask];
        }
        // Give the slots back: steal catches up with real (which the owner's pops may have moved on).
        long prev = claimed;
        for (;;) {
            int real = real(prev);
            long witness = (long) HEAD.compareAndExchange(this, prev, pack(real, real));
            if (witness == prev) {
                return n;
            }
            prev = witness; // only the owner's pops move it meanwhile (real), never steal
        }
    }
}
