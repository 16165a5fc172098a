package io.weft.time;

import io.weft.Clock;
import io.weft.Waker;

/**
 * The timers of one executor: a hierarchical timer wheel, as tokio's
 * ({@code tokio/src/runtime/time/wheel}). Owner (loop) thread only.
 *
 * <h2>Implementation overview</h2>
 * Time is counted in <b>ticks</b> of {@value #TICK_NANOS} ns since
 * {@code origin} (the clock's reading when the wheel was made). A timer due at
 * {@code deadline} ns is due at tick {@code when = ceil((deadline - origin) / 1 ms)}
 * (rounded up: a timer never fires early). {@code elapsed} is the last tick
 * the wheel has processed.
 *
 * <p>{@value #LEVELS} levels of {@value #SLOTS} slots. A slot of level
 * {@code L} covers {@code 64^L} ticks, so level {@code L} covers
 * {@code 64^(L+1)} ticks and the whole wheel {@code 64^6} ticks (about 2.2
 * years). A timer goes to the level of the highest 6-bit group in which
 * {@code when} and {@code elapsed} differ, and to the slot given by
 * {@code when}'s bits in that group. Each slot is an intrusive doubly linked
 * list of {@link Entry} (insertion order kept); a 64-bit word per level marks
 * the occupied slots. Insert and cancel are O(1): link or unlink one entry,
 * set or clear one bit.
 *
 * <p>Firing ({@link #fire}): the next expiration is the first occupied slot
 * of the lowest non-empty level at or after {@code elapsed} (found with a
 * rotate and a count of trailing zeros); its deadline is the slot's first
 * tick. When that deadline has passed, {@code elapsed} moves to it and the
 * slot is emptied. A level-0 slot holds only timers due at that tick: they
 * are unlinked and woken one at a time, in order. A higher slot cascades:
 * its entries are re-inserted relative to the new {@code elapsed}, which puts
 * them on a lower level, or on the {@code pending} list if due at that very
 * tick (then woken in order). Each timer cascades at most 5 times in its life.
 * Timers added with a deadline already past also go to {@code pending}.
 *
 * <p>Timers beyond the top level (more than {@code 64^6 - 1} ticks after
 * {@code elapsed}) are clamped onto the top level, whose slots then act as a
 * ring: the slot comes round, the timer is re-inserted by its true tick and
 * goes round again until it is due.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>An entry is on exactly one list (a wheel slot or {@code pending}),
 *       named by {@code Entry.list}, or on none ({@code list == NONE}).</li>
 *   <li>The occupied bit of a slot is set iff its list is non-empty.</li>
 *   <li>An entry on level {@code L > 0} has {@code when >= } its slot's
 *       first tick {@code > elapsed}; an entry on level 0 has
 *       {@code when == } its slot's tick {@code > elapsed}; entries with
 *       {@code when <= elapsed} are on {@code pending}.</li>
 *   <li>Timers due at the same tick fire in the order they were added.</li>
 *   <li>No allocation per tick, per cascade or per fire; one {@link Entry}
 *       per timer, which {@link #reset} re-arms without allocating.</li>
 * </ul>
 */
public final class Timers {
    /** The resolution: one tick is 1 ms. */
    public static final long TICK_NANOS = 1_000_000L;
    static final int LEVELS = 6;
    static final int BITS = 6;
    static final int SLOTS = 1 << BITS;
    /** Ticks the wheel spans: 64^6. */
    static final long MAX_TICKS = 1L << (BITS * LEVELS);
    private static final int PENDING = LEVELS * SLOTS;
    private static final int NONE = -1;

    private final Clock clock;
    private final long origin;
    /** Heads and tails of the slot lists (index {@code level * 64 + slot}) and of pending (index {@link #PENDING}). */
    private final Entry[] heads = new Entry[PENDING + 1];
    private final Entry[] tails = new Entry[PENDING + 1];
    private final long[] occupied = new long[LEVELS];
    private long elapsed;

    /** The tick of the next expiration, valid when {@code !nextDirty}; {@code Long.MAX_VALUE} for none. */
    private long nextTick = Long.MAX_VALUE;
    private boolean nextDirty;

    private int size;
    private long added;
    private long fired;
    private long cancelled;

    /** A wheel on the system clock. */
    public Timers() {
        this(Clock.system());
    }

    public Timers(Clock clock) {
        this.clock = clock;
        this.origin = clock.nanoTime();
    }

    /** The executor's clock now. */
    public long now() {
        return clock.nanoTime();
    }

    public Clock clock() {
        return clock;
    }

    /**
     * A registered timer. {@link #cancel()} unlinks it at once (O(1)); a
     * cancelled or fired entry never wakes again until {@link Timers#reset}.
     * Loop thread only.
     */
    public static final class Entry {
        private final Timers timers;
        long when;
        Waker waker;
        Entry prev;
        Entry next;
        /** The list it is on: a slot index, {@link #PENDING}, or {@link #NONE}. */
        int list = NONE;
        boolean fired;

        Entry(Timers timers) {
            this.timers = timers;
        }

        /** Whether it fired (since it was last armed). */
        public boolean fired() {
            return fired;
        }

        /** Whether it is in the wheel, waiting to fire. */
        public boolean isArmed() {
            return list != NONE;
        }

        /** The waker the timer wakes when it fires. */
        public void setWaker(Waker w) {
            waker = w;
        }

        /** The tick (ms since the wheel's origin) it is due at. */
        public long tick() {
            return when;
        }

        /** Takes the timer out of the wheel now, if it is there; it will not fire. Idempotent. */
        public void cancel() {
            if (list != NONE) {
                timers.unlink(this);
                timers.cancelled++;
                timers.nextDirty = true;
            }
            waker = null;
        }
    }

    /** Registers a timer that wakes {@code waker} once the clock reads {@code deadlineNanos} or later. */
    public Entry add(long deadlineNanos, Waker waker) {
        Entry e = new Entry(this);
        arm(e, deadlineNanos, waker);
        return e;
    }

    /** Re-arms {@code e} (fired, cancelled or armed) for a new deadline; no allocation. */
    public void reset(Entry e, long deadlineNanos, Waker waker) {
        if (e.timers != this) {
            throw new IllegalArgumentException("the entry belongs to another executor's timers");
        }
        if (e.list != NONE) {
            unlink(e);
            nextDirty = true;
        }
        arm(e, deadlineNanos, waker);
    }

    private void arm(Entry e, long deadlineNanos, Waker waker) {
        if (waker == null) {
            throw new NullPointerException("waker");
        }
        e.when = tickOf(deadlineNanos);
        e.waker = waker;
        e.fired = false;
        insert(e);
        size++;
        added++;
        if (!nextDirty && e.when < nextTick) {
            nextTick = Math.max(e.when, elapsed);
        }
    }

    /** The tick at or after {@code deadlineNanos}; 0 for a deadline before the origin. */
    long tickOf(long deadlineNanos) {
        long rel = deadlineNanos - origin;
        if (rel <= 0) {
            return 0;
        }
        long t = rel / TICK_NANOS;
        return rel % TICK_NANOS == 0 ? t : t + 1;
    }

    /** The clock reading at which tick {@code t} begins. */
    long nanosOf(long tick) {
        return origin + tick * TICK_NANOS;
    }

    /** Puts {@code e} on the list its {@code when} belongs to, relative to {@code elapsed}. */
    private void insert(Entry e) {
        long when = e.when;
        if (when <= elapsed) {
            link(e, PENDING);
            return;
        }
        int level = levelFor(elapsed, when);
        int slot = (int) ((when >>> (level * BITS)) & (SLOTS - 1));
        int idx = level * SLOTS + slot;
        link(e, idx);
        occupied[level] |= 1L << slot;
    }

    /** The level for a timer due at {@code when}, seen from {@code elapsed}: the top level for one beyond the wheel. */
    static int levelFor(long elapsed, long when) {
        long masked = (elapsed ^ when) | (SLOTS - 1);
        if (masked >= MAX_TICKS) {
            masked = MAX_TICKS - 1; // clamped onto the top level, which then acts as a ring
        }
        int significant = 63 - Long.numberOfLeadingZeros(masked);
        return significant / BITS;
    }

    private void link(Entry e, int idx) {
        Entry t = tails[idx];
        e.prev = t;
        e.next = null;
        if (t == null) {
            heads[idx] = e;
        } else {
            t.next = e;
        }
        tails[idx] = e;
        e.list = idx;
    }

    private void unlink(Entry e) {
        int idx = e.list;
        Entry p = e.prev;
        Entry n = e.next;
        if (p == null) {
            heads[idx] = n;
        } else {
            p.next = n;
        }
        if (n == null) {
            tails[idx] = p;
        } else {
            n.prev = p;
        }
        e.prev = e.next = null;
        e.list = NONE;
        size--;
        if (idx != PENDING && heads[idx] == null) {
            occupied[idx / SLOTS] &= ~(1L << (idx % SLOTS));
        }
    }

    /**
     * Fires every timer due at or before {@code now} (a reading of the
     * clock), in deadline order (same tick: insertion order); returns how
     * many. A waker may add or cancel timers while this runs.
     */
    public int fire(long now) {
        long nowTick = now - origin < 0 ? 0 : (now - origin) / TICK_NANOS;
        nextDirty = true;
        int n = drain(PENDING); // due before this call (added with a past deadline)
        if (nowTick > elapsed) {
            long t;
            while ((t = wheelNextTick()) <= nowTick) {
                n += process(t);
                n += drain(PENDING); // added by a waker, due at t: before the next tick
            }
            elapsed = nowTick;
        }
        return n + drain(PENDING);
    }

    /**
     * Empties the slot that expires at tick {@code t} (the lowest level's
     * first occupied slot) and fires what is due. A level-0 slot holds only
     * timers due at {@code t}: they fire in place, in order. A higher slot
     * cascades: its entries are re-inserted relative to {@code t}, those due
     * at {@code t} onto pending, which is then fired.
     */
    private int process(long t) {
        elapsed = t;
        for (int level = 0; level < LEVELS; level++) {
            if (occupied[level] == 0) {
                continue;
            }
            int slot = (int) ((t >>> (level * BITS)) & (SLOTS - 1));
            int idx = level * SLOTS + slot;
            if (level == 0) {
                // Wakers may add timers meanwhile: none can land in this slot (due ones go to pending).
                return drain(idx);
            }
            Entry e = heads[idx];
            heads[idx] = tails[idx] = null;
            occupied[level] &= ~(1L << slot);
            while (e != null) {
                Entry next = e.next;
                e.prev = e.next = null;
                e.list = NONE;
                insert(e); // when == t: pending; later: a lower level (or the top ring again)
                e = next;
            }
            return drain(PENDING);
        }
        throw new IllegalStateException("no occupied level at tick " + t);
    }

    /** Fires the entries of list {@code idx} one at a time, from its head, until it is empty. */
    private int drain(int idx) {
        int n = 0;
        Entry e;
        while ((e = heads[idx]) != null) {
            unlink(e);
            e.fired = true;
            Waker w = e.waker;
            e.waker = null;
            n++;
            io.weft.task.Wakes.wakeReporting(w, "a timer");
        }
        fired += n;
        return n;
    }

    /** As {@link #wheelNextTick()}, but {@code elapsed} when timers are pending. */
    private long nextExpirationTick() {
        return heads[PENDING] != null ? elapsed : wheelNextTick();
    }

    /** The tick of the wheel's next expiration (a due tick, or a cascade point), or {@code Long.MAX_VALUE}. */
    private long wheelNextTick() {
        for (int level = 0; level < LEVELS; level++) {
            long occ = occupied[level];
            if (occ == 0) {
                continue;
            }
            int shift = level * BITS;
            long slotRange = 1L << shift;
            long levelRange = slotRange << BITS;
            int nowSlot = (int) ((elapsed >>> shift) & (SLOTS - 1));
            int slot = (Long.numberOfTrailingZeros(Long.rotateRight(occ, nowSlot)) + nowSlot) & (SLOTS - 1);
            long levelStart = elapsed & -levelRange;
            long deadline = levelStart + slot * slotRange;
            if (deadline <= elapsed) {
                // Only on the top level, for a clamped timer: the slot is on the ring's next round.
                if (level != LEVELS - 1) {
                    throw new IllegalStateException("level " + level + " slot " + slot + " is behind elapsed tick " + elapsed);
                }
                deadline += levelRange;
                long others = occ & ~(1L << nowSlot);
                if (slot == nowSlot && others != 0) {
                    // The current slot holds only clamped timers (one due in it would sit lower), which wait a
                    // whole turn of the ring: every other occupied slot comes first, the next one in ring order.
                    int from = (nowSlot + 1) & (SLOTS - 1);
                    int next = (Long.numberOfTrailingZeros(Long.rotateRight(others, from)) + from) & (SLOTS - 1);
                    deadline = levelStart + next * slotRange;
                    if (deadline <= elapsed) {
                        deadline += levelRange; // before the current slot on the ring: the next round
                    }
                }
            }
            return deadline;
        }
        return Long.MAX_VALUE;
    }

    /**
     * When the loop must next look at the timers, as a clock reading: the
     * first tick of the earliest due timer, or of a cascade; a time already
     * past when timers are pending; {@link Long#MAX_VALUE} when there are none.
     */
    public long nextDeadline() {
        if (nextDirty) {
            nextTick = nextExpirationTick();
            nextDirty = false;
        }
        return nextTick == Long.MAX_VALUE ? Long.MAX_VALUE : nanosOf(nextTick);
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** Timers armed and not yet fired or cancelled. */
    public int size() {
        return size;
    }

    /** Timers armed since the wheel was made. */
    public long added() {
        return added;
    }

    /** Timers fired since the wheel was made. */
    public long firedCount() {
        return fired;
    }

    /** Timers cancelled while armed since the wheel was made. */
    public long cancelledCount() {
        return cancelled;
    }

    /** The last tick processed. */
    long elapsedTick() {
        return elapsed;
    }

    /** The level an armed entry is on, or -1 (pending or not armed); for tests of cascading. */
    int levelOf(Entry e) {
        return e.list == NONE || e.list == PENDING ? -1 : e.list / SLOTS;
    }
}
