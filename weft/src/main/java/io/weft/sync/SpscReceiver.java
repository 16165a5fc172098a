package io.weft.sync;

/**
 * The receiving side of an {@link SpscChannel}: the one consumer. It belongs
 * to the thread that first uses it (an executor's loop thread: any task of
 * that executor may receive, each value going to exactly one of them; or a
 * plain thread); any other thread gets an {@link IllegalStateException}
 * naming both.
 */
public final class SpscReceiver<T> implements AutoCloseable {
    private final SpscChannel<T> channel;

    SpscReceiver(SpscChannel<T> channel) {
        this.channel = channel;
    }

    /**
     * The next value, suspending while the ring is empty. Once the sender is
     * closed (or this side) and every buffered value was received, fails
     * with {@link ChannelClosedException} (the end of the stream, a null
     * value).
     *
     * <p><b>Cancel safety:</b> a value leaves the ring only in the poll that
     * returns it, so a cancelled recv took nothing: the value stays for the
     * next recv, and a wake-up it had been given goes to the next waiting
     * recv of this side. Receiving in a select loop loses no value. A join
     * (or a select, a Timeout) that took the value and is then given up
     * before it returned gives it back: the next recv of this side returns
     * it, before what the ring holds.
     */
    public WaitFuture<T> recv() {
        return channel.recv();
    }

    /**
     * The next value without waiting, or null if the ring is empty and the
     * channel open. Throws {@link ChannelClosedException} at the end of the
     * stream.
     */
    public T tryRecv() {
        return channel.tryRecv(null);
    }

    /**
     * Closes the channel for both sides; idempotent. Every send, pending or
     * new, fails with its value; this side may still receive what is
     * buffered, then gets the end of the stream.
     */
    @Override
    public void close() {
        channel.closeReceiver();
    }

    /** Binds this side to the calling thread now; {@code how} names the binder in another thread's error. */
    void bind(String how) {
        channel.consumer.bind(how);
    }
}
