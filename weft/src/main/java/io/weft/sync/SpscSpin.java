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
 *       no spin either;</li>
 *   <li>nothing else is ready on this executor
 *       ({@link Worker#othersReady()}): the spin never holds back another
 *       task;</li>
 *   <li>at most {@link #SPIN_NANOS} (2 µs; {@code -Dweft.spsc.spinNanos},
 *       0 turns the spin off), about what the suspension would cost, so an
 *       idle channel costs each wait at most that much CPU;</li>
 *   <li>until a close.</li>
 * </ul>
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
    /** The longest spin before a suspension. */
    static final long SPIN_NANOS = Long.getLong("weft.spsc.spinNanos", 2_000);
    /** The stretch a side lets the other fill (free) before it goes on: 128 bytes of references, two cache lines. */
    private static final int LINE_SLOTS = 32;
    /** How long {@link #fillLine} waits for the rest of the stretch: about what 32 values take a sender. */
    private static final long LINE_WAIT_NANOS = 500;

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
        long deadline = 0;
        for (int i = 0;; i++) {
            if ((i & 15) == 0) {
                if (!other.awake() || me.othersReady() || (forValue ? ch.closedForRecv() : ch.lvReceiverClosed())) {
                    countGivenUp(ch, forValue);
                    return false;
                }
                long now = System.nanoTime();
                if (i == 0) {
                    deadline = now + SPIN_NANOS;
                } else if (now - deadline >= 0) {
                    if (!forValue && ch.ready(false, 0)) {
                        return true; // a slow receiver freed a slot meanwhile: no suspension for it
                    }
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
                if (forValue) {
                    fillLine(ch);
                }
                return true;
            }
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
