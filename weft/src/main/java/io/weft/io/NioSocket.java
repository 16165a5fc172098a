package io.weft.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;

/**
 * A channel of one {@link NioDriver}, registered with its selector; loop
 * thread only.
 *
 * <p>Readiness, as in the epoll driver: {@link #readiness} holds the
 * {@link NioOp#READ}/{@link NioOp#WRITE}/{@link NioOp#CONNECT} bits believed
 * ready (all at first: the first call just tries). An op tries its call
 * while its bit is set and clears the bit when the call would block. The
 * selector is level triggered, so the key's interest set is kept to
 * exactly the bits some waiting op needs and that are not believed ready
 * ({@link #updateInterest()}): a key is selected only for something an op
 * waits for, and once it is selected the fired bits leave the interest set
 * until an op would block again.
 */
public abstract class NioSocket {
    protected final NioDriver driver;
    protected final SelectableChannel channel;
    SelectionKey key;
    boolean closed;
    /** Bits believed ready (start as ready: the first call just tries). */
    int readiness = NioOp.READ | NioOp.WRITE | NioOp.CONNECT;
    /** The interest set last given to the key (it is applied at the next selection). */
    private int interestOps;
    /** Ops waiting for readiness, a doubly linked list. */
    final OpList waiters = new OpList();

    protected NioSocket(NioDriver driver, SelectableChannel channel) {
        this.driver = driver;
        this.channel = channel;
    }

    /** getsockname: the channel's local address (every channel of this driver is a NetworkChannel). */
    public SocketAddress localAddress() throws IOException {
        checkOpen();
        try {
            return ((NetworkChannel) channel).getLocalAddress();
        } catch (IOException e) {
            throw NioErrors.rename("getsockname", e);
        }
    }

    /** The selection-key operation ({@code OP_READ}, {@code OP_ACCEPT}, ...) for one readiness bit. */
    protected abstract int opOf(int bit);

    /** Whether the calling thread is the driver's loop thread (any thread may ask; the streams and listeners' answer). */
    public boolean onOwnerThread() {
        return driver.owner() == Thread.currentThread();
    }

    public boolean isOpen() {
        return !closed;
    }

    /** The interest set this socket's key has (or will have at the next selection). */
    public int interestOps() {
        return interestOps;
    }

    /** Sets the key's interest to the bits waiting ops need and that are not believed ready. */
    void updateInterest() {
        if (closed) {
            return;
        }
        int want = 0;
        for (ListedOp<?> op = waiters.head(); op != null; op = op.nextWaiter()) {
            want |= op.interest();
        }
        want &= ~readiness;
        int ops = 0;
        for (int bit = NioOp.READ; bit <= NioOp.CONNECT; bit <<= 1) {
            if ((want & bit) != 0) {
                ops |= opOf(bit);
            }
        }
        if (ops != interestOps) {
            interestOps = ops;
            key.interestOps(ops);
        }
    }

    /** The key was selected with {@code readyOps}: the bits become ready and their waiters are woken. */
    int selected(int readyOps) {
        int bits = 0;
        for (int bit = NioOp.READ; bit <= NioOp.CONNECT; bit <<= 1) {
            if ((readyOps & opOf(bit)) != 0) {
                bits |= bit;
            }
        }
        readiness |= bits;
        int n = waiters.wake(bits);
        updateInterest();
        return n;
    }

    /**
     * Closes the channel at once (see {@link NioDriver#closeChannel}); pending
     * ops are woken and fail with AsynchronousCloseException. Idempotent;
     * loop thread only.
     */
    public void close() {
        if (closed) {
            return;
        }
        driver.checkThread();
        closed = true;
        waiters.wake(NioOp.READ | NioOp.WRITE | NioOp.CONNECT);
        driver.closeChannel(this);
    }

    /** Closed by the driver's own close: the selector is closing too, so nothing is flushed. */
    void closeWithDriver() {
        if (closed) {
            return;
        }
        closed = true;
        waiters.wake(NioOp.READ | NioOp.WRITE | NioOp.CONNECT);
        key.cancel();
    }

    void checkOpen() throws ClosedChannelException {
        if (closed) {
            throw new ClosedChannelException();
        }
    }

    /** What a java.nio failure of {@code call} becomes (see {@link NioErrors}). */
    static UncheckedIOException failure(String call, IOException e) {
        return new UncheckedIOException(NioErrors.rename(call, e));
    }
}
