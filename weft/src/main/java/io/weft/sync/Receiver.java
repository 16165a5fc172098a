package io.weft.sync;

/**
 * The receiving handle of a {@link Channel}; any number of tasks may
 * receive through it at once, each value goes to exactly one of them.
 */
public final class Receiver<T> implements AutoCloseable {
    private final Channel<T> channel;

    Receiver(Channel<T> channel) {
        this.channel = channel;
    }

    /**
     * The next value, waiting while the channel is empty. After every sender
     * is closed and the buffer is drained, fails with
     * {@link ChannelClosedException} (end of stream).
     *
     * <p><b>Cancel safety:</b> a value is taken only by the poll that
     * returns it, so a cancelled recv took nothing: the value stays in the
     * channel, and a wake-up it had been given goes to the next waiting
     * receiver. Receiving in a select loop loses no value. A join (or a
     * select, a Timeout) that took the value and is then given up before
     * it returned (its deadline passed, another child failed) puts it back
     * at the front of the channel, for the next recv.
     */
    public WaitFuture<T> recv() {
        return channel.recv();
    }

    /**
     * The next value without waiting, or null if the channel is empty but
     * open. Throws {@link ChannelClosedException} at the end of the stream.
     */
    public T tryRecv() {
        return channel.tryRecv();
    }

    /** Values buffered now. */
    public int size() {
        return channel.size();
    }

    /** Closes the channel for both sides (see {@link Channel}); idempotent. */
    @Override
    public void close() {
        channel.closeReceiver();
    }
}
