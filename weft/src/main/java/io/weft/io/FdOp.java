package io.weft.io;

import io.weft.Context;
import io.weft.Poll;
import io.weft.sys.Linux;
import java.lang.foreign.MemorySegment;

/**
 * One operation on a file descriptor, defined once for both descriptor
 * drivers (the op-per-class design of monoio): a completion driver
 * (io_uring) asks it to {@link #prepare} a submission entry and hands the
 * kernel's result to {@link #complete}; a readiness driver (epoll) calls
 * {@link #attempt} — the non-blocking system call — when the descriptor is
 * ready for {@link #interest()}, and waits for the next edge when it
 * returns {@code -EAGAIN}.
 *
 * <p>Loop thread only. States: {@link #NEW} → {@link #WAITING} (in the
 * kernel, or waiting for readiness) → {@link #DONE}; or → {@link #CANCELLED}
 * from NEW or WAITING. A cancelled op that is in the kernel stays in the
 * driver's table, with its buffers, until its completion arrives; then
 * {@link #completeCancelled} keeps what must not be lost (bytes read, an
 * accepted descriptor).
 */
public abstract class FdOp<T> extends ListedOp<T> {
    public static final int NEW = 0, WAITING = 1, DONE = 2, CANCELLED = 3;
    public static final int READ = 1, WRITE = 2;
    /**
     * Sticky readiness of a readiness driver: the peer closed its side
     * (EPOLLRDHUP), or the socket hung up or failed (EPOLLHUP, EPOLLERR).
     * Never cleared: no further edge will come, and the next call returns
     * end of stream or the error instead of EAGAIN.
     */
    public static final int READ_CLOSED = 4, WRITE_CLOSED = 8;

    protected final FdDriver driver;
    protected final FdSocket socket;

    /** Driver-owned: state, waker, the in-flight slot and the result of a completion driver. */
    public int state = NEW;
    public int slot = -1;
    public boolean inKernel;
    public long result;
    public boolean hasResult;
    /**
     * io_uring: a poll returned pending while the op was NEW, waiting behind a cancelled op of its direction
     * still in the kernel: it was pending before a close that comes now, so it fails as closed asynchronously.
     */
    boolean waitedBehind;
    /** io_uring: a write cancelled while in the kernel, counted in its socket's {@code cancelledWrites} until it completes. */
    boolean countedCancelledWrite;
    /** A buffer borrowed from the driver's pool for the kernel; returned when the completion arrives. */
    public MemorySegment nativeBuf;
    /**
     * The memory handed to the kernel by the last {@link #kernelMemory}: where a completion's bytes are,
     * whatever the caller did to its buffer's position since (a cancelled read's completion is read from here).
     */
    protected MemorySegment kernelView;

    protected FdOp(FdDriver driver, FdSocket socket) {
        this.driver = driver;
        this.socket = socket;
    }

    /** The non-blocking system call: a result, or {@code -errno} ({@code -EAGAIN}: not ready). */
    public abstract long attempt(Linux sys);

    /**
     * Whether result {@code res} of {@link #attempt} shows the descriptor has
     * no more to give for this interest (a short read or write), so a
     * readiness driver clears the bit instead of paying for an EAGAIN on the
     * next call (as tokio does); the next edge sets it again.
     */
    public boolean drained(long res) {
        return false;
    }

    /**
     * For {@link #prepare}: the memory the kernel reads or writes for
     * {@code v}. Native memory the kernel writes into (a read) is used in
     * place, at most {@code maxNative} bytes of it (it stays reachable
     * through this op until the completion). Otherwise the kernel gets a
     * buffer of at most {@link BufferPool#MAX_CHUNK} bytes borrowed into
     * {@link #nativeBuf}: heap memory may move, and memory the kernel reads
     * ({@code toKernel}: a write) is copied in first, so that a write
     * cancelled while in the kernel sends (or writes to its file) the bytes
     * it was given, never what the caller puts in its buffer after
     * {@code cancel()} returned — as on epoll and nio, whose writes are done
     * (or copied) by then. The copy costs little next to the system call;
     * a longer write is done in chunks (a short write).
     */
    protected final MemorySegment kernelMemory(MemorySegment v, long maxNative, boolean toKernel) {
        if (v.isNative() && !toKernel) {
            return kernelView = v.asSlice(0, Math.min(v.byteSize(), maxNative));
        }
        long len = Math.min(v.byteSize(), BufferPool.MAX_CHUNK);
        nativeBuf = driver.borrow(len);
        if (toKernel) {
            MemorySegment.copy(v, 0, nativeBuf, 0, len);
        }
        return kernelView = nativeBuf.asSlice(0, len);
    }

    /** Fills a submission entry (the driver sets user_data). */
    public abstract void prepare(Sqe sqe);

    /**
     * The value for a result (kernel return value or {@code -errno}); throws
     * {@link java.io.UncheckedIOException} for an error. Called once.
     */
    public abstract T complete(long res);

    /**
     * Whether a completion of this op takes something from the socket (bytes,
     * a connection, a datagram). A cancelled op that does, still in the
     * kernel, holds back the next op of its interest (its completion comes
     * first); one that only waits for readiness holds back nothing.
     */
    public boolean consumes() {
        return true;
    }

    /** A completion that arrived after {@link #cancel()}: keep what must not be lost. */
    public void completeCancelled(long res) {
    }

    /**
     * A completion driver's kernel dropped this op unasked (io_uring cancels
     * the ops of a thread that exits, and the executor's loop may have moved
     * to another thread since this op was submitted): the op will be
     * {@linkplain #prepare prepared} and submitted again. False if it cannot
     * be; then it completes with the {@code -ECANCELED} it got.
     */
    public boolean restart() {
        return true;
    }

    public FdSocket socket() {
        return socket;
    }

    /**
     * For the first poll of a NEW op, before it takes anything kept on its
     * socket: throws unless on the loop thread with the socket open. A closed
     * socket fails it (it is then DONE) with ClosedChannelException, or with
     * AsynchronousCloseException if it already waited, behind a cancelled op
     * ({@link #waitedBehind}), before the close, as an op waiting in the
     * kernel or for readiness would.
     */
    protected final void checkOpen() {
        socket.checkThread();
        if (socket.closed) {
            state = DONE;
            if (waitedBehind) {
                throw socket.closedFailure(); // closed: an AsynchronousCloseException
            }
            socket.checkOpen();
        }
    }

    @Override
    public Poll<T> poll(Context cx) {
        return driver.pollOp(this, cx);
    }

    /** Gives up the operation; what completes after this is kept (see {@link #completeCancelled}). Idempotent. */
    @Override
    public void cancel() {
        if (state == NEW || state == WAITING) {
            driver.cancelOp(this);
        }
    }
}
