package io.weft.io;

import io.weft.CancellableFuture;
import io.weft.Context;
import io.weft.Poll;
import io.weft.net.SocketOptions;
import io.weft.sys.Errno;
import io.weft.sys.Linux;
import io.weft.sys.SockAddr;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;

/**
 * A driver over Linux file descriptors: the sockets and operations of
 * io_uring and epoll are the same classes ({@link FdStream},
 * {@link FdListener}, the {@link FdOp}s); the two drivers differ only in how
 * they run an op ({@link #pollOp}, {@link #cancelOp}) and what they do when
 * a socket is made or closed. Loop thread only.
 */
public abstract class FdDriver extends IoDriver {
    protected final Linux sys = Linux.local();
    protected final BufferPool buffers = new BufferPool();

    public Linux sys() {
        return sys;
    }

    public MemorySegment borrow(long len) {
        return buffers.borrow(len);
    }

    public void release(MemorySegment b) {
        buffers.release(b);
    }

    /** Native memory of the buffer pool now: buffers lent to the kernel plus the cache (see {@link BufferPool}). */
    public long nativeBufferBytes() {
        return buffers.nativeBytes();
    }

    /** The pool's bound on free buffers kept for reuse. */
    public long bufferCacheBytes() {
        return buffers.cacheBytes();
    }

    /** Runs {@code op}: ready with its value, or pending with {@code cx}'s waker kept. */
    public abstract <T> Poll<T> pollOp(FdOp<T> op, Context cx);

    /** Gives up {@code op} (its state is NEW or WAITING). */
    public abstract void cancelOp(FdOp<?> op);

    /**
     * A call outside any op (a {@code tryRead}) found nothing for
     * {@code interest}: a readiness driver clears its bit, so the next op
     * waits for the next edge.
     */
    protected void notReady(FdSocket s, int interest) {
    }

    /**
     * Whether a completion driver still has a cancelled op of {@code
     * interest} on {@code s} in the kernel: its completion may bring bytes
     * that come before anything read now, so a {@code tryRead} must wait
     * (the next op waits for that completion, then takes what it kept).
     */
    protected boolean cancelledInKernel(FdSocket s, int interest) {
        return false;
    }

    /**
     * Flags for the sockets this driver makes: {@code SOCK_NONBLOCK} for a
     * readiness driver, which tries non-blocking calls. A completion driver
     * wants blocking descriptors: the kernel waits for it (see UringDriver).
     */
    protected int socketFlags() {
        return Linux.SOCK_NONBLOCK;
    }

    /**
     * A socket was made: the driver keeps it in its table, which
     * {@link #close()} closes (a readiness driver also registers it with the
     * kernel).
     */
    protected abstract void register(FdSocket s) throws IOException;

    /** A socket is about to close: ops pending on it must end (they fail with AsynchronousCloseException). */
    protected abstract void closing(FdSocket s);

    /**
     * {@code s} is closed, but its descriptor stays open a moment longer for
     * a call of another thread that holds it ({@link DescriptorGate}), which
     * closes it: a readiness driver takes it out of its interest list now,
     * which close(2) would otherwise do. Loop thread.
     */
    protected void closeDeferred(FdSocket s) {
    }

    /** A socket leaves this driver without closing (it moves to another executor): forget it. */
    protected abstract void deregister(FdSocket s);

    /**
     * A completion driver with cancelled ops of {@code s} still in the kernel
     * makes {@code w} woken when they complete, and says true; false when
     * none is in the kernel.
     */
    protected boolean wakeWhenCancelledOpsEnd(FdSocket s, io.weft.Waker w) {
        return false;
    }

    protected void checkThread() {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("a socket of the executor on thread " + owner.getName()
                    + " was used from thread " + Thread.currentThread().getName()
                    + ": sockets belong to the executor (or the StealingExecutor worker) that made them;"
                    + " hand a stream to another with detach() and attach()");
        }
    }

    /** Wraps a connected descriptor (from accept) and registers it. */
    FdStream adoptStream(int fd) {
        FdStream s = new FdStream(this, fd);
        try {
            register(s);
        } catch (IOException e) {
            sys.close(fd);
            throw new java.io.UncheckedIOException(e);
        }
        return s;
    }

    private int newSocket(SocketAddress address, int type, String what) throws IOException {
        int family = SockAddr.family(address);
        int fd = sys.socket(family, type | socketFlags() | Linux.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw Errno.socketError("socket (" + what + " " + address + ")", fd);
        }
        return fd;
    }

    @Override
    public ListenerHandle listen(SocketAddress address, SocketOptions options) throws IOException {
        checkThread();
        int fd = newSocket(address, Linux.SOCK_STREAM, "listen");
        try {
            if (address instanceof InetSocketAddress) {
                option(fd, Linux.SOL_SOCKET, Linux.SO_REUSEADDR, options.reuseAddress(), "SO_REUSEADDR");
                if (options.reusePort()) {
                    option(fd, Linux.SOL_SOCKET, Linux.SO_REUSEPORT, true, "SO_REUSEPORT");
                }
            }
            MemorySegment addr = sys.scratch();
            int len = SockAddr.write(address, addr);
            int rc = sys.bind(fd, addr, len);
            if (rc < 0) {
                throw Errno.socketError("bind " + describe(address), rc);
            }
            rc = sys.listen(fd, options.backlog());
            if (rc < 0) {
                throw Errno.socketError("listen " + describe(address), rc);
            }
            FdListener l = new FdListener(this, fd);
            register(l);
            return l;
        } catch (IOException | RuntimeException e) {
            sys.close(fd);
            throw e;
        }
    }

    @Override
    public CancellableFuture<StreamHandle> connect(SocketAddress address, SocketOptions options) {
        checkThread();
        int fd;
        try {
            fd = newSocket(address, Linux.SOCK_STREAM, "connect");
        } catch (IOException e) {
            return IoFutures.failed(e);
        }
        FdStream s = new FdStream(this, fd);
        try {
            if (options.noDelay() && address instanceof InetSocketAddress) {
                option(fd, Linux.IPPROTO_TCP, Linux.TCP_NODELAY, true, "TCP_NODELAY");
            }
            register(s);
        } catch (IOException e) {
            s.close();
            return IoFutures.failed(e);
        }
        return new ConnectOp(this, s, address);
    }

    @Override
    public DatagramHandle bindDatagram(SocketAddress address, SocketOptions options) throws IOException {
        checkThread();
        int fd = newSocket(address, Linux.SOCK_DGRAM, "bind");
        try {
            option(fd, Linux.SOL_SOCKET, Linux.SO_REUSEADDR, options.reuseAddress(), "SO_REUSEADDR");
            if (options.reusePort()) {
                option(fd, Linux.SOL_SOCKET, Linux.SO_REUSEPORT, true, "SO_REUSEPORT");
            }
            MemorySegment addr = sys.scratch();
            int len = SockAddr.write(address, addr);
            int rc = sys.bind(fd, addr, len);
            if (rc < 0) {
                throw Errno.socketError("bind " + describe(address), rc);
            }
            FdDatagram d = new FdDatagram(this, fd);
            register(d);
            return d;
        } catch (IOException | RuntimeException e) {
            sys.close(fd);
            throw e;
        }
    }

    private void option(int fd, int level, int name, boolean on, String what) throws IOException {
        int rc = sys.setsockopt(fd, level, name, on ? 1 : 0);
        if (rc < 0) {
            throw Errno.socketError("setsockopt(" + what + ")", rc);
        }
    }

    static String describe(SocketAddress a) {
        return a instanceof UnixDomainSocketAddress u ? u.getPath().toString() : String.valueOf(a);
    }
}
