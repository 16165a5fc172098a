package io.weft.io;

import io.weft.CancellableFuture;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * A connected stream socket of one driver, used by the loop thread of the
 * executor that made it. {@code io.weft.net.TcpStream} and
 * {@code UnixStream} wrap one. Failures surface from {@code await()} as
 * {@link java.io.UncheckedIOException} whose cause is the precise
 * {@link IOException}.
 */
public interface StreamHandle extends StreamOps {

    /**
     * Any thread (a task of another worker of a StealingExecutor): sends
     * what fits now from {@code src} (from its start), without waiting and
     * without the loop; the count, or 0 if nothing went: no room, the
     * stream closed or moving, or a cancelled write of it still in the
     * kernel (whose bytes go first): then the caller takes the usual road,
     * which waits or reports. A failure of the send (a reset peer) throws as
     * a write's does.
     */
    int writeNow(MemorySegment src);

    /** Reads what is there now, without waiting: the count, -1 at end of stream, 0 if nothing is. */
    int tryRead(ByteBuffer dst);

    void shutdownOutput() throws IOException;

    void setNoDelay(boolean on) throws IOException;

    /** SO_LINGER: null turns it off; {@code Duration.ZERO} makes close reset the connection. */
    void setLinger(java.time.Duration linger) throws IOException;

    SocketAddress localAddress() throws IOException;

    SocketAddress remoteAddress() throws IOException;

    boolean isOpen();

    /** Whether the calling thread is the loop thread of the driver it is registered with (any thread may ask). */
    boolean onOwnerThread();

    /**
     * Puts {@code bytes}, read from this stream earlier and never delivered,
     * back before every byte not yet read: the next read (or tryRead)
     * returns them first, and {@link #readable()} is ready at once; a read
     * or readable already waiting is woken and returns them (on io_uring a
     * read in the kernel is cancelled first, and bytes it got go after
     * them). They move with the stream on {@link #detach()}. Loop thread
     * only.
     */
    void unread(byte[] bytes);

    /** Closes; idempotent. Operations still pending fail with ClosedChannelException. */
    void close();

    /**
     * Takes the stream off this driver, ready when it is off (on io_uring a
     * cancelled op still in the kernel is waited for first); this handle is
     * then closed for its executor, the descriptor stays open. Throws
     * IllegalStateException if an operation of a task is pending on it.
     */
    io.weft.CancellableFuture<DetachedStream> detach();
}
