package io.weft.io;

import io.weft.CancellableFuture;
import io.weft.Context;
import io.weft.Poll;
import io.weft.sys.Errno;
import io.weft.sys.Linux;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * A connected stream socket (TCP or Unix) on a descriptor driver.
 *
 * <p>Bytes a completion driver read for a read that was cancelled meanwhile
 * are kept in {@link #leftover} and returned by the next read, so cancelling
 * a read never loses stream data (the driver holds the next read back until
 * the cancelled one's completion has come); the error such a read ended with
 * (a reset) is kept in {@link #keptError} and fails the next read once the
 * leftover is read, as the socket's pending error would on a readiness
 * driver. A native buffer (direct
 * ByteBuffer, native MemorySegment) is read into in place: after a cancel the
 * kernel may still write into it until that completion, when the bytes are
 * copied out, so it should not be written to meanwhile.
 */
public final class FdStream extends FdSocket implements StreamHandle {
    private final KeptBytes leftover = new KeptBytes();
    /**
     * The {@code -errno} a cancelled read completed with (ECONNRESET: the
     * kernel has cleared it from the socket, whose next recv would say end of
     * stream), or 0; after the leftover, the next read fails with it. Loop
     * thread only.
     */
    int keptError;

    public FdStream(FdDriver driver, int fd) {
        super(driver, fd);
    }

    /**
     * Puts {@code bytes} back before every byte not yet read and wakes the
     * reads and readables waiting on this stream (and, on io_uring, the ops
     * waiting behind a cancelled read): a waiting one takes them at its next
     * poll (see {@link ReadOp#poll}).
     */
    @Override
    public void unread(byte[] bytes) {
        driver.checkThread();
        leftover.unread(bytes);
        if (bytes.length > 0) {
            waiters.wake(FdOp.READ);
        }
    }

    /** Whether an operation of a task is pending on it (not cancelled). */
    private boolean busy() {
        for (ListedOp<?> l = waiters.head(); l != null; l = l.nextWaiter()) {
            if (((FdOp<?>) l).state != FdOp.CANCELLED) {
                return true;
            }
        }
        return false;
    }

    @Override
    public CancellableFuture<Integer> read(ByteBuffer dst) {
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("read into a read-only buffer");
        }
        return new ReadOp(driver, this, dst, null);
    }

    @Override
    public CancellableFuture<Integer> read(MemorySegment dst) {
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("read into a read-only segment");
        }
        return new ReadOp(driver, this, null, dst);
    }

    @Override
    public CancellableFuture<DetachedStream> detach() {
        FdStream self = this;
        return new CancellableFuture<>() {
            @Override
            public Poll<DetachedStream> poll(Context cx) {
                checkOpen();
                if (busy()) {
                    throw new IllegalStateException("detach of " + self + ": an operation of a task is pending on"
                            + " it; a stream moves with nothing pending");
                }
                if (driver.wakeWhenCancelledOpsEnd(self, cx.waker())) {
                    return Poll.pending(); // what they bring is kept in leftover, and moves with the stream
                }
                driver.deregister(self);
                closed = true; // for this executor: the descriptor stays open and moves
                shutOthersOut();
                DetachedStream.Fd d = new DetachedStream.Fd(driver.kind(), fd, leftover.drain(), keptError);
                keptError = 0;
                return Poll.ready(d);
            }

            @Override
            public void cancel() {
                // nothing was taken: the stream stays where it is
            }
        };
    }

    @Override
    public CancellableFuture<Void> readable() {
        return new ReadableOp(driver, this);
    }

    /**
     * recv(2) with MSG_DONTWAIT, straight into {@code dst} (heap or direct:
     * the call never blocks, so a heap array is passed in place on every
     * driver). Bytes kept from a cancelled read come first; while a cancelled
     * read is still in the kernel nothing is read (its bytes come first), and
     * {@link #readable()} waits for it.
     */
    @Override
    public int tryRead(ByteBuffer dst) {
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("read into a read-only buffer");
        }
        driver.checkThread();
        checkOpen();
        if (!dst.hasRemaining()) {
            return 0;
        }
        int n = leftover.take(dst);
        if (n > 0) {
            return n;
        }
        throwKeptError();
        MemorySegment v = MemorySegment.ofBuffer(dst);
        if (driver.cancelledInKernel(this, FdOp.READ)) {
            return 0;
        }
        long len = v.byteSize();
        long r;
        do {
            r = driver.sys().recvfrom(fd, v, len, Linux.MSG_DONTWAIT, MemorySegment.NULL, MemorySegment.NULL);
        } while (r == -Linux.EINTR);
        if (r == -Linux.EAGAIN) {
            driver.notReady(this, FdOp.READ);
            return 0;
        }
        if (r < 0) {
            throw failure("read", r);
        }
        if (r == 0) {
            return -1;
        }
        if (r < len) {
            driver.notReady(this, FdOp.READ); // drained: the next wait needs the next edge (as a short read op)
        }
        dst.position(dst.position() + (int) r);
        return (int) r;
    }

    /** Fails with the error a cancelled read kept ({@link #keptError}), once; nothing if none is kept. */
    private void throwKeptError() {
        int e = keptError;
        if (e != 0) {
            keptError = 0;
            throw failure("read", e);
        }
    }

    @Override
    public CancellableFuture<Integer> write(ByteBuffer src) {
        return new WriteOp(driver, this, src, null);
    }

    @Override
    public CancellableFuture<Integer> write(MemorySegment src) {
        return new WriteOp(driver, this, null, src);
    }

    @Override
    public int writeNow(MemorySegment src) {
        if (cancelledWrites != 0 || src.byteSize() == 0) {
            return 0;
        }
        long r;
        try {
            r = onDescriptor(sys -> {
                long x;
                do {
                    x = sys.send(fd, src, src.byteSize(), Linux.MSG_DONTWAIT | Linux.MSG_NOSIGNAL);
                } while (x == -Linux.EINTR);
                return x;
            });
        } catch (java.nio.channels.ClosedChannelException closedOrMoving) {
            return 0; // the usual road says which
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        if (r == -Linux.EAGAIN) {
            return 0;
        }
        if (r < 0) {
            throw failure("write", r);
        }
        return (int) r;
    }

    @Override
    public void shutdownOutput() throws IOException {
        int rc = onDescriptor(sys -> sys.shutdown(fd, Linux.SHUT_WR));
        if (rc < 0 && rc != -Linux.ENOTCONN) {
            throw Errno.socketError("shutdown(SHUT_WR)", rc);
        }
    }

    @Override
    public void setNoDelay(boolean on) throws IOException {
        int rc = onDescriptor(sys -> sys.setsockopt(fd, Linux.IPPROTO_TCP, Linux.TCP_NODELAY, on ? 1 : 0));
        if (rc < 0) {
            throw Errno.socketError("setsockopt(TCP_NODELAY)", rc);
        }
    }

    @Override
    public void setLinger(java.time.Duration linger) throws IOException {
        // SO_LINGER counts whole seconds: a positive linger under one second is rounded up, never down to a reset
        int secs = linger == null || linger.isZero() ? 0
                : (int) Math.min(Integer.MAX_VALUE, Math.max(1, linger.plusNanos(999_999_999).toSeconds()));
        int rc = onDescriptor(sys -> sys.setLinger(fd, linger != null, secs));
        if (rc < 0) {
            throw Errno.socketError("setsockopt(SO_LINGER)", rc);
        }
    }

    @Override
    public SocketAddress localAddress() throws IOException {
        return name(false);
    }

    @Override
    public SocketAddress remoteAddress() throws IOException {
        return name(true);
    }

    @Override
    public String toString() {
        return "FdStream[fd=" + fd + (closed ? ", closed]" : "]");
    }

    /**
     * A read: recv(2) / IORING_OP_RECV.
     *
     * <p>Bytes handed back with {@link #unread} while it waits come first: at
     * its next poll it gives up its wait (epoll: it leaves the waiter list;
     * io_uring: a result it got and nobody looked at goes to the leftover
     * after them, and a recv still in the kernel is cancelled and waited for,
     * its bytes going after them too, since the kernel may write into a
     * native buffer until its completion), then reads the leftover as a new
     * read would. Cancelling it, waiting or in that second wait, keeps every
     * byte: the unread ones and whatever the recv got stay in the leftover,
     * for the next read.
     */
    static final class ReadOp extends FdOp<Integer> implements io.weft.compose.GivesBack<Integer> {
        private final ByteBuffer buf;
        private final MemorySegment seg;
        /** io_uring: cancelled in the kernel to take unread bytes first; reads again once its completion came. */
        private boolean retaking;

        ReadOp(FdDriver driver, FdStream s, ByteBuffer buf, MemorySegment seg) {
            super(driver, s);
            this.buf = buf;
            this.seg = seg;
        }

        /** See {@link KeptBytes#giveBack}. */
        @Override
        public void giveBack(Integer n) {
            KeptBytes.giveBack((FdStream) socket, buf, seg, n);
        }

        private MemorySegment view() {
            return seg != null ? seg : MemorySegment.ofBuffer(buf);
        }

        @Override
        public Poll<Integer> poll(Context cx) {
            FdStream s = (FdStream) socket;
            if (state == WAITING && !s.leftover.isEmpty()) { // unread while it waited
                s.checkThread();
                driver.cancelOp(this); // io_uring: a result not looked at goes to the leftover, after them
                if (inKernel) {
                    retaking = true;
                    alsoWake(cx.waker()); // woken at its completion (UringDriver.completion)
                    return Poll.pending();
                }
                state = NEW;
            } else if (retaking) {
                s.checkThread();
                if (inKernel) {
                    alsoWake(cx.waker());
                    return Poll.pending();
                }
                retaking = false;
                if (s.closed) {
                    state = DONE;
                    throw s.closedFailure();
                }
                state = NEW;
            }
            if (state == NEW) {
                checkOpen();
                MemorySegment v = view();
                if (v.byteSize() == 0) {
                    state = DONE;
                    return Poll.ready(0);
                }
                int n = s.leftover.take(v);
                if (n > 0) {
                    state = DONE;
                    advance(n);
                    return Poll.ready(n);
                }
                if (s.keptError != 0) {
                    state = DONE;
                    s.throwKeptError();
                }
            }
            return super.poll(cx);
        }

        private void advance(int n) {
            if (buf != null) {
                buf.position(buf.position() + n);
            }
        }

        @Override
        public int interest() {
            return READ;
        }

        private long asked;

        @Override
        public long attempt(Linux sys) {
            MemorySegment v = view();
            asked = v.byteSize();
            return sys.read(socket.fd, v, asked);
        }

        @Override
        public boolean drained(long res) {
            return res > 0 && res < asked;
        }

        @Override
        public void prepare(Sqe sqe) {
            MemorySegment k = kernelMemory(view(), Integer.MAX_VALUE, false);
            sqe.opcode(Sqe.OP_RECV).fd(socket.fd).addr(k).len((int) k.byteSize());
        }

        @Override
        public Integer complete(long res) {
            if (res < 0) {
                throw socket.failure("read", res);
            }
            if (res == 0) {
                return -1;
            }
            if (nativeBuf != null) {
                MemorySegment.copy(nativeBuf, 0, view(), 0, res);
            }
            advance((int) res);
            return (int) res;
        }

        /** Keeps bytes read for the next read; an error other than the cancel's own for the read after them. */
        @Override
        public void completeCancelled(long res) {
            if (socket.closed) {
                return;
            }
            FdStream s = (FdStream) socket;
            if (res > 0) { // where the kernel wrote, not the buffer's position now
                s.leftover.keep(kernelView.asSlice(0, res));
            } else if (res < 0 && res != -Linux.ECANCELED && s.keptError == 0) {
                s.keptError = (int) res;
            }
        }
    }

    /**
     * Readability, with no buffer: on a readiness driver ready as soon as
     * the read bit is set (it may be stale: {@code tryRead} then returns 0
     * and clears it); on io_uring IORING_OP_POLL_ADD for POLLIN. Bytes or an
     * error kept from a cancelled read make it ready at once, and so do bytes
     * unread while it waits (its wait is given up: on io_uring the poll is
     * cancelled in the kernel, where it holds nothing). Cancelling it keeps
     * everything: it takes nothing.
     */
    static final class ReadableOp extends FdOp<Void> {
        ReadableOp(FdDriver driver, FdStream s) {
            super(driver, s);
        }

        @Override
        public Poll<Void> poll(Context cx) {
            FdStream s = (FdStream) socket;
            if (state == NEW) {
                checkOpen();
                if (!s.leftover.isEmpty() || s.keptError != 0) {
                    state = DONE;
                    return Poll.ready(null);
                }
            } else if (state == WAITING && !s.leftover.isEmpty()) { // unread while it waited
                s.checkThread();
                driver.cancelOp(this);
                if (!inKernel) {
                    state = DONE; // else CANCELLED until the poll's completion, which is then ignored
                }
                return Poll.ready(null);
            }
            return super.poll(cx);
        }

        @Override
        public int interest() {
            return READ;
        }

        @Override
        public long attempt(Linux sys) {
            return 0; // called only while the read bit (or the sticky closed bit) is set
        }

        @Override
        public boolean consumes() {
            return false; // a poll takes no bytes: a cancelled one holds back no read
        }

        @Override
        public void prepare(Sqe sqe) {
            sqe.opcode(Sqe.OP_POLL_ADD).fd(socket.fd).opFlags(Linux.POLLIN);
        }

        @Override
        public Void complete(long res) {
            if (res < 0) {
                throw socket.failure("poll", res);
            }
            return null;
        }
    }

    /** A write: send(2) with MSG_NOSIGNAL / IORING_OP_SEND. */
    static final class WriteOp extends FdOp<Integer> {
        private final ByteBuffer buf;
        private final MemorySegment seg;

        WriteOp(FdDriver driver, FdStream s, ByteBuffer buf, MemorySegment seg) {
            super(driver, s);
            this.buf = buf;
            this.seg = seg;
        }

        private MemorySegment view() {
            return seg != null ? seg : MemorySegment.ofBuffer(buf);
        }

        @Override
        public Poll<Integer> poll(Context cx) {
            if (state == NEW) {
                checkOpen();
                if (view().byteSize() == 0) {
                    state = DONE;
                    return Poll.ready(0);
                }
            }
            return super.poll(cx);
        }

        @Override
        public int interest() {
            return WRITE;
        }

        private long asked;

        @Override
        public long attempt(Linux sys) {
            MemorySegment v = view();
            asked = v.byteSize();
            return sys.send(socket.fd, v, asked, Linux.MSG_NOSIGNAL);
        }

        @Override
        public boolean drained(long res) {
            return res >= 0 && res < asked;
        }

        @Override
        public void prepare(Sqe sqe) {
            MemorySegment k = kernelMemory(view(), Integer.MAX_VALUE, true);
            sqe.opcode(Sqe.OP_SEND).fd(socket.fd).addr(k).len((int) k.byteSize()).opFlags(Linux.MSG_NOSIGNAL);
        }

        @Override
        public Integer complete(long res) {
            if (res < 0) {
                throw socket.failure("write", res);
            }
            if (buf != null) {
                buf.position(buf.position() + (int) res);
            }
            return (int) res;
        }
    }
}
