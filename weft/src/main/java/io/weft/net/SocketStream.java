package io.weft.net;

import io.weft.CancellableFuture;
import io.weft.io.StreamHandle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * A connected stream socket of the current executor: {@link TcpStream} or
 * {@link UnixStream}. Reads and writes take heap or direct
 * {@link ByteBuffer}s and {@link MemorySegment}s and return futures; a
 * failure surfaces from {@code await()} as {@link UncheckedIOException}
 * whose cause is the IOException java.nio would throw (ConnectException,
 * SocketException "ECONNRESET ...", AsynchronousCloseException, ...). End of
 * stream is -1, as in java.nio.
 */
public abstract sealed class SocketStream implements AutoCloseable permits TcpStream, UnixStream {
    final StreamHandle handle;

    SocketStream(StreamHandle handle) {
        this.handle = handle;
    }

    /**
     * Reads into {@code dst}; the count, or -1 at end of stream (0 only if dst has no room).
     *
     * <p><b>Cancel safety:</b> a cancelled read loses no byte. On io_uring
     * the kernel may complete the read after the cancel; its bytes are kept
     * and returned first by the next read or {@link #tryRead}. A direct
     * buffer or native segment may be written by the kernel until that
     * completion, so do not reuse it for other data before the next read on
     * this stream has returned.
     */
    public CancellableFuture<Integer> read(ByteBuffer dst) {
        return handle.read(dst);
    }

    /** As {@link #read(ByteBuffer)}, into a native or heap segment from its start. */
    public CancellableFuture<Integer> read(MemorySegment dst) {
        return handle.read(dst);
    }

    /**
     * Ready once a read would not wait: bytes are there, or the end of the
     * stream, or an error (which the next read reports). It holds no buffer
     * while it waits, so a server with many idle connections waits with
     * this and reads with {@link #tryRead} into a buffer it takes only then
     * (tokio's {@code readable()} and {@code try_read}). The readiness may
     * be spurious: {@code tryRead} may still find nothing, and returns 0.
     *
     * <p><b>Cancel safety:</b> nothing is consumed; cancelling it loses nothing.
     */
    public CancellableFuture<Void> readable() {
        return handle.readable();
    }

    /**
     * Reads what is there now, without waiting: the count, -1 at end of
     * stream, or 0 if nothing is (or {@code dst} has no room), as a
     * non-blocking java.nio {@code SocketChannel.read}. A heap buffer is
     * read into in place on io_uring and epoll (nio goes through the driver's
     * bounce buffer). Fails as {@link #read} does.
     * Call it on the executor's thread; pair it with {@link #readable()}:
     *
     * <pre>{@code
     * for (;;) {
     *     conn.readable().await();
     *     ByteBuffer buf = pool.take();          // a buffer only while there is data
     *     int n = conn.tryRead(buf);
     *     if (n < 0) break;                      // end of stream
     *     if (n > 0) handle(buf.flip());
     *     pool.give(buf);
     * }
     * }</pre>
     */
    public int tryRead(ByteBuffer dst) {
        return handle.tryRead(dst);
    }

    /**
     * Writes some of {@code src} (at least one byte unless it is empty); the count.
     *
     * <p><b>Cancel safety:</b> on epoll and nio a cancelled write wrote
     * nothing (a write is one non-blocking call that either returned its
     * count or found no room). On io_uring the kernel may have sent a prefix
     * of {@code src} before the cancel took effect, and the count is not
     * known: the stream then holds a prefix of these bytes, whole and in
     * order before anything written later, so a protocol that cannot resume
     * mid-message should close the stream after a cancelled write.
     */
    public CancellableFuture<Integer> write(ByteBuffer src) {
        return handle.write(src);
    }

    /** As {@link #write(ByteBuffer)}, from a native or heap segment. */
    public CancellableFuture<Integer> write(MemorySegment src) {
        return handle.write(src);
    }

    /**
     * Fills {@code dst}; fails with EOFException (as cause) if the stream ends first.
     *
     * <p><b>Cancel safety:</b> the bytes already read stay in {@code dst}
     * (its position says how many); no byte is lost from the stream, as for
     * {@link #read}.
     */
    public CancellableFuture<Void> readExact(ByteBuffer dst) {
        return StreamLoops.readExact(handle, dst);
    }

    /**
     * Writes all of {@code src}, in as many writes as the kernel needs.
     *
     * <p><b>Cancel safety:</b> {@code src}'s position counts the bytes whose
     * writes completed; the cancelled write itself is as {@link #write}.
     */
    public CancellableFuture<Void> writeAll(ByteBuffer src) {
        return StreamLoops.writeAll(handle, src);
    }

    /** Half-close: the peer reads end of stream; this side can still read. */
    public void shutdownOutput() throws IOException {
        handle.shutdownOutput();
    }

    public void setNoDelay(boolean on) throws IOException {
        handle.setNoDelay(on);
    }

    public boolean isOpen() {
        return handle.isOpen();
    }

    /** Closes; idempotent. Pending operations fail with AsynchronousCloseException. */
    @Override
    public void close() {
        handle.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + handle + "]";
    }
}
