package io.weft.jcstress;

import io.weft.Context;
import io.weft.Poll;
import io.weft.Waker;
import io.weft.sync.ChannelClosedException;
import io.weft.sync.Oneshot;
import io.weft.sync.SpscReceiver;
import io.weft.sync.WaitFuture;

/**
 * Polls the futures of the shared {@code io.weft.sync} primitives by hand (no
 * executor: a {@link Context} with a counting waker and no budget limit) and
 * encodes the answer as an int for the results.
 */
final class SyncPolls {
    /** The value a test sends through a oneshot. */
    static final int VALUE = 42;
    /** A {@code notified()} poll returned ready. */
    static final int READY = 1;
    static final int PENDING = -1;
    /** The poll threw {@link ChannelClosedException}: the end of the stream for a recv. */
    static final int CLOSED = -2;
    static final int NULL = -3;
    /** Any other exception (e.g. IllegalStateException: polled after DONE). */
    static final int OTHER = -4;

    private SyncPolls() {
    }

    /** Polls a recv future once with {@code waker}: the value, {@link #PENDING}, {@link #CLOSED}, ... */
    static int recv(WaitFuture<Integer> f, Waker waker) {
        try {
            Poll<Integer> p = f.poll(new Context(waker));
            if (!p.isReady()) {
                return PENDING;
            }
            Integer v = p.get();
            return v == null ? NULL : v;
        } catch (ChannelClosedException e) {
            return CLOSED;
        } catch (RuntimeException e) {
            return OTHER;
        }
    }

    /** Polls a {@code notified()} future once with {@code waker}: {@link #READY} or {@link #PENDING}. */
    static int notified(WaitFuture<Void> f, Waker waker) {
        try {
            return f.poll(new Context(waker)).isReady() ? READY : PENDING;
        } catch (RuntimeException e) {
            return OTHER;
        }
    }

    /** Polls a send future once with {@code waker}: {@link #READY}, {@link #PENDING}, {@link #CLOSED} or {@link #OTHER}. */
    static int send(WaitFuture<Void> f, Waker waker) {
        try {
            return f.poll(new Context(waker)).isReady() ? READY : PENDING;
        } catch (ChannelClosedException e) {
            return CLOSED;
        } catch (RuntimeException e) {
            return OTHER;
        }
    }

    /** {@code tryRecv()} of an SPSC receiver, encoded as {@link #tryRecv(Oneshot)}. */
    static int tryRecv(SpscReceiver<Integer> rx) {
        try {
            Integer v = rx.tryRecv();
            return v == null ? PENDING : v;
        } catch (ChannelClosedException e) {
            return CLOSED;
        } catch (RuntimeException e) {
            return OTHER;
        }
    }

    /** {@code tryRecv()} encoded: the value, {@link #PENDING} for null (empty, open), {@link #CLOSED} ... */
    static int tryRecv(Oneshot<Integer> os) {
        try {
            Integer v = os.tryRecv();
            return v == null ? PENDING : v;
        } catch (ChannelClosedException e) {
            return CLOSED;
        } catch (RuntimeException e) {
            return OTHER;
        }
    }
}
