package io.weft.net;

import io.weft.CancellableFuture;
import io.weft.executor.Worker;
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
    /**
     * The handle, registered with the reactor on {@link #home}'s thread;
     * replaced when the stream moves (see {@link StreamMove}).
     */
    volatile StreamHandle handle;
    /**
     * The StealingExecutor worker whose reactor holds {@link #handle}, or
     * null: a stream of a LocalExecutor, which moves only by detach and
     * attach.
     */
    volatile Worker home;
    /** What moves it between the workers of a StealingExecutor; null when {@link #home} is. */
    final StreamMove mover;

    SocketStream(StreamHandle handle) {
        this.handle = handle;
        Worker w = Worker.currentOrNull();
        this.home = w != null && !w.tasksStayOnThread() ? w : null;
        this.mover = home == null ? null : new StreamMove(this);
    }

    /** The handle if this thread may use it; null if the stream must first move here (a StealingExecutor's). */
    private StreamHandle here() {
        StreamHandle h = handle;
        return mover == null || h.onOwnerThread() ? h : null; // a LocalExecutor's: the driver's check speaks
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
        StreamHandle h = here();
        return h != null ? h.read(dst) : mover.then(x -> x.read(dst));
    }

    /** As {@link #read(ByteBuffer)}, into a native or heap segment from its start. */
    public CancellableFuture<Integer> read(MemorySegment dst) {
        StreamHandle h = here();
        return h != null ? h.read(dst) : mover.then(x -> x.read(dst));
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
        StreamHandle h = here();
        return h != null ? h.readable() : mover.then(StreamHandle::readable);
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
        StreamHandle h = here();
        if (h == null) {
            throw new IllegalStateException(this + " is on another worker of this StealingExecutor: tryRead never"
                    + " waits, so it cannot bring the stream here; await readable() (or any read or write) first,"
                    + " which moves it");
        }
        return h.tryRead(dst);
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
        StreamHandle h = here();
        return h != null ? h.write(src) : mover.then(x -> x.write(src));
    }

    /** As {@link #write(ByteBuffer)}, from a native or heap segment. */
    public CancellableFuture<Integer> write(MemorySegment src) {
        StreamHandle h = here();
        return h != null ? h.write(src) : mover.then(x -> x.write(src));
    }

    /**
     * Fills {@code dst}; fails with EOFException (as cause) if the stream ends first.
     *
     * <p><b>Cancel safety:</b> the bytes already read stay in {@code dst}
     * (its position says how many); no byte is lost from the stream, as for
     * {@link #read}.
     */
    public CancellableFuture<Void> readExact(ByteBuffer dst) {
        StreamHandle h = here();
        return h != null ? StreamLoops.readExact(h, dst) : mover.then(x -> StreamLoops.readExact(x, dst));
    }

    /**
     * Writes all of {@code src}, in as many writes as the kernel needs.
     *
     * <p><b>Cancel safety:</b> {@code src}'s position counts the bytes whose
     * writes completed; the cancelled write itself is as {@link #write}.
     */
    public CancellableFuture<Void> writeAll(ByteBuffer src) {
        StreamHandle h = here();
        return h != null ? StreamLoops.writeAll(h, src) : mover.then(x -> StreamLoops.writeAll(x, src));
    }

    /** Half-close: the peer reads end of stream; this side can still read. */
    public void shutdownOutput() throws IOException {
        handle.shutdownOutput();
    }

    public void setNoDelay(boolean on) throws IOException {
        handle.setNoDelay(on);
    }

    public boolean isOpen() {
        return (mover == null || !mover.isClosed()) && handle.isOpen();
    }

    /**
     * Closes; idempotent. Pending operations fail with AsynchronousCloseException.
     * On a StealingExecutor, from another worker than the stream's: closed
     * there (its reactor's thread), at once for this stream's users.
     */
    @Override
    public void close() {
        StreamHandle h = here();
        if (h != null) {
            h.close();
        } else {
            mover.closeFromAfar();
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + handle + "]";
    }
}
