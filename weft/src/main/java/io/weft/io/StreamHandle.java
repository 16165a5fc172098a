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
public interface StreamHandle {

    /** Reads into {@code dst} from its position; the count, or -1 at end of stream. */
    CancellableFuture<Integer> read(ByteBuffer dst);

    /** Reads into {@code dst} (native or heap); the count, or -1 at end of stream. */
    CancellableFuture<Integer> read(MemorySegment dst);

    /** Ready once a read would not wait (bytes, the end of stream or an error); holds no buffer meanwhile. */
    CancellableFuture<Void> readable();

    /** Reads what is there now, without waiting: the count, -1 at end of stream, 0 if nothing is. */
    int tryRead(ByteBuffer dst);

    /** Writes from {@code src} from its position; the count written (at least 1 unless src is empty). */
    CancellableFuture<Integer> write(ByteBuffer src);

    CancellableFuture<Integer> write(MemorySegment src);

    void shutdownOutput() throws IOException;

    void setNoDelay(boolean on) throws IOException;

    /** SO_LINGER: null turns it off; {@code Duration.ZERO} makes close reset the connection. */
    void setLinger(java.time.Duration linger) throws IOException;

    SocketAddress localAddress() throws IOException;

    SocketAddress remoteAddress() throws IOException;

    boolean isOpen();

    /** Whether the calling thread is the loop thread of the driver it is registered with (any thread may ask). */
    boolean onOwnerThread();

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
