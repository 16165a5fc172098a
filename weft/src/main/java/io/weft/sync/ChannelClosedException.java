package io.weft.sync;

/**
 * The channel is closed for this operation. From a send: the receiver was
 * closed, or the sending handle was; {@link #value()} gives the value that
 * was not sent back. From a recv: every sender is closed (or the receiver
 * itself) and every buffered value has been received — the end of the
 * stream; {@link #value()} is null.
 */
public class ChannelClosedException extends RuntimeException {
    private final transient Object value;

    public ChannelClosedException(String message, Object value) {
        super(message);
        this.value = value;
    }

    /** The value a failed send gives back; null for a recv. */
    public Object value() {
        return value;
    }

    /** {@link #value()} typed by the caller, who knows what the channel carries. */
    @SuppressWarnings("unchecked")
    public <T> T valueAs() {
        return (T) value;
    }
}
