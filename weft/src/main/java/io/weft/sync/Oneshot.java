package io.weft.sync;

import io.weft.Context;
import io.weft.Poll;
import io.weft.Waker;
import io.weft.task.SpinWait;
import io.weft.task.Wakes;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One value, sent once, received once.
 *
 * <p>Close semantics are a channel's: {@link #send} fails with
 * {@link ChannelClosedException} carrying the value if the receiver is
 * closed or a value was already sent (or {@link #closeSender()} was called);
 * {@link #recv()} fails with {@link ChannelClosedException} if the sender
 * closed without sending, or once the value was received. Values must not
 * be null. Java has no drop: a sender that goes away without sending or
 * {@link #closeSender()} (a task that failed, say) leaves the recv waiting
 * for ever; close the sender in a {@code finally}.
 *
 * <p>{@link #create()} (the shared family, any thread) is one object and a
 * state word, without a lock. A send with nobody waiting is one
 * compare-and-set (claimed and published at once), then the value's
 * release store; the recv or tryRecv that wins the value waits the moment
 * it may take to land. A send with recvs waiting claims the word and locks
 * the list in one compare-and-set, writes the value, then publishes it and
 * wakes every waiting recv (one takes the value, the others then see the
 * end, as a channel's receivers do once its only sender closed). The
 * waiting recvs form a list that a lock bit of the same word guards; it is
 * touched only by a recv that has to wait, its cancel, and the one publish
 * or close that ends the waiting. {@link #local()} is a {@link Channel} of
 * capacity one of the local family. (A {@code Channel} of capacity one
 * before: a lock taken twice per send and once per poll, a fifth of the
 * CPU of {@code StealBench.pingPongWeftPoll}.)
 *
 * <p>State word: {@code CLAIMED} (a send or closeSender began; only one
 * does), {@code SENT} (the value is published, or about to land),
 * {@code SENDER_CLOSED} (closed without a value), {@code TAKEN} (a recv or
 * tryRecv took it: one compare-and-set wins; a recv's give-back clears it
 * again, by compare-and-set, unless {@code TAKEN_SEEN}: a recv or tryRecv
 * has reported it received), {@code RECEIVER_CLOSED},
 * {@code LOCKED} (the waiter list is being changed), {@code WAITING} (the
 * list is not empty). {@code SENDER_CLOSED}, {@code RECEIVER_CLOSED},
 * {@code WAITING}, and {@code SENT} when a recv waits, are set only under
 * {@code LOCKED}; {@code SENT} when none waits only from a word without
 * {@code LOCKED} or {@code WAITING}. So a recv that links itself under the
 * lock has seen the last of them, and once any of the first three or
 * {@code SENT} is set the list is empty and no recv links again.
 */
public final class Oneshot<T> {
    private static final VarHandle STATE;
    private static final VarHandle VALUE;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATE = l.findVarHandle(Oneshot.class, "state", int.class);
            VALUE = l.findVarHandle(Oneshot.class, "value", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final int CLAIMED = 1;
    private static final int SENT = 1 << 1;
    private static final int SENDER_CLOSED = 1 << 2;
    private static final int TAKEN = 1 << 3;
    private static final int RECEIVER_CLOSED = 1 << 4;
    private static final int LOCKED = 1 << 5;
    /** The list of waiting recvs is not empty; changed under LOCKED. */
    private static final int WAITING = 1 << 6;
    /**
     * A recv or tryRecv reported the value received (it saw TAKEN): a
     * give-back can no longer clear TAKEN. Set by compare-and-set, before
     * that report; the give-back clears TAKEN by compare-and-set only
     * without it.
     */
    private static final int TAKEN_SEEN = 1 << 7;
    /** No recv waits once one of these is set. */
    private static final int ENDS_WAITING = SENT | SENDER_CLOSED | RECEIVER_CLOSED;

    /** The local family's channel; null for the shared one. */
    private final Channel<T> channel;
    private volatile int state;
    /** Written by the claiming sender before SENT; taken (and cleared) by the recv that sets TAKEN. */
    private T value;
    /** Waiting recvs, oldest first; under LOCKED. */
    private RecvOp head;
    private RecvOp tail;

    private Oneshot(Channel<T> channel) {
        this.channel = channel;
    }

    public static <T> Oneshot<T> create() {
        return new Oneshot<>(null);
    }

    public static <T> Oneshot<T> local() {
        return new Oneshot<>(Channel.localNamed("Oneshot.local", 1));
    }

    /** Sends the value and closes the sending side; never waits. */
    public void send(T value) {
        if (channel != null) {
            Sender<T> tx = channel.sender();
            if (!tx.trySend(value)) {
                throw new ChannelClosedException("oneshot: a value was already sent", value);
            }
            tx.close();
            return;
        }
        if (value == null) {
            throw new NullPointerException("channel values must not be null");
        }
        for (int spins = 0; ; spins++) {
            int s = state;
            if ((s & CLAIMED) != 0) {
                throw new ChannelClosedException("oneshot: a value was already sent, or the sender was closed", value);
            }
            if ((s & RECEIVER_CLOSED) != 0) {
                throw new ChannelClosedException("send on a oneshot whose receiver is closed", value);
            }
            if ((s & LOCKED) != 0) {
                SpinWait.backOff(spins);
            } else if ((s & WAITING) == 0) {
                // Nobody waits (and nobody can start to: a recv links itself only under LOCKED, then sees SENT).
                // Claimed and published in one step; the value follows, and a taker waits the moment for it.
                if (STATE.weakCompareAndSet(this, s, s | CLAIMED | SENT)) {
                    VALUE.setRelease(this, value);
                    return;
                }
            } else if (STATE.weakCompareAndSet(this, s, s | CLAIMED | LOCKED)) {
                this.value = value; // before endWaiting's release of SENT
                endWaiting(SENT);
                return;
            }
        }
    }

    /** Closes the sending side without a value: the receiver gets {@link ChannelClosedException}. */
    public void closeSender() {
        if (channel != null) {
            channel.sender().close();
            return;
        }
        for (int s = state; ; s = state) {
            if ((s & CLAIMED) != 0) {
                return; // sent, or closed already
            }
            if (STATE.weakCompareAndSet(this, s, s | CLAIMED)) {
                break;
            }
        }
        lock();
        endWaiting(SENDER_CLOSED);
    }

    /**
     * The value, once sent; {@link ChannelClosedException} if the sender
     * closed without one.
     *
     * <p><b>Cancel safety:</b> a cancelled recv took nothing; the value
     * waits for the next {@code recv()} or {@link #tryRecv()}.
     */
    public WaitFuture<T> recv() {
        return channel != null ? channel.receiver().recv() : new RecvOp();
    }

    /** The value if it was sent, null if not yet; throws if the sender closed without one. */
    public T tryRecv() {
        if (channel != null) {
            return channel.receiver().tryRecv();
        }
        for (int s = state; ; s = state) {
            if ((s & (SENT | TAKEN)) == SENT) {
                if (STATE.compareAndSet(this, s, s | TAKEN)) {
                    return take();
                }
            } else if ((s & ENDS_WAITING) != 0) {
                if (!seenTaken(s)) {
                    continue; // the state moved (a give-back cleared TAKEN): look again
                }
                throw endOfStream(s);
            } else {
                return null;
            }
        }
    }

    /** The receiver gives up: a later send fails and gives its value back. */
    public void closeReceiver() {
        if (channel != null) {
            channel.receiver().close();
            return;
        }
        int s = lock();
        if ((s & RECEIVER_CLOSED) != 0) {
            unlock(0, 0);
            return;
        }
        endWaiting(RECEIVER_CLOSED);
    }

    // ---- the shared family's machinery ----

    /**
     * Takes the value; by the one thread whose compare-and-set set TAKEN.
     * A send that found nobody waiting publishes SENT first and writes the
     * value just after: the taker waits for it (values are never null).
     */
    @SuppressWarnings("unchecked")
    private T take() {
        T v;
        for (int spins = 0; (v = (T) VALUE.getAcquire(this)) == null; spins++) {
            SpinWait.backOff(spins);
        }
        value = null;
        return v;
    }

    /**
     * Before reporting the end for state {@code s}: if the value was taken,
     * marks TAKEN_SEEN (a give-back after this report keeps it away). False
     * if the state moved meanwhile: the caller looks again.
     */
    private boolean seenTaken(int s) {
        return (s & TAKEN) == 0 || (s & TAKEN_SEEN) != 0 || STATE.compareAndSet(this, s, s | TAKEN_SEEN);
    }

    private static ChannelClosedException endOfStream(int s) {
        return new ChannelClosedException((s & SENT) != 0 ? "oneshot: the value was already received"
                : (s & RECEIVER_CLOSED) != 0 ? "receiver closed and channel drained"
                : "every sender closed and channel drained", null);
    }

    /** Sets LOCKED (spinning while another thread holds it); the state before. */
    private int lock() {
        for (int spins = 0; ; spins++) {
            int s = state;
            if ((s & LOCKED) == 0 && STATE.weakCompareAndSet(this, s, s | LOCKED)) {
                return s;
            }
            SpinWait.backOff(spins);
        }
    }

    /** Under LOCKED: clears it, setting {@code set} and clearing {@code clear} in the same step. */
    private void unlock(int set, int clear) {
        int s;
        do {
            s = state;
        } while (!STATE.weakCompareAndSet(this, s, (s | set) & ~(LOCKED | clear)));
    }

    /**
     * Under LOCKED: sets {@code bit} (one of ENDS_WAITING) and unlocks in
     * one step, then wakes every recv that was waiting. No recv links
     * itself after that, so the detached list is this thread's to walk.
     */
    private void endWaiting(int bit) {
        RecvOp first = head;
        head = tail = null;
        for (RecvOp w = first; w != null; w = w.next) {
            w.linked = false;
        }
        unlock(bit, WAITING);
        for (RecvOp w = first; w != null; ) {
            RecvOp next = w.next;
            Waker k = w.waker;
            w.next = w.prev = null;
            w.waker = null;
            Wakes.wakeReporting(k, "a recv of a Oneshot"); // a throw would leave the others asleep
            w = next;
        }
    }

    private final class RecvOp implements WaitFuture<T>, io.weft.compose.GivesBack<T> {
        /** Under LOCKED. */
        RecvOp prev;
        RecvOp next;
        Waker waker;
        /** Set under LOCKED by this op's poll, cleared under LOCKED by it, its cancel or the end of waiting. */
        boolean linked;
        /** Ready returned, thrown, or cancelled: the poller's thread. */
        boolean done;
        /** Ready returned, and the value not given back: the poller's thread. */
        boolean took;

        @Override
        public Poll<T> poll(Context cx) {
            if (done) {
                throw new IllegalStateException("recv future polled after it completed or was cancelled");
            }
            for (int s = state; ; s = state) {
                if ((s & (SENT | TAKEN)) == SENT) {
                    if (!cx.consumeBudget()) {
                        return Poll.pending(); // the budget's wake polls it again; the value stays
                    }
                    if (STATE.compareAndSet(Oneshot.this, s, s | TAKEN)) {
                        done = took = true;
                        return Poll.ready(take()); // not linked: SENT emptied the list
                    }
                } else if ((s & ENDS_WAITING) != 0) {
                    if (!seenTaken(s)) {
                        continue; // the state moved (a give-back cleared TAKEN): look again
                    }
                    done = true;
                    throw endOfStream(s);
                } else {
                    int locked = lock();
                    if ((locked & ENDS_WAITING) != 0) {
                        unlock(0, 0);
                        continue; // it ended meanwhile: look again
                    }
                    waker = cx.waker();
                    if (!linked) {
                        linked = true;
                        prev = tail;
                        if (tail == null) {
                            head = this;
                        } else {
                            tail.next = this;
                        }
                        tail = this;
                    }
                    unlock(WAITING, 0);
                    return Poll.pending();
                }
            }
        }

        /**
         * The value this recv returned, which a combinator took and gave up
         * (a join past its deadline): the oneshot holds it again, for the
         * next recv or tryRecv. No recv waits once it was sent, so there is
         * nobody to wake. If a recv or tryRecv was told meanwhile that the
         * value was received, it stays received: closed if AutoCloseable.
         */
        @Override
        public void giveBack(T v) {
            if (v == null) {
                throw new NullPointerException("channel values must not be null");
            }
            if (!took) {
                throw new IllegalStateException("a recv gives back only the value it returned");
            }
            took = false;
            VALUE.setRelease(Oneshot.this, v); // before TAKEN clears: a taker's compare-and-set then sees it
            for (int s = state; ; s = state) {
                if ((s & TAKEN_SEEN) != 0) { // reported received since: it cannot come back
                    VALUE.setRelease(Oneshot.this, null); // TAKEN stays: no taker reads it
                    io.weft.compose.GivesBack.dispose(v);
                    return;
                }
                if (STATE.compareAndSet(Oneshot.this, s, s & ~TAKEN)) {
                    return;
                }
            }
        }

        /** Leaves the list; the value, if it comes or came, stays for the next recv or tryRecv. */
        @Override
        public void cancel() {
            if (done) {
                return;
            }
            done = true;
            if (!linked) {
                return; // never linked, or unlinked by the end of waiting (only this op sets it)
            }
            lock();
            if (linked) {
                linked = false;
                if (prev == null) {
                    head = next;
                } else {
                    prev.next = next;
                }
                if (next == null) {
                    tail = prev;
                } else {
                    next.prev = prev;
                }
                prev = next = null;
                waker = null;
            }
            unlock(0, head == null ? WAITING : 0);
        }
    }
}
