package io.weft.sync;

/**
 * A sending handle of a {@link Channel}. The channel is closed for sending
 * once every handle is closed. A handle may be used by many tasks (and, for
 * a shared channel, threads) at once.
 */
public final class Sender<T> implements AutoCloseable {
    private final Channel<T> channel;
    /** Guarded by the channel's access. */
    boolean closed;

    Sender(Channel<T> channel) {
        this.channel = channel;
    }

    /**
     * Sends {@code value}, waiting while a bounded channel is full. Fails with
     * {@link ChannelClosedException} (carrying {@code value}) if the receiver
     * or this handle is closed.
     *
     * <p><b>Cancel safety:</b> a cancelled send sent nothing (the value is
     * the caller's again) and lost its place in the queue of waiting
     * senders; a free slot's wake-up it had been given goes to the next
     * sender.
     */
    public WaitFuture<Void> send(T value) {
        return channel.send(this, value);
    }

    /**
     * Sends without waiting: true if sent, false if the channel is full.
     * Throws {@link ChannelClosedException} (carrying {@code value}) if the
     * receiver or this handle is closed.
     */
    public boolean trySend(T value) {
        return channel.trySend(this, value);
    }

    /**
     * Another sending handle; the channel stays open until it is closed too.
     * Throws {@link IllegalStateException} if this handle is closed.
     */
    public Sender<T> copy() {
        channel.addSender(this);
        return new Sender<>(channel);
    }

    /**
     * Closes this handle; idempotent. The last one closes the channel for
     * sending. Sends waiting through this handle fail at once with their
     * values ({@link ChannelClosedException#value()}).
     */
    @Override
    public void close() {
        channel.closeSender(this);
    }
}
