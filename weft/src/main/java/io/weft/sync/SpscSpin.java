package io.weft.sync;

import io.weft.executor.Worker;

/**
 * The short spin of an {@link SpscChannel} side's task before it suspends
 * on an empty (full) ring, on the fast road of {@code await()}.
 *
 * <p>A suspension and the wake that ends it (a continuation's freeze and
 * thaw, the other side's exchange of the waker and its push onto this
 * executor's remote queue) cost a few hundred nanoseconds, many times a
 * value's trip through the ring. Between two executors that stream values,
 * a receiver that suspends each time it catches up with the sender pays
 * that for a handful of values, and the sender pays the wake: the channel
 * ran at 24 to 30 ns per value this way, against 17 to 22 with the spin
 * (BENCHMARKS.md, "Between executors"). So a side that finds the ring
 * empty (full) first spins, but only while a spin can pay:
 * <ul>
 *   <li>the other side's executor is awake ({@link Worker#awake()}): a
 *       parked executor sends (frees) nothing before something wakes it;
 *       a plain thread on the other side, whose state is not known, gets
 *       no spin either. Except when this side woke that executor, less than
 *       {@link #WAKING_NANOS} (50 µs; {@code -Dweft.spsc.wakingNanos}, 0
 *       turns it off) ago: it is getting up and will send (free) soon, so
 *       the spin waits for it, yielding this CPU at each look (the two may
 *       share one), then spins the usual time from when it is up. Without
 *       it, the two sides fell into a convoy: the sender parks on a full
 *       ring, the receiver wakes it, empties the ring (1,024 values, a few
 *       microseconds) before the sender's thread is back (a parked thread
 *       takes tens of microseconds to wake on this machine), finds the
 *       sender still asleep, so parks at once; the sender fills the ring,
 *       wakes it, and parks in turn. Runs that fell into it took 10 to 40 ns
 *       per value instead of 6 (BENCHMARKS.md, "Between executors");</li>
 *   <li>nothing else is ready on this executor
 *       ({@link Worker#othersReady()}): the spin never holds back another
 *       task;</li>
 *   <li>at most {@link #SPIN_NANOS} (2 µs; {@code -Dweft.spsc.spinNanos},
 *       0 turns the spin off) once the other side is up, about what the
 *       suspension would cost, so an idle channel costs each wait at most
 *       that much CPU (plus, after this side woke a parked peer, the time
 *       it takes to get up, at most {@link #WAKING_NANOS}, yielding);</li>
 *   <li>until a close;</li>
 *   <li>and not after {@link #MISSES} spins in a row that found nothing:
 *       then only one wait in {@link #SKIPS} spins, to see whether spinning
 *       pays again (one that finds something ends the back-off).</li>
 * </ul>
 * An "awake" executor may not be running: its thread may wait for this
 * very CPU (two threads on two CPUs share one whenever something else
 * runs, a compiler thread, a collector). A spin then holds back what it
 * waits for, and the two sides took turns at 70 to 300 ns per value for
 * whole runs. So a spin yields the CPU every {@link #YIELD_NANOS} (1 µs;
 * {@code -Dweft.spsc.yieldNanos}, 0: never), and backs off as above.
 * Neither side spins on the line the other is writing. Once a value
 * lands, the receiver waits a moment more for the sender to fill the rest
 * of a 128-byte stretch of slots ({@link #fillLine}): taking each value the
 * moment it lands keeps both sides on one cache line, each value paying a
 * transfer of the line (in a probe, runs that fell into that took 70 to
 * 160 ns per value without it; with it, 14 to 18). A sender on a full ring
 * looks at the slot a quarter ring ahead ({@code lookAhead}, as its
 * {@code hasRoom} does) instead of the one the receiver is freeing, and
 * goes on once that quarter is free; at the end of its spin it takes a
 * single freed slot too. Looking at the receiver's own slot kept pulling
 * that line away from the receiver's stores, each of which then waited in
 * its fence: once a send no longer allocated, the sender caught up with the
 * receiver and the two ran at 14 to 28 ns per value that way, 11 this way
 * (BENCHMARKS.md).
 *
 * <p>The spin changes no rule of the protocol: it only reads the ring
 * (with the same acquire loads as a recv or a send), and what it found is
 * taken by the fast road as before. The counters are the side's own plain
 * fields, read by tests on that side's thread.
 */
final class SpscSpin {
    /** The longest spin before a suspension once the other side is up (see {@link #WAKING_NANOS} before). */
    static final long SPIN_NANOS = Long.getLong("weft.spsc.spinNanos", 2_000);
    /** The stretch a side lets the other fill (free) before it goes on: 128 bytes of references, two cache lines. */
    private static final int LINE_SLOTS = 32;
    /** How long {@link #fillLine} waits for the rest of the stretch: about what 32 values take a sender. */
    private static final long LINE_WAIT_NANOS = 500;
    /** How long after this side woke the other a spin waits for it to get up (its executor parked). */
    static final long WAKING_NANOS = Long.getLong("weft.spsc.wakingNanos", 50_000);
    /** How often a spin for an awake peer yields this CPU ({@code -Dweft.spsc.yieldNanos}; 0: never). */
    static final long YIELD_NANOS = Long.getLong("weft.spsc.yieldNanos", 1_000);
    /** Spins in a row that found nothing, after which a side spins only once in {@link #SKIPS} waits. */
    private static final int MISSES = 3;
    /** A power of two. */
    private static final int SKIPS = 8;

    private SpscSpin() {
    }

    /**
     * A task of side {@code mine} of {@code ch} found the ring empty
     * ({@code forValue}) or full. True: a value (a free slot) came. False:
     * suspend; a close, a sleeping or plain-thread peer, a ready task here,
     * or the time ends the spin.
     */
    static boolean spin(SpscChannel<?> ch, ThreadBinding mine, ThreadBinding peer, boolean forValue) {
        Worker me = mine.executor();
        Worker other = peer.executor();
        if (me == null || other == null || SPIN_NANOS <= 0) {
            return false;
        }
        if ((forValue ? ch.recvSpinMisses : ch.sendSpinMisses) >= MISSES) {
            int skips = forValue ? ++ch.recvSpinSkips : ++ch.sendSpinSkips;
            if ((skips & (SKIPS - 1)) != 0) {
                countGivenUp(ch, forValue);
                return false; // the last spins found nothing: suspend at once, spin again now and then to see
            }
        }
        long woke = forValue ? ch.wokeProducerAt : ch.wokeConsumerAt;
        long deadline = 0;
        long yielded = 0;
        boolean waitedForWake = false;
        for (int i = 0;; i++) {
            if ((i & 15) == 0) {
                if (me.othersReady() || (forValue ? ch.closedForRecv() : ch.lvReceiverClosed())) {
                    countGivenUp(ch, forValue);
                    return false;
                }
                long now = System.nanoTime();
                if (!other.awake()) {
                    if (woke == 0 || now - woke >= WAKING_NANOS) {
                        if (waitedForWake) {
                            missed(ch, forValue);
                        }
                        countGivenUp(ch, forValue);
                        return false;
                    }
                    waitedForWake = true; // we woke it: it is getting up, and will send (free) soon
                    Thread.yield(); // if it waits for this CPU, let it have it
                } else if (waitedForWake) {
                    waitedForWake = false;
                    deadline = now + SPIN_NANOS; // up now: the usual spin from here
                } else if (YIELD_NANOS > 0 && now - yielded >= YIELD_NANOS && i > 0) {
                    yielded = now;
                    Thread.yield(); // the other side may be waiting for this CPU
                }
                if (i == 0) {
                    deadline = now + SPIN_NANOS;
                    yielded = now;
                } else if (!waitedForWake && now - deadline >= 0) {
                    if (!forValue && ch.ready(false, 0)) {
                        hit(ch, forValue);
                        return true; // a slow receiver freed a slot meanwhile: no suspension for it
                    }
                    missed(ch, forValue);
                    countGivenUp(ch, forValue);
                    return false;
                }
            }
            if (forValue) {
                ch.recvSpinRounds++;
            } else {
                ch.sendSpinRounds++;
            }
            Thread.onSpinWait();
            if (forValue ? ch.ready(true, 0) : ch.ready(false, ch.lookAhead() - 1)) {
                hit(ch, forValue);
                if (forValue) {
                    fillLine(ch);
                }
                return true;
            }
        }
    }

    /** A spin that ran out: after {@link #MISSES} in a row, only one spin in {@link #SKIPS} is tried. */
    private static void missed(SpscChannel<?> ch, boolean forValue) {
        if (forValue) {
            if (ch.recvSpinMisses < MISSES) {
                ch.recvSpinMisses++;
            }
        } else if (ch.sendSpinMisses < MISSES) {
            ch.sendSpinMisses++;
        }
    }

    private static void hit(SpscChannel<?> ch, boolean forValue) {
        if (forValue) {
            ch.recvSpinMisses = 0;
        } else {
            ch.sendSpinMisses = 0;
        }
    }

    private static void countGivenUp(SpscChannel<?> ch, boolean forValue) {
        if (forValue) {
            ch.recvSpinsGivenUp++;
        } else {
            ch.sendSpinsGivenUp++;
        }
    }

    /**
     * After the first value landed: waits at most {@link #LINE_WAIT_NANOS}
     * for the sender to fill {@link #LINE_SLOTS}, looking only at the last
     * of them (a pause lasts 2 ns on one CPU and 40 on another, so the wait
     * is timed).
     */
    private static void fillLine(SpscChannel<?> ch) {
        int last = Math.min(LINE_SLOTS, ch.capacity()) - 1;
        long start = 0;
        for (int i = 0; !ch.ready(true, last); i++) {
            if ((i & 3) == 0) {
                long now = System.nanoTime();
                if (i == 0) {
                    start = now;
                } else if (now - start >= LINE_WAIT_NANOS) {
                    return;
                }
            }
            Thread.onSpinWait();
        }
    }
}
