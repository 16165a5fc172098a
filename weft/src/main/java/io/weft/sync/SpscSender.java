package io.weft.sync;

/**
 * The sending side of an {@link SpscChannel}: the one producer. It belongs
 * to the thread that first uses it (an executor's loop thread: any task of
 * that executor may send; or a plain thread); any other thread gets an
 * {@link IllegalStateException} naming both.
 */
public final class SpscSender<T> implements AutoCloseable {
    private final SpscChannel<T> channel;

    SpscSender(SpscChannel<T> channel) {
        this.channel = channel;
    }

    /**
     * Sends {@code value}, suspending while the ring is full. Fails with
     * {@link ChannelClosedException} carrying {@code value} if this side or
     * the receiver is closed (also when that happens while it waits).
     *
     * <p><b>Cancel safety:</b> the value enters the ring only in the poll
     * that returns ready, so a cancelled send sent nothing (the value is the
     * caller's again); a wake-up for a free slot it had been given goes to
     * the next waiting send of this side.
     */
    public WaitFuture<Void> send(T value) {
        return channel.send(value);
    }

    /**
     * Sends without waiting: true if sent, false if the ring is full. Throws
     * {@link ChannelClosedException} carrying {@code value} if this side or
     * the receiver is closed.
     */
    public boolean trySend(T value) {
        return channel.trySend(value, null);
    }

    /**
     * Closes the sending side; idempotent. The receiver gets what was sent,
     * then the end of the stream; sends waiting on this side fail with their
     * values.
     */
    @Override
    public void close() {
        channel.closeSender();
    }

    /** Binds this side to the calling thread now; {@code how} names the binder in another thread's error. */
    void bind(String how) {
        channel.producer.bind(how);
    }
}
