package io.weft.sync;

/**
 * One value, sent once, received once: a {@link Channel} of capacity one
 * whose only sender closes itself when it sends.
 *
 * <p>Close semantics are the channel's: {@link #send} fails with
 * {@link ChannelClosedException} carrying the value if the receiver is
 * closed or a value was already sent (or {@link #closeSender()} was called);
 * {@link #recv()} fails with {@link ChannelClosedException} if the sender
 * closed without sending.
 */
public final class Oneshot<T> {
    private final Channel<T> channel;

    private Oneshot(Channel<T> channel) {
        this.channel = channel;
    }

    public static <T> Oneshot<T> create() {
        return new Oneshot<>(Channel.bounded(1));
    }

    public static <T> Oneshot<T> local() {
        return new Oneshot<>(Channel.localNamed("Oneshot.local", 1));
    }

    /** Sends the value and closes the sending side; never waits. */
    public void send(T value) {
        Sender<T> tx = channel.sender();
        if (!tx.trySend(value)) {
            throw new ChannelClosedException("oneshot: a value was already sent", value);
        }
        tx.close();
    }

    /** Closes the sending side without a value: the receiver gets {@link ChannelClosedException}. */
    public void closeSender() {
        channel.sender().close();
    }

    /**
     * The value, once sent; {@link ChannelClosedException} if the sender
     * closed without one.
     *
     * <p><b>Cancel safety:</b> a cancelled recv took nothing; the value
     * waits for the next {@code recv()} or {@link #tryRecv()}.
     */
    public WaitFuture<T> recv() {
        return channel.receiver().recv();
    }

    /** The value if it was sent, null if not yet; throws if the sender closed without one. */
    public T tryRecv() {
        return channel.receiver().tryRecv();
    }

    /** The receiver gives up: a later send fails and gives its value back. */
    public void closeReceiver() {
        channel.receiver().close();
    }
}
