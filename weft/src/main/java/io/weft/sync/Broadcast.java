package io.weft.sync;

import io.weft.Context;
import io.weft.Poll;

/**
 * Every value to every receiver (tokio's {@code sync::broadcast}): many
 * senders, many receivers, a bounded ring of the last {@code capacity}
 * values. Each {@link Receiver} gets every value sent after it subscribed, in
 * order; a receiver that falls more than {@code capacity} values behind is
 * told how many it missed and goes on from the oldest value still held.
 *
 * <pre>{@code
 * var b = Broadcast.<String>create(16);        // shared: any thread, any executor
 * var local = Broadcast.<String>local(16);     // local: the tasks of this executor only
 * Broadcast.Receiver<String> rx = b.subscribe();
 * b.sender().send("hello");                    // never waits; returns the receivers it reaches
 * String s = rx.recv().await();
 * }</pre>
 *
 * <h2>Sending</h2>
 * <ul>
 *   <li>{@link Sender#send} never waits. It stores the value in the next
 *       slot of the ring, overwriting the oldest value once the ring is
 *       full, wakes every waiting receiver, and returns the number of
 *       receivers subscribed now: those, and only those, will see it.</li>
 *   <li>With no receiver subscribed, {@code send} stores nothing and throws
 *       {@link ChannelClosedException} carrying the value back (tokio's
 *       {@code SendError}): nobody could ever see it. A later
 *       {@link #subscribe()} makes sends succeed again.</li>
 *   <li>A send on a closed {@link Sender} handle fails the same way.</li>
 * </ul>
 *
 * <h2>Receiving and lag</h2>
 * A receiver is a cursor {@code next}: the position of the next value it
 * will receive. {@link #subscribe()} starts it at the current tail, so it
 * sees exactly the values sent after it subscribed.
 * <ul>
 *   <li>The value at {@code next} still held: {@code recv} returns it and
 *       advances the cursor.</li>
 *   <li>Nothing sent at {@code next} yet: {@code recv} waits
 *       ({@code tryRecv} returns null); once every sender is closed it
 *       reports the end of the stream with {@link ChannelClosedException}
 *       instead.</li>
 *   <li>The value at {@code next} was overwritten (the receiver is more than
 *       {@code capacity} values behind): {@code recv} fails with
 *       {@link LaggedException}, whose {@link LaggedException#missed()} is
 *       the exact number of values it skips, and moves the cursor to the
 *       oldest value still held, which the next {@code recv} returns (tokio's
 *       {@code RecvError::Lagged}). Lag is reported before the end of the
 *       stream.</li>
 * </ul>
 * The capacity is exact (tokio rounds it up to a power of two): a receiver
 * lags only when more than {@code capacity} values it has not received were
 * sent.
 *
 * <h2>Close</h2>
 * <ul>
 *   <li>Each {@link Sender} handle is closed once ({@link Sender#close()},
 *       idempotent); the last one closes the broadcast. Receivers still get
 *       every value held for them (and a lag report if they fell behind),
 *       then {@link ChannelClosedException} (end of the stream); a receiver
 *       subscribed after the close gets the end at once.</li>
 *   <li>{@link Receiver#close()} unsubscribes: the receiver stops counting
 *       for sends and for the values it had not received yet, and its
 *       {@code recv} / {@code tryRecv}, pending or new, fail with
 *       {@link ChannelClosedException}.</li>
 * </ul>
 *
 * <h2>Memory</h2>
 * Each slot counts the receivers that still have to read its value:
 * {@code remaining} is set to the number of receivers when the value is
 * sent, and drops by one when one of them receives it or closes. At zero
 * the slot's value is set to null, so the ring holds no value that nobody
 * will read (tokio does the same). The count stays exact across lag: a
 * lagging receiver skips only slots that were overwritten, whose counts
 * were reset by the overwriting send. A receiver that user code drops
 * without closing keeps counting, so its values stay until overwritten
 * (at most {@code capacity} of them): Java has no drop, close a receiver
 * you no longer need.
 *
 * <h2>Waiting, cancellation</h2>
 * Waiting {@code recv}s of every receiver are in one queue, and every send
 * wakes all of them (a wake is a hint: "try again"). A value is taken only
 * by the poll (or {@code tryRecv}) that returns it, by advancing that
 * receiver's cursor; until then it stays in its slot. So a recv that was
 * woken and then aborted takes nothing: the value is still at its
 * receiver's cursor for the next {@code recv}, and there is no hint to hand
 * on, since the send that woke it woke every other waiter too. A receiver
 * may be used by several tasks at once; they share its cursor, so each value
 * it yields goes to one of them.
 *
 * <h2>Threads</h2>
 * {@link #create} is shared (a lock: any thread, any executor),
 * {@link #local} belongs to the executor it is created on. Every field
 * below, and those of the handles and waiters, is guarded by
 * {@link #access} (see {@code package-info}).
 */
public final class Broadcast<T> {
    final Access access;
    private final int capacity;
    /** The ring: slot {@code pos % capacity} holds the value sent at position {@code pos}. */
    private final Object[] values;
    /** The position whose value the slot holds (or held, once released); {@code i - capacity} before any send. */
    private final long[] positions;
    /** Receivers that still have to read the slot's value; its value is null at 0. */
    private final int[] remaining;
    /** The position of the next send. */
    private long tail;
    /** Open sender handles; 0 means closed. */
    private int senders = 1;
    /** Open receivers. */
    private int receivers;
    /** Waiting recvs of every receiver. */
    private final WaitList waiters = new WaitList();
    private final Sender<T> firstSender;

    /** The largest ring a JVM's arrays hold: they stop a little short of Integer.MAX_VALUE. */
    private static final int MAX_CAPACITY = Integer.MAX_VALUE - 8;

    private Broadcast(Access access, int capacity) {
        if (capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("Broadcast capacity too large: " + capacity + " (at most "
                    + MAX_CAPACITY + ")");
        }
        this.access = access;
        this.capacity = capacity;
        this.values = new Object[capacity];
        this.positions = new long[capacity];
        for (int i = 0; i < capacity; i++) {
            positions[i] = i - (long) capacity; // "not written yet" for the first lap
        }
        this.remaining = new int[capacity];
        this.firstSender = new Sender<>(this);
    }

    private static int checkCapacity(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("broadcast capacity must be at least 1, was " + capacity);
        }
        return capacity;
    }

    /** A shared broadcast holding the last {@code capacity} values. */
    public static <T> Broadcast<T> create(int capacity) {
        return new Broadcast<>(Access.shared(), checkCapacity(capacity));
    }

    /** A local broadcast (this executor's tasks only) holding the last {@code capacity} values. */
    public static <T> Broadcast<T> local(int capacity) {
        checkCapacity(capacity);
        return new Broadcast<>(Access.local("Broadcast.local"), capacity);
    }

    /** The first sender handle (the broadcast starts with exactly one, and no receiver). */
    public Sender<T> sender() {
        return firstSender;
    }

    /** A new receiver, which gets every value sent from now on. */
    public Receiver<T> subscribe() {
        access.enter();
        try {
            receivers++;
            return new Receiver<>(this, tail);
        } finally {
            access.exit();
        }
    }

    /** Receivers subscribed and not closed. */
    public int receiverCount() {
        access.enter();
        try {
            return receivers;
        } finally {
            access.exit();
        }
    }

    public int capacity() {
        return capacity;
    }

    public boolean isLocal() {
        return access.isLocal();
    }

    // =====================================================================
    // The algorithm; every method enters access first.
    // =====================================================================

    private int slot(long pos) {
        return (int) (pos % capacity);
    }

    /** Slots whose value is not released yet (for tests of the release rule). */
    int heldValues() {
        access.enter();
        try {
            int n = 0;
            for (Object v : values) {
                if (v != null) {
                    n++;
                }
            }
            return n;
        } finally {
            access.exit();
        }
    }

    /** Waiters queued now (for tests). */
    int waiterCount() {
        access.enter();
        try {
            int n = 0;
            for (Waiter w = waiters.peekFirst(); w != null; w = w.next) {
                n++;
            }
            return n;
        } finally {
            access.exit();
        }
    }

    int send(Sender<T> handle, T value) {
        if (value == null) {
            throw new NullPointerException("broadcast values must not be null");
        }
        access.enter();
        try {
            if (handle.closed) {
                throw new ChannelClosedException("send on a closed sender handle", value);
            }
            if (receivers == 0) {
                throw new ChannelClosedException("send with no receiver subscribed", value);
            }
            int i = slot(tail);
            values[i] = value; // overwrites the oldest value once the ring is full: laggards skip it
            positions[i] = tail;
            remaining[i] = receivers;
            tail++;
            waiters.notifyEvery();
            return receivers;
        } finally {
            access.exit();
        }
    }

    void addSender(Sender<T> from) {
        access.enter();
        try {
            if (from.closed) {
                throw new IllegalStateException("copy() of a closed sender handle");
            }
            senders++;
        } finally {
            access.exit();
        }
    }

    void closeSender(Sender<T> handle) {
        access.enter();
        try {
            if (handle.closed) {
                return;
            }
            handle.closed = true;
            if (--senders == 0) {
                waiters.notifyEvery(); // they see the end of the stream once drained
            }
        } finally {
            access.exit();
        }
    }

    /** Unsubscribes: releases the receiver's share of every value it had not read, wakes its waiters. */
    void closeReceiver(Receiver<T> rx) {
        access.enter();
        try {
            if (rx.closed) {
                return;
            }
            rx.closed = true;
            receivers--;
            for (long pos = Math.max(rx.next, tail - capacity); pos < tail; pos++) {
                release(slot(pos));
            }
            rx.next = tail;
            Waiter w = waiters.peekFirst();
            while (w != null) {
                Waiter after = w.next;
                if (((RecvOp) w).rx == rx) {
                    waiters.notifyWaiter(w); // its poll fails: receiver closed
                }
                w = after;
            }
        } finally {
            access.exit();
        }
    }

    /** One receiver is done with slot {@code i}: the last one releases the value. */
    private void release(int i) {
        if (--remaining[i] == 0) {
            values[i] = null;
        }
    }

    int size(Receiver<T> rx) {
        access.enter();
        try {
            return (int) Math.min(Integer.MAX_VALUE, tail - rx.next);
        } finally {
            access.exit();
        }
    }

    /** What a receive finds at the receiver's cursor (under access). */
    private enum Found { VALUE, EMPTY, LAGGED }

    private Found look(Receiver<T> rx) {
        long p = positions[slot(rx.next)];
        if (p == rx.next) {
            return Found.VALUE;
        }
        if (p < rx.next) { // the slot holds the previous lap: next == tail, nothing sent there yet
            return Found.EMPTY;
        }
        return Found.LAGGED; // overwritten by a later lap
    }

    /** Under access, after look() said VALUE: takes the value at the cursor. */
    @SuppressWarnings("unchecked")
    private T take(Receiver<T> rx) {
        int i = slot(rx.next);
        T v = (T) values[i];
        rx.next++;
        release(i);
        return v;
    }

    /** Under access, after look() said LAGGED: moves the cursor to the oldest value held. */
    private LaggedException lag(Receiver<T> rx) {
        long oldest = tail - capacity;
        long missed = oldest - rx.next;
        rx.next = oldest;
        return new LaggedException(missed);
    }

    private ChannelClosedException receiverClosed() {
        return new ChannelClosedException("recv on a closed broadcast receiver", null);
    }

    /** The end reported to {@code rx}: a value given back after that no longer moves its cursor. Under access. */
    private ChannelClosedException endOfStream(Receiver<T> rx) {
        rx.endReported = true;
        return new ChannelClosedException("every broadcast sender closed and this receiver drained", null);
    }

    T tryRecv(Receiver<T> rx) {
        access.enter();
        try {
            if (rx.closed) {
                throw receiverClosed();
            }
            return switch (look(rx)) {
                case VALUE -> take(rx);
                case LAGGED -> throw lag(rx);
                case EMPTY -> {
                    if (senders == 0) {
                        throw endOfStream(rx);
                    }
                    yield null;
                }
            };
        } finally {
            access.exit();
        }
    }

    WaitFuture<T> recv(Receiver<T> rx) {
        return new RecvOp(rx);
    }

    private final class RecvOp extends Waiter implements WaitFuture<T>, io.weft.compose.GivesBack<T> {
        final Receiver<T> rx;
        /** The cursor position whose value this recv returned, until given back; -1: none. Under access. */
        private long takenAt = -1;

        RecvOp(Receiver<T> rx) {
            this.rx = rx;
        }

        @Override
        public Poll<T> poll(Context cx) {
            access.enter();
            try {
                if (state == DONE) {
                    throw new IllegalStateException("recv future polled after it completed or was cancelled");
                }
                if (rx.closed) {
                    finish(waiters);
                    throw receiverClosed();
                }
                return switch (look(rx)) {
                    case VALUE -> {
                        if (!cx.consumeBudget()) {
                            yield Poll.pending(); // keep our state; the value stays at the cursor
                        }
                        finish(waiters);
                        takenAt = rx.next;
                        yield Poll.ready(take(rx));
                    }
                    case LAGGED -> {
                        finish(waiters);
                        throw lag(rx);
                    }
                    case EMPTY -> {
                        if (senders == 0) {
                            finish(waiters);
                            throw endOfStream(rx);
                        }
                        access.checkMayWait(this, cx.waker());
                        waker = cx.waker();
                        if (state != QUEUED) { // IDLE, or NOTIFIED and another task of this receiver took it
                            waiters.addLast(this);
                        }
                        yield Poll.pending();
                    }
                };
            } finally {
                access.exit();
            }
        }

        /**
         * The value this recv returned, which a combinator took and gave up
         * (a join past its deadline): the receiver's cursor moves back onto
         * it, so the next recv returns it, or reports a lag if a later lap
         * overwrote it meanwhile. If this receiver received again since (a
         * task sharing it), was closed or was told the stream ended, the
         * cursor stays: the value is dropped rather than returned out of order.
         */
        @Override
        public void giveBack(T v) {
            access.enter();
            try {
                long at = takenAt;
                if (at < 0) {
                    throw new IllegalStateException("a recv gives back only the value it returned");
                }
                takenAt = -1;
                if (rx.closed || rx.endReported || rx.next != at + 1) {
                    return; // its value is the others' too: dropped here, never closed
                }
                rx.next = at;
                int i = slot(at);
                if (positions[i] == at) { // not overwritten: this receiver holds its share again
                    values[i] = v;
                    remaining[i]++;
                }
                waiters.notifyEvery(); // a task of this receiver may be waiting at the old cursor
            } finally {
                access.exit();
            }
        }

        @Override
        public void cancel() {
            access.enter();
            try {
                finish(waiters);
                // NOTIFIED: nothing to hand on. The value stays at rx's cursor, and the send that
                // woke us woke every other waiter too.
            } finally {
                access.exit();
            }
        }
    }

    /**
     * A sending handle. The broadcast is closed once every handle is closed.
     * A handle may be used by many tasks (and, for a shared broadcast,
     * threads) at once.
     */
    public static final class Sender<T> implements AutoCloseable {
        private final Broadcast<T> broadcast;
        /** Guarded by the broadcast's access. */
        boolean closed;

        Sender(Broadcast<T> broadcast) {
            this.broadcast = broadcast;
        }

        /**
         * Sends {@code value} to every receiver subscribed now, without
         * waiting; returns how many they are. Throws
         * {@link ChannelClosedException} carrying {@code value} (and stores
         * nothing) if no receiver is subscribed or this handle is closed.
         */
        public int send(T value) {
            return broadcast.send(this, value);
        }

        /**
         * Another sending handle; the broadcast stays open until it is closed
         * too. Throws {@link IllegalStateException} if this handle is closed.
         */
        public Sender<T> copy() {
            broadcast.addSender(this);
            return new Sender<>(broadcast);
        }

        /** Closes this handle; idempotent. The last one closes the broadcast. */
        @Override
        public void close() {
            broadcast.closeSender(this);
        }
    }

    /**
     * One subscription: a cursor into the ring. Several tasks may receive
     * through it at once; each value it yields goes to one of them.
     */
    public static final class Receiver<T> implements AutoCloseable {
        private final Broadcast<T> broadcast;
        /** Guarded by the broadcast's access: the position of the next value to receive. */
        long next;
        /** Guarded by the broadcast's access. */
        boolean closed;
        /** The end of the stream was reported to it. Guarded by the broadcast's access. */
        boolean endReported;

        Receiver(Broadcast<T> broadcast, long next) {
            this.broadcast = broadcast;
            this.next = next;
        }

        /**
         * The next value, waiting while none was sent. Fails with
         * {@link LaggedException} if values were overwritten before this
         * receiver got them (the next recv returns the oldest value held),
         * and with {@link ChannelClosedException} at the end of the stream
         * or once this receiver is closed.
         *
         * <p><b>Cancel safety:</b> a cancelled recv received nothing: this
         * receiver's cursor did not move, and the next recv returns the
         * value it would have. A join (or a select, a Timeout) that took the
         * value and is then given up before it returned moves the cursor
         * back onto it (unless this receiver received again since).
         */
        public WaitFuture<T> recv() {
            return broadcast.recv(this);
        }

        /**
         * The next value without waiting, or null if none was sent yet and a
         * sender is open. Throws {@link LaggedException} and
         * {@link ChannelClosedException} as {@link #recv()} does.
         */
        public T tryRecv() {
            return broadcast.tryRecv(this);
        }

        /**
         * Values sent since this receiver's cursor, not received yet,
         * including any it will be told it missed (tokio's {@code len}).
         */
        public int size() {
            return broadcast.size(this);
        }

        /** Unsubscribes (see {@link Broadcast}); idempotent. */
        @Override
        public void close() {
            broadcast.closeReceiver(this);
        }
    }

    /**
     * A receiver fell more than the capacity behind: {@link #missed()} values
     * sent after it subscribed were overwritten before it received them. Its
     * cursor has moved to the oldest value still held; receiving again
     * continues from there.
     */
    public static final class LaggedException extends RuntimeException {
        private final long missed;

        public LaggedException(long missed) {
            super("broadcast receiver lagged: " + missed + " value(s) were overwritten before it received them");
            this.missed = missed;
        }

        public long missed() {
            return missed;
        }
    }
}
