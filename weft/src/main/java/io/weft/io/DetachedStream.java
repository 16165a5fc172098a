package io.weft.io;

import io.weft.Driver;
import io.weft.sys.Linux;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A connected stream taken off the driver of one executor, on its way to
 * another ({@link StreamHandle#detach()}): its descriptor (or nio channel),
 * the bytes (and, on io_uring, the error) a cancelled read had kept for the
 * next read, and the kind of driver it came from. Any thread may hold it;
 * {@link #attach} registers it with the driver of the executor that calls
 * it, once. Never attached, it must be closed.
 */
public abstract sealed class DetachedStream permits DetachedStream.Fd, DetachedStream.Nio {
    private final AtomicBoolean taken = new AtomicBoolean();
    final Driver from;
    final byte[] leftover;

    DetachedStream(Driver from, byte[] leftover) {
        this.from = from;
        this.leftover = leftover;
    }

    /** The driver kind it came from. */
    public Driver from() {
        return from;
    }

    /**
     * Registers the stream with {@code driver} (the calling executor's, on its
     * loop thread) and returns it. Throws IllegalStateException if it was
     * attached or closed already, or if {@code driver} is another kind than
     * the one it came from (a descriptor of io_uring is blocking, one of epoll
     * is not, and nio holds a channel).
     */
    public StreamHandle attach(IoDriver driver) {
        if (driver.kind() != from) {
            throw new IllegalStateException("a stream of the " + from + " driver can move only to an executor on "
                    + from + "; this executor uses " + driver.kind());
        }
        if (!taken.compareAndSet(false, true)) {
            throw new IllegalStateException("this stream was attached or closed already: it moves once");
        }
        StreamHandle s = adopt(driver);
        if (leftover != null) {
            s.unread(leftover); // the bytes kept for the next read come first there too
        }
        return s;
    }

    abstract StreamHandle adopt(IoDriver driver);

    /**
     * The peer's address ({@code peer}) or the local one, asked while the
     * stream moves: the caller keeps it from being attached or closed
     * meanwhile.
     */
    public abstract java.net.SocketAddress address(boolean peer) throws IOException;

    /** Closes the stream if nobody attached it; then attach throws. Idempotent. */
    public void close() {
        if (taken.compareAndSet(false, true)) {
            release();
        }
    }

    abstract void release();

    /** A descriptor of io_uring or epoll. */
    static final class Fd extends DetachedStream {
        final int fd;
        /** The error a cancelled read kept for the read after the leftover ({@code FdStream.keptError}), or 0. */
        final int keptError;

        Fd(Driver from, int fd, byte[] leftover, int keptError) {
            super(from, leftover);
            this.fd = fd;
            this.keptError = keptError;
        }

        @Override
        StreamHandle adopt(IoDriver driver) {
            FdStream s = ((FdDriver) driver).adoptStream(fd);
            s.keptError = keptError;
            return s;
        }

        @Override
        public java.net.SocketAddress address(boolean peer) throws IOException {
            return FdSocket.name(Linux.local(), fd, peer);
        }

        @Override
        void release() {
            Linux.local().close(fd);
        }
    }

    /** A channel of the nio driver. */
    static final class Nio extends DetachedStream {
        final SocketChannel channel;
        /** Its output was shut down where it was: a write where it lands fails as there (EPIPE). */
        final boolean outputShut;

        Nio(SocketChannel channel, byte[] leftover, boolean outputShut) {
            super(Driver.NIO, leftover);
            this.channel = channel;
            this.outputShut = outputShut;
        }

        @Override
        public java.net.SocketAddress address(boolean peer) throws IOException {
            try {
                return peer ? channel.getRemoteAddress() : channel.getLocalAddress();
            } catch (IOException e) {
                throw NioErrors.rename(peer ? "getpeername" : "getsockname", e);
            }
        }

        @Override
        StreamHandle adopt(IoDriver driver) {
            try {
                return ((NioDriver) driver).adopt(channel, outputShut);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(NioErrors.rename("register", e));
            }
        }

        @Override
        void release() {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing to undo: the channel is closed either way
            }
        }
    }
}
