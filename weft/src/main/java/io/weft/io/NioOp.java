package io.weft.io;

import io.weft.Context;
import io.weft.Poll;
import java.io.IOException;

/**
 * One operation on a channel of the {@link NioDriver}: {@link #attempt()}
 * is the non-blocking java.nio call, made when the channel is believed
 * ready for {@link #interest()}; it returns the value, or {@code null} when
 * the call would block (the driver then waits for the selector).
 *
 * <p>Loop thread only. States: {@link #NEW} → {@link #WAITING} (in its
 * socket's waiter list) → {@link #DONE}; or → {@link #CANCELLED} from NEW or
 * WAITING. Every call is synchronous, so nothing is ever in flight: a
 * cancelled op has read, accepted or written nothing, and only has to leave
 * the waiter list.
 */
public abstract class NioOp<T> extends ListedOp<T> {
    static final int NEW = 0, WAITING = 1, DONE = 2, CANCELLED = 3;
    /** Readiness bits; a socket maps each to a selection-key operation ({@link NioSocket#opOf}). */
    public static final int READ = 1, WRITE = 2, CONNECT = 4;

    protected final NioDriver driver;
    protected final NioSocket socket;

    /** Driver-owned: the state (the waker of the last pending poll is in {@link ListedOp}). */
    int state = NEW;

    protected NioOp(NioSocket socket) {
        this.driver = socket.driver;
        this.socket = socket;
    }

    /** Names the call in error messages: "read", "connect 127.0.0.1:80". */
    abstract String call();

    /**
     * The non-blocking call: its value, or {@code null} when it would block.
     * An IOException is renamed by {@link NioErrors}; an unchecked exception
     * is thrown as it is.
     */
    abstract T attempt() throws IOException;

    /**
     * Before any call, at every poll of a new or waiting op: a value that
     * needs none (0 for an empty buffer, bytes unread on the stream), or
     * {@code null}. A waiting op that gets one leaves the waiter list.
     */
    T immediate() {
        return null;
    }

    /** The op failed (its call threw, or its socket was closed): a connect closes its socket. */
    void failed() {
    }

    @Override
    public Poll<T> poll(Context cx) {
        return driver.pollOp(this, cx);
    }

    /** Gives up the operation: it leaves the waiter list. Idempotent. */
    @Override
    public void cancel() {
        if (state == NEW || state == WAITING) {
            driver.cancelOp(this);
        }
    }
}
