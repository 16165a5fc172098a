package io.weft.net;

import io.weft.CancellableFuture;
import io.weft.executor.Worker;
import io.weft.io.StreamHandle;
import io.weft.io.StreamOps;
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

    /**
     * The handle if this thread may use it; null if the stream must first
     * move here (a StealingExecutor's), or is on its way elsewhere (its
     * handle here is already detached: closed for this thread).
     */
    private StreamHandle here() {
        StreamHandle h = handle;
        return mover == null || h.onOwnerThread() && h.isOpen() ? h : null; // a LocalExecutor's: the driver's check speaks
    }

    /**
     * Reads into {@code dst}; the count, or -1 at end of stream (0 only if dst has no room).
     *
     * <p><b>Cancel safety:</b> a cancelled read loses no byte. On io_uring
     * the kernel may complete the read after the cancel; its bytes are kept
     * and returned first by the next read or {@link #tryRead}, and an error
     * it ended with (a reset) is thrown by the read after them, as on epoll
     * and nio, where it stays in the socket. A direct
     * buffer or native segment may be written by the kernel until that
     * completion, so do not reuse it for other data before the next read on
     * this stream has returned. A read from a task of another worker while
     * the stream stays on its own (see {@link #write}) that is given up
     * after it read hands its bytes back: the next read returns them. A
     * join (or a select, a Timeout) that took the count and is then given
     * up puts the bytes back too (the next read returns them first) and
     * moves {@code dst}'s position back over them.
     */
    public CancellableFuture<Integer> read(ByteBuffer dst) {
        return mover == null ? handle.read(dst) : mover.then(x -> x.read(dst));
    }

    /** As {@link #read(ByteBuffer)}, into a native or heap segment from its start. */
    public CancellableFuture<Integer> read(MemorySegment dst) {
        return mover == null ? handle.read(dst) : mover.then(x -> x.read(dst));
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
        return mover == null ? handle.readable() : mover.then(StreamOps::readable);
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
                    + " which moves it" + (mover.shared() ? " (this stream stays where it is while a task there has"
                    + " an operation pending on it: use read from here)" : ""));
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
     * mid-message should close the stream after a cancelled write. On every
     * driver {@code src} is the caller's again once {@code cancel()} has
     * returned: io_uring sends from its own copy of the bytes (even of a
     * direct buffer or native segment), so what the caller puts there
     * afterwards is never sent.
     *
     * <p><b>On a StealingExecutor</b> a stream follows the task that uses it
     * (it moves to that task's worker at its first operation there), except
     * while a task on its current worker has an operation pending on it: two
     * tasks on two workers using one stream at once (a proxy's two
     * directions, a reader and a writer). Then the stream stays; a write
     * from the other worker sends what fits at once from its own thread, and
     * whatever must wait (a full socket, a read, a readable) is run on the
     * stream's worker and its result handed back, at the cost of a hop there
     * and back (at most 64 KiB a read or write). Such a write given up after
     * the stream's worker sent it has sent its bytes, on every driver (as a
     * cancelled write on io_uring).
     */
    public CancellableFuture<Integer> write(ByteBuffer src) {
        return mover == null ? handle.write(src) : mover.then(x -> x.write(src));
    }

    /** As {@link #write(ByteBuffer)}, from a native or heap segment. */
    public CancellableFuture<Integer> write(MemorySegment src) {
        return mover == null ? handle.write(src) : mover.then(x -> x.write(src));
    }

    /**
     * Fills {@code dst}; fails with EOFException (as cause) if the stream ends first.
     *
     * <p><b>Cancel safety:</b> the bytes already read stay in {@code dst}
     * (its position says how many); no byte is lost from the stream, as for
     * {@link #read}.
     */
    public CancellableFuture<Void> readExact(ByteBuffer dst) {
        return StreamLoops.readExact(mover == null ? handle : followed(), dst);
    }

    /**
     * Writes all of {@code src}, in as many writes as the kernel needs.
     *
     * <p><b>Cancel safety:</b> {@code src}'s position counts the bytes whose
     * writes completed; the cancelled write itself is as {@link #write}.
     */
    public CancellableFuture<Void> writeAll(ByteBuffer src) {
        return StreamLoops.writeAll(mover == null ? handle : followed(), src);
    }

    /**
     * This stream's own operations, each finding the stream where it is at
     * its first poll: what readExact and writeAll of a StealingExecutor's
     * stream loop over, so that it may move (or be shared) between two of
     * their reads or writes (see {@link StreamMove}).
     */
    private StreamOps followed() {
        return new StreamOps() {
            @Override
            public CancellableFuture<Integer> read(ByteBuffer dst) {
                return SocketStream.this.read(dst);
            }

            @Override
            public CancellableFuture<Integer> read(MemorySegment dst) {
                return SocketStream.this.read(dst);
            }

            @Override
            public CancellableFuture<Void> readable() {
                return SocketStream.this.readable();
            }

            @Override
            public CancellableFuture<Integer> write(ByteBuffer src) {
                return SocketStream.this.write(src);
            }

            @Override
            public CancellableFuture<Integer> write(MemorySegment src) {
                return SocketStream.this.write(src);
            }
        };
    }

    /** Half-close: the peer reads end of stream; this side can still read. */
    public void shutdownOutput() throws IOException {
        set(StreamHandle::shutdownOutput);
    }

    public void setNoDelay(boolean on) throws IOException {
        set(h -> h.setNoDelay(on));
    }

    /** A call on the socket that needs no loop thread (a setting, a shutdown). */
    interface Setting {
        void apply(StreamHandle h) throws IOException;
    }

    /**
     * Applies {@code s} now; on a StealingExecutor's stream caught between
     * two reactors (its handle detached, the next not yet attached), applied
     * by the move as it lands, before any operation there.
     */
    void set(Setting s) throws IOException {
        for (;;) {
            StreamHandle h = handle;
            if (mover != null && !h.isOpen() && mover.afterMove(s)) {
                return;
            }
            try {
                s.apply(h);
                return;
            } catch (IOException | UncheckedIOException e) {
                if (!movedFrom(h)) {
                    throw e;
                }
                // a detach took h away just now: the setting goes where the stream is (or to its landing)
            }
        }
    }

    /**
     * The peer's address ({@code peer}) or the local one, from where the
     * stream is; on a StealingExecutor's stream between a detach and its
     * landing, from the stream on its way.
     */
    java.net.SocketAddress address(boolean peer) throws IOException {
        for (int spins = 0;; spins++) {
            StreamHandle h = handle;
            try {
                return peer ? h.remoteAddress() : h.localAddress();
            } catch (IOException | UncheckedIOException e) {
                if (!movedFrom(h)) {
                    throw e;
                }
            }
            java.net.SocketAddress a = mover.addressWhileMoving(peer);
            if (a != null) {
                return a;
            }
            io.weft.task.SpinWait.backOff(spins); // the detach is a few instructions from done, or it just landed
        }
    }

    /**
     * Whether {@code h}, which a call just failed on, was taken away by a
     * move (the stream lives on, elsewhere or on its way): the caller looks
     * again. A stream closed by its user, or a failure on an open handle,
     * is not.
     */
    private boolean movedFrom(StreamHandle h) {
        return mover != null && !mover.isClosed() && !h.isOpen() && (handle != h || mover.moving());
    }

    public boolean isOpen() {
        if (mover == null) {
            return handle.isOpen();
        }
        return !mover.isClosed() && (handle.isOpen() || mover.moving()); // moving: detached from one reactor, not yet on the next
    }

    /**
     * Closes; idempotent. Pending operations fail with AsynchronousCloseException.
     * On a StealingExecutor, from another worker than the stream's: closed
     * there (its reactor's thread), at once for this stream's users. From a
     * thread outside the stream's executor: IllegalStateException, and the
     * stream stays as it was (as a LocalExecutor's does).
     */
    @Override
    public void close() {
        StreamHandle h = here();
        if (h != null) {
            if (mover != null) {
                mover.closedAtHome(); // first: a move waiting to run here must not read it as detached
            }
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
