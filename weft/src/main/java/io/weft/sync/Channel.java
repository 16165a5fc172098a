package io.weft.sync;

import io.weft.Context;
import io.weft.Poll;
import java.util.ArrayDeque;

/**
 * A channel of values between tasks (and, for the shared family, threads):
 * many senders, one receiver handle that any number of tasks may receive
 * from, FIFO, bounded or unbounded.
 *
 * <pre>{@code
 * var ch = Channel.<String>bounded(16);          // shared: any thread, any executor
 * var local = Channel.<String>localBounded(16);  // local: the tasks of this executor only
 * Sender<String> tx = ch.sender();               // tx.copy() for another sender
 * Receiver<String> rx = ch.receiver();
 * tx.send("hello").await();                      // suspends while the channel is full
 * String s = rx.recv().await();
 * }</pre>
 *
 * <h2>Close semantics</h2>
 * <ul>
 *   <li>Each {@link Sender} handle is closed once ({@link Sender#close()},
 *       idempotent). When the last one is closed the channel is closed for
 *       sending; {@code recv()} and {@code tryRecv()} still return every
 *       buffered value, then report the end of the stream by throwing
 *       {@link ChannelClosedException} (recv completes with it, tryRecv
 *       throws it). Values are never null, so {@code tryRecv()} returns
 *       null only for "empty, not closed".</li>
 *   <li>{@link Receiver#close()} closes the channel for both sides: every
 *       send, pending or new, fails with a {@link ChannelClosedException}
 *       whose {@link ChannelClosedException#value()} is the value it did not
 *       send; values already buffered can still be received, then recv
 *       reports the end of the stream.</li>
 *   <li>A send on a closed {@code Sender} handle fails the same way.</li>
 * </ul>
 *
 * <h2>Waiting, cancellation, backpressure</h2>
 * A value is taken from the channel only by the poll (or tryRecv) that
 * returns it; waking a waiting receiver is a hint ("try again"), never a
 * hand-off. So a receiver that was woken and then aborted takes nothing:
 * its {@link WaitFuture#cancel()} (called by {@code await()} when it throws)
 * passes the hint to the next waiting receiver, and the value stays in the
 * channel. Likewise a send puts its value in only when its poll returns
 * ready: an aborted send sent nothing, and a woken-then-aborted sender
 * passes the free slot's hint on. A bounded send waits while the buffer is
 * full; {@code trySend} / {@code tryRecv} never wait. Waiters are served in
 * FIFO order, but a new send or recv that finds room or a value takes it
 * without queueing (barging); a woken waiter that lost such a race goes back
 * to the head of the queue.
 *
 * <h2>Threads</h2>
 * Every field below is guarded by {@link #access} (see {@code package-info}).
 */
public final class Channel<T> {
    final Access access;
    private final int capacity;
    private final ArrayDeque<T> buffer;
    /** Open sender handles; 0 means closed for sending. */
    private int senders = 1;
    private boolean receiverClosed;
    private final WaitList recvWaiters = new WaitList();
    private final WaitList sendWaiters = new WaitList();
    private final Sender<T> firstSender;
    private final Receiver<T> receiver;

    private Channel(Access access, int capacity) {
        this.access = access;
        this.capacity = capacity;
        this.buffer = new ArrayDeque<>(Math.min(capacity, 16));
        this.firstSender = new Sender<>(this);
        this.receiver = new Receiver<>(this);
    }

    private static int checkCapacity(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("channel capacity must be at least 1, was " + capacity);
        }
        return capacity;
    }

    /** A shared channel holding at most {@code capacity} values. */
    public static <T> Channel<T> bounded(int capacity) {
        return new Channel<>(Access.shared(), checkCapacity(capacity));
    }

    /** A shared channel without bound (send never waits). */
    public static <T> Channel<T> unbounded() {
        return new Channel<>(Access.shared(), Integer.MAX_VALUE);
    }

    /** A local channel (this executor's tasks only) holding at most {@code capacity} values. */
    public static <T> Channel<T> localBounded(int capacity) {
        return new Channel<>(Access.local("Channel.localBounded"), checkCapacity(capacity));
    }

    /** A local channel of {@code capacity} whose errors name {@code what} (the primitive built on it). */
    static <T> Channel<T> localNamed(String what, int capacity) {
        return new Channel<>(Access.local(what), checkCapacity(capacity));
    }

    /** A local channel without bound. */
    public static <T> Channel<T> localUnbounded() {
        return new Channel<>(Access.local("Channel.localUnbounded"), Integer.MAX_VALUE);
    }

    /** The first sender handle (the channel starts with exactly one). */
    public Sender<T> sender() {
        return firstSender;
    }

    public Receiver<T> receiver() {
        return receiver;
    }

    public boolean isLocal() {
        return access.isLocal();
    }

    // =====================================================================
    // The algorithm; every method enters access first.
    // =====================================================================

    int size() {
        access.enter();
        try {
            return buffer.size();
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
            if (senders == 0) {
                throw new IllegalStateException("every sender of this channel is closed: cannot copy one");
            }
            senders++;
        } finally {
            access.exit();
        }
    }

    /** Closes one sender handle; {@code handle.closed} is guarded by access too. */
    void closeSender(Sender<T> handle) {
        access.enter();
        try {
            if (handle.closed) {
                return;
            }
            handle.closed = true;
            for (Waiter w = sendWaiters.peekFirst(); w != null; ) {
                Waiter next = w.next;
                if (((SendOp) w).handle == handle) {
                    sendWaiters.notifyWaiter(w); // it fails with its value in its next poll
                }
                w = next;
            }
            if (--senders == 0) {
                recvWaiters.notifyEvery(); // they see the end of the stream once the buffer is drained
            }
        } finally {
            access.exit();
        }
    }

    void closeReceiver() {
        access.enter();
        try {
            if (receiverClosed) {
                return;
            }
            receiverClosed = true;
            sendWaiters.notifyEvery(); // they fail and get their values back
            recvWaiters.notifyEvery();
        } finally {
            access.exit();
        }
    }

    private ChannelClosedException sendClosed(Sender<T> handle, T value) {
        return new ChannelClosedException(handle.closed ? "send on a closed sender handle"
                : "send on a channel whose receiver is closed", value);
    }

    /** A receiver was told the stream ended: a value given back after that can no longer go back. Under access. */
    private boolean endReported;

    private ChannelClosedException endOfStream() {
        endReported = true;
        return new ChannelClosedException(receiverClosed ? "receiver closed and channel drained"
                : "every sender closed and channel drained", null);
    }

    private boolean closedForRecv() {
        return senders == 0 || receiverClosed;
    }

    boolean trySend(Sender<T> handle, T value) {
        checkValue(value);
        access.enter();
        try {
            if (handle.closed || receiverClosed) {
                throw sendClosed(handle, value);
            }
            if (buffer.size() >= capacity) {
                return false;
            }
            buffer.addLast(value);
            recvWaiters.notifyFirst();
            return true;
        } finally {
            access.exit();
        }
    }

    /** The next value, null if empty; throws at the end of the stream. */
    T tryRecv() {
        access.enter();
        try {
            T v = buffer.pollFirst();
            if (v != null) {
                sendWaiters.notifyFirst();
                return v;
            }
            if (closedForRecv()) {
                throw endOfStream();
            }
            return null;
        } finally {
            access.exit();
        }
    }

    private static void checkValue(Object value) {
        if (value == null) {
            throw new NullPointerException("channel values must not be null");
        }
    }

    WaitFuture<Void> send(Sender<T> handle, T value) {
        checkValue(value);
        return new SendOp(handle, value);
    }

    WaitFuture<T> recv() {
        return new RecvOp();
    }

    /** A waiting receiver was notified and gives up: the hint goes to the next one (under access). */
    private void handOnRecvHint() {
        if (!buffer.isEmpty() || closedForRecv()) {
            recvWaiters.notifyFirst();
        }
    }

    private void handOnSendHint() {
        if (buffer.size() < capacity || receiverClosed) {
            sendWaiters.notifyFirst();
        }
    }

    private final class RecvOp extends Waiter implements WaitFuture<T>, io.weft.compose.GivesBack<T> {
        @Override
        public Poll<T> poll(Context cx) {
            access.enter();
            try {
                if (state == DONE) {
                    throw new IllegalStateException("recv future polled after it completed or was cancelled");
                }
                if (!buffer.isEmpty()) {
                    if (!cx.consumeBudget()) {
                        return Poll.pending(); // keep our state: a NOTIFIED hint stays ours until cancel
                    }
                    finish(recvWaiters);
                    T v = buffer.pollFirst();
                    sendWaiters.notifyFirst();
                    return Poll.ready(v);
                }
                if (closedForRecv()) {
                    finish(recvWaiters);
                    throw endOfStream();
                }
                access.checkMayWait(this, cx.waker());
                waker = cx.waker();
                if (state == IDLE) {
                    recvWaiters.addLast(this);
                } else if (state == NOTIFIED) {
                    recvWaiters.addFirst(this); // lost the value to a barging recv: keep our place
                }
                return Poll.pending();
            } finally {
                access.exit();
            }
        }

        @Override
        public void cancel() {
            access.enter();
            try {
                int s = state;
                state = DONE;
                if (s == QUEUED) {
                    recvWaiters.remove(this);
                } else if (s == NOTIFIED) {
                    handOnRecvHint();
                }
            } finally {
                access.exit();
            }
        }

        /**
         * The value this recv returned, which a combinator took and gave up
         * (a join past its deadline): back at the front of the channel, for
         * the next recv, even if that briefly holds more than its capacity;
         * unless a receiver was told the stream ended meanwhile (then it is
         * closed if it is AutoCloseable, and dropped).
         */
        @Override
        public void giveBack(T v) {
            checkValue(v);
            access.enter();
            try {
                if (state != DONE) {
                    throw new IllegalStateException("a recv gives back only the value it returned");
                }
                if (!endReported) {
                    buffer.addFirst(v);
                    recvWaiters.notifyFirst();
                    return;
                }
            } finally {
                access.exit();
            }
            // A receiver has seen the end of the stream since: nobody takes it, so it goes as a join's value would
            io.weft.compose.GivesBack.dispose(v);
        }
    }

    private final class SendOp extends Waiter implements WaitFuture<Void> {
        private final Sender<T> handle;
        private T value;

        SendOp(Sender<T> handle, T value) {
            this.handle = handle;
            this.value = value;
        }

        @Override
        public Poll<Void> poll(Context cx) {
            access.enter();
            try {
                if (state == DONE) {
                    throw new IllegalStateException("send future polled after it completed or was cancelled");
                }
                if (handle.closed || receiverClosed) {
                    boolean woken = state == NOTIFIED;
                    finish(sendWaiters);
                    if (woken) {
                        handOnSendHint(); // the free slot it was woken for goes to the next send
                    }
                    T v = value;
                    value = null;
                    throw sendClosed(handle, v);
                }
                if (buffer.size() < capacity) {
                    if (!cx.consumeBudget()) {
                        return Poll.pending();
                    }
                    finish(sendWaiters);
                    buffer.addLast(value);
                    value = null;
                    recvWaiters.notifyFirst();
                    return Poll.ready(null);
                }
                access.checkMayWait(this, cx.waker());
                waker = cx.waker();
                if (state == IDLE) {
                    sendWaiters.addLast(this);
                } else if (state == NOTIFIED) {
                    sendWaiters.addFirst(this);
                }
                return Poll.pending();
            } finally {
                access.exit();
            }
        }

        @Override
        public void cancel() {
            access.enter();
            try {
                int s = state;
                state = DONE;
                value = null;
                if (s == QUEUED) {
                    sendWaiters.remove(this);
                } else if (s == NOTIFIED) {
                    handOnSendHint();
                }
            } finally {
                access.exit();
            }
        }
    }
}
