package io.weft.sync;

import io.weft.Waker;
import io.weft.task.Budget;
import io.weft.task.PollEndFence;
import io.weft.task.Wakes;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The ring of an {@link SpscChannel} and the two Dekker pairs that let a
 * side sleep (the package comment's "The SPSC wake protocol", 1 to 3 and
 * 6): the slots and their accesses, each side's half of each pair (fenced,
 * or with the fence deferred to the end of the task's poll), and the look
 * a side takes before it sleeps. {@link SpscChannel} adds the futures,
 * the waiters and the closes. Fields and methods of the producer's half
 * are the producer thread's, the consumer's the consumer thread's, as
 * {@link SpscLayout} says.
 */
abstract class SpscRing extends SpscLayout.PadTail {
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);
    /** Unused slots at each end of the ring (128 bytes with compressed references), so that no other object shares its first and last lines. */
    private static final int RING_PAD = 32;
    /** The largest capacity a ring holds: its array has padding on both sides, and a JVM's arrays stop a little short of Integer.MAX_VALUE. */
    static final int MAX_CAPACITY = Integer.MAX_VALUE - 8 - 2 * RING_PAD;

    /** {@code RING_PAD + capacity + RING_PAD} slots; slot i of the ring is {@code ring[RING_PAD + i]}. */
    private final Object[] ring;
    final int capacity;
    /** How far ahead the producer looks for free slots (a quarter of the ring, 1 to 4096). */
    private final int lookAhead;
    /** What a poll that published (freed slots) with its fence deferred runs at its end. */
    private final PollEndFence pollEnd = this::atPollEnd;
    private final PollEndFence takePollEnd = this::atTakePollEnd;

    SpscRing(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("SpscChannel capacity must be at least 1, was " + capacity);
        }
        if (capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("SpscChannel capacity too large: " + capacity + " (at most "
                    + MAX_CAPACITY + ")");
        }
        this.capacity = capacity;
        this.lookAhead = Math.max(1, Math.min(capacity / 4, 4096));
        this.ring = new Object[RING_PAD + capacity + RING_PAD];
    }

    // =====================================================================
    // Slots
    // =====================================================================

    /** Pairs with the other side's {@link #svElement}: a value's contents, or a freed slot's last read. */
    final Object lvElement(int i) {
        return SLOT.getVolatile(ring, RING_PAD + i);
    }

    /**
     * A value (producer) or null (consumer): a release for the other side's
     * {@link #lvElement}, and the store half of a Dekker pair, ordered
     * before this side's next volatile load of the other side's waker.
     */
    final void svElement(int i, Object v) {
        SLOT.setVolatile(ring, RING_PAD + i, v);
    }

    /**
     * A value (producer) or null (consumer) on the fast road: the same
     * release for the other side's {@link #lvElement}, but not ordered
     * before this side's next load; the fence that orders it comes at the
     * poll's end ({@code Budget.pollEnded}, before {@link #atPollEnd} and
     * {@link #atTakePollEnd}).
     */
    final void soElement(int i, Object v) {
        SLOT.setRelease(ring, RING_PAD + i, v);
    }

    /**
     * Whether slot {@code head + k} holds a value ({@code forValue},
     * consumer) or slot {@code tail + k} is free (producer); for
     * {@link SpscSpin}, which asks on a ring it found empty (full), where the
     * other side fills (frees) slots in order from there: so it also says
     * that every slot before it is.
     */
    final boolean ready(boolean forValue, int k) {
        int i = (forValue ? head : tail) + k;
        if (i >= capacity) {
            i -= capacity;
        }
        return forValue ? lvElement(i) != null : lvElement(i) == null;
    }

    final int next(int i) {
        return i + 1 == capacity ? 0 : i + 1;
    }

    final int lookAhead() {
        return lookAhead;
    }

    // =====================================================================
    // The producer's halves (producer thread only)
    // =====================================================================

    /** Whether slot {@code tail} is free; looks {@code lookAhead} slots ahead when nothing is known. */
    final boolean hasRoom() {
        if (freeAhead > 0) {
            return true;
        }
        int t = tail;
        int ahead = t + lookAhead - 1;
        if (ahead >= capacity) {
            ahead -= capacity;
        }
        if (lookAhead > 1 && lvElement(ahead) == null) {
            freeAhead = lookAhead; // the consumer frees in order: every slot from tail to ahead is free
            return true;
        }
        if (lvElement(t) == null) {
            freeAhead = 1;
            return true;
        }
        return false;
    }

    /**
     * The ordinary road's publish (hasRoom() was true), fenced: {@code v}
     * goes out unless the receiver is closed (false: nothing went out). It
     * stores first, then looks at the close (7): a consumer closing now
     * either sees the value, or is seen here, and then the value is taken
     * back unless that consumer took it already (both by compare-and-set:
     * exactly one of them has it).
     */
    final boolean publishUnlessClosed(Object v) {
        int t = tail;
        svElement(t, v); // then the look below: the close pair's producer half
        if (lvReceiverClosed() && SLOT.compareAndSet(ring, RING_PAD + t, v, null)) {
            return false; // closed meanwhile, and not taken: nothing went out
        }
        tail = next(t);
        freeAhead--;
        wakeConsumer();
        return true;
    }

    /**
     * The fast road's mark, before its look at {@code receiverClosed}: once
     * a poll, a volatile store of {@code fenceOwed} (a full fence), and the
     * poll's end is asked to fence what goes out and clear the mark
     * ({@link #atPollEnd}). True if the receiver is still open: the caller
     * may publish with {@link #publishDeferringFence}.
     */
    final boolean markPublishing(Budget b) {
        if (!fenceOwed) {
            svFenceOwed(true);
            b.deferToPollEnd(pollEnd);
        }
        return !lvReceiverClosed();
    }

    /**
     * {@link #publish} inside a task's poll, its fence deferred to the
     * poll's end ({@code b}'s; the package comment's protocol, 6): a release store, and
     * a look at the consumer's waker that may miss a consumer going to sleep
     * at this moment but wakes one asleep for a while at once.
     */
    final void publishDeferringFence(Object v) {
        int t = tail;
        soElement(t, v); // pairs with the consumer's lvElement: v's contents are visible
        tail = next(t);
        freeAhead--;
        if (laRecvWaker() != null) {
            takeAndWakeConsumer();
        }
    }

    /**
     * The end of a poll that published with {@link #publishDeferringFence},
     * after {@code Budget.pollEnded}'s full fence (which orders those release
     * stores before the load of the consumer's waker): the look, the "empty"
     * Dekker pair's producer half, paid once a poll.
     */
    final void atPollEnd() {
        svFenceOwed(false); // after the fence: every value of the poll is out before a closed consumer sees this
        wakeConsumer(); // pairs with the consumer's svRecvWaker
    }

    /** After {@code svElement(v)} or {@code svSenderClosed}: the load half of the "empty" Dekker pair. */
    final void wakeConsumer() {
        if (lvRecvWaker() != null) { // pairs with the consumer's svRecvWaker in sleepRecv
            takeAndWakeConsumer();
        }
    }

    /** The consumer registered a waker: take it (one registration, at most one wake) and wake it. */
    final void takeAndWakeConsumer() {
        Waker w = xchgRecvWakerNull();
        if (w != null) {
            wokeConsumerAt = System.nanoTime();
            Wakes.wakeReporting(w, "a recv of an SpscChannel"); // a throw would fail a send whose value is in
        }
    }

    /**
     * The first waiting send goes to sleep on a full ring: registers
     * {@code w}, then looks again. True: still full and open, sleep (the
     * consumer's next freed slot or close wakes {@code w}). False: room or a
     * close appeared meanwhile; the registration is withdrawn.
     */
    final boolean sleepSend(Waker w) {
        svSendWaker(w); // pairs with the consumer's lvSendWaker in wakeProducer
        if (!lvReceiverClosed() && !hasRoom()) {
            return true;
        }
        soSendWakerNull();
        return false;
    }

    // =====================================================================
    // The consumer's halves (consumer thread only)
    // =====================================================================

    final boolean closedForRecv() {
        return lvSenderClosed() || lvReceiverClosed();
    }

    /**
     * The value in slot {@code head}, or null; throws at the end of the
     * stream. After the receiver's close, not while a send that looked at the
     * ring before the close may still put its value there
     * ({@link #sendInFlight}): null then, and the producer wakes a sleeping
     * consumer when it is out (7).
     */
    final Object peek() {
        int h = head;
        Object v = lvElement(h); // pairs with the producer's svElement(v): v's contents are visible
        if (v == null && closedForRecv()) {
            boolean inFlight = sendInFlight(); // before the look below: a send's value is out before its mark clears
            v = lvElement(h); // a value published before the close is visible once the close is
            if (v == null) {
                if (inFlight) {
                    return null;
                }
                throw new ChannelClosedException(lvReceiverClosed() ? "SpscChannel receiver closed and drained"
                        : "SpscChannel sender closed and every value received", null);
            }
        }
        return v;
    }

    /** The receiver is closed and a send of the producer's may be under way, its value not out yet (7). */
    final boolean sendInFlight() {
        return lvReceiverClosed() && lvFenceOwed();
    }

    /**
     * Empties slot {@code head}, which held {@code v} (peek() returned it),
     * and wakes a producer sleeping on a full ring. False if, the receiver
     * closed, the producer took {@code v} back first (7): nothing was taken.
     */
    final boolean take(Object v) {
        int h = head;
        if (closedHere) {
            if (!SLOT.compareAndSet(ring, RING_PAD + h, v, null)) {
                return false; // taken back by a send that saw the close
            }
        } else {
            svElement(h, null);
        }
        head = next(h);
        wakeProducer();
        return true;
    }

    /** After {@code svElement(null)} or {@code svReceiverClosed}: the load half of the "full" Dekker pair. */
    final void wakeProducer() {
        if (lvSendWaker() != null) { // pairs with the producer's svSendWaker in sleepSend
            takeAndWakeProducer();
        }
    }

    /** The producer registered a waker: take it (one registration, at most one wake) and wake it. */
    final void takeAndWakeProducer() {
        Waker w = xchgSendWakerNull();
        if (w != null) {
            wokeProducerAt = System.nanoTime();
            Wakes.wakeReporting(w, "a send of an SpscChannel"); // a throw would fail a recv that took its value
        }
    }

    /**
     * {@link #take} inside a task's poll, its fence deferred to the poll's
     * end, as {@link #publishDeferringFence} the other way: a release store
     * of null, a look at the producer's waker that may miss a producer
     * going to sleep at this moment, and the fence and the look that may
     * not when the poll ends ({@link #atTakePollEnd}).
     */
    final void takeDeferringFence(Budget b) {
        int h = head;
        soElement(h, null); // pairs with the producer's lvElement: the slot was read
        head = next(h);
        if (laSendWaker() != null) {
            takeAndWakeProducer();
        }
        if (!takeFenceOwed) {
            takeFenceOwed = true;
            b.deferToPollEnd(takePollEnd);
        }
    }

    /**
     * The end of a poll that freed slots with {@link #takeDeferringFence},
     * after {@code Budget.pollEnded}'s full fence: the "full" pair's consumer
     * half.
     */
    final void atTakePollEnd() {
        takeFenceOwed = false;
        wakeProducer(); // after the fence: pairs with the producer's svSendWaker
    }

    /**
     * The first waiting recv goes to sleep on an empty ring: registers
     * {@code w}, then looks again. True: still empty and open, sleep (the
     * producer's next value or close wakes {@code w}). False: a value or a
     * close appeared meanwhile; the registration is withdrawn.
     */
    final boolean sleepRecv(Waker w) {
        svRecvWaker(w); // pairs with the producer's lvRecvWaker in wakeConsumer
        if (lvElement(head) == null && (!closedForRecv() || sendInFlight())) {
            return true; // a send in flight after the close: its poll's end (or its own) wakes this waker
        }
        soRecvWakerNull();
        return false;
    }
}
