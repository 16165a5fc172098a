package io.weft.io;

import io.weft.sys.Errno;
import io.weft.sys.Linux;
import io.weft.sys.SockAddr;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.SocketAddress;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;

/**
 * A socket descriptor owned by one {@link FdDriver}; loop thread only.
 * Holds what both descriptor drivers need: the descriptor, the closed flag,
 * the readiness bits and waiting ops of a readiness driver, and the count of
 * ops a completion driver has in the kernel.
 *
 * <p>The one exception: the calls that need no loop state (options,
 * addresses, shutdown) may come from a task of another worker of a
 * StealingExecutor ({@link #onDescriptor}). Such a call holds the
 * descriptor open while it runs ({@link DescriptorGate}): a close on the
 * loop thread refuses new ones and leaves close(2) to the last one still
 * running, so that the number is never freed, and perhaps given to another
 * socket, under a call; a detach refuses new ones and waits for those
 * running to end before the descriptor moves.
 */
public abstract class FdSocket {
    protected final FdDriver driver;
    public final int fd;
    public boolean closed;
    /** Readiness driver: READ/WRITE bits believed ready (start as ready: the first call just tries). */
    public int readiness = FdOp.READ | FdOp.WRITE;
    /**
     * Ops waiting on this socket, a doubly linked list: for a readiness
     * driver those waiting for an edge, for a completion driver those in the
     * kernel (cancelled when the socket closes).
     */
    final OpList waiters = new OpList();
    /** This socket's token in the driver's {@link SocketTable} (-1: not registered). */
    public int token = -1;
    /** Completion driver: ops of this socket in the kernel. */
    public int inKernel;
    /**
     * Completion driver: writes cancelled while in the kernel, not yet
     * completed (their bytes may still go out, before any later write's).
     * Written by the loop thread; read by any ({@code FdStream.writeNow}).
     */
    volatile int cancelledWrites;
    /** The calls on the descriptor from other threads. */
    private final DescriptorGate gate = new DescriptorGate();

    /**
     * Completion driver: a cancelled op of this socket in direction
     * {@code interest} that takes data, still in the kernel (its completion
     * may yet bring bytes, or a connection, that come before a new op's), or
     * null.
     */
    FdOp<?> cancelledInKernel(int interest) {
        if (inKernel == 0) {
            return null;
        }
        for (ListedOp<?> l = waiters.head(); l != null; l = l.nextWaiter()) {
            FdOp<?> o = (FdOp<?>) l; // every op of this socket in the kernel is on this list
            if (o.state == FdOp.CANCELLED && o.interest() == interest && o.consumes()) {
                return o;
            }
        }
        return null;
    }

    protected FdSocket(FdDriver driver, int fd) {
        this.driver = driver;
        this.fd = fd;
    }

    public boolean isOpen() {
        return !closed;
    }

    /** Throws IllegalStateException naming both threads unless called on the driver's loop thread. */
    void checkThread() {
        driver.checkThread();
    }

    /** Closes the descriptor; pending ops fail with AsynchronousCloseException. Idempotent. */
    public void close() {
        checkThread(); // before any change: a close from another thread must not half-close
        if (closed) {
            return;
        }
        closed = true;
        driver.closing(this);
        if (gate.close()) {
            driver.sys().close(fd);
        } else {
            driver.closeDeferred(this); // the last call from another thread closes it
        }
        afterClose();
    }

    /**
     * Refuses calls from other threads from now on and waits (they are
     * single system calls) for those running: the descriptor is about to
     * move to another driver, and this handle's calls must not follow it.
     * Loop thread.
     */
    protected void shutOthersOut() {
        gate.shutAndWait();
    }

    /** A system call on the descriptor, made with {@code sys} (the calling thread's); its result, or a failure. */
    @FunctionalInterface
    protected interface FdCall<T> {
        T run(Linux sys) throws IOException;
    }

    /**
     * Runs {@code call}: on the loop thread with the driver's system calls;
     * from another thread with that thread's own (their scratch memory and
     * captured errno belong to one thread), and only while the descriptor
     * is open, holding it open meanwhile (see the class comment).
     * ClosedChannelException once it is closed (or moved away).
     */
    protected <T> T onDescriptor(FdCall<T> call) throws IOException {
        if (onOwnerThread()) {
            if (closed) {
                throw new ClosedChannelException();
            }
            return call.run(driver.sys());
        }
        if (!gate.enter()) {
            throw new ClosedChannelException();
        }
        try {
            return call.run(Linux.local());
        } finally {
            if (gate.exit()) {
                Linux.local().close(fd); // closed on the loop thread meanwhile: the last call frees the number
            }
        }
    }

    protected void afterClose() {
    }

    /**
     * Throws unless called on the loop thread (IllegalStateException naming
     * both threads) with the socket open (ClosedChannelException); the ops
     * call it first, before they take anything kept for them (leftover
     * bytes, a spare connection, a kept datagram).
     */
    public void checkOpen() {
        checkThread();
        if (closed) {
            throw new UncheckedIOException(new ClosedChannelException());
        }
    }

    /** The failure of an op that ended because this socket was closed meanwhile, or {@code null}. */
    UncheckedIOException closedFailure() {
        return closed ? new UncheckedIOException(new AsynchronousCloseException()) : null;
    }

    /** Whether the calling thread is the driver's loop thread (any thread may ask; the streams and listeners' answer). */
    public boolean onOwnerThread() {
        return driver.owner() == Thread.currentThread();
    }

    protected SocketAddress name(boolean peer) throws IOException {
        return onDescriptor(sys -> name(sys, fd, peer));
    }

    /** The peer's address ({@code peer}) or the local one of descriptor {@code fd}, which the caller holds open. */
    static SocketAddress name(Linux sys, int fd, boolean peer) throws IOException {
        MemorySegment buf = sys.scratch();
        MemorySegment addr = buf.asSlice(0, SockAddr.MAX_LEN);
        MemorySegment len = buf.asSlice(SockAddr.MAX_LEN, 4);
        len.set(ValueLayout.JAVA_INT, 0, SockAddr.MAX_LEN);
        int rc = peer ? sys.getpeername(fd, addr, len) : sys.getsockname(fd, addr, len);
        if (rc < 0) {
            throw Errno.socketError(peer ? "getpeername" : "getsockname", rc);
        }
        return SockAddr.read(addr, len.get(ValueLayout.JAVA_INT, 0));
    }

    /** An error result as the exception java.nio would throw; names the call. */
    UncheckedIOException failure(String call, long res) {
        UncheckedIOException c = closedFailure();
        if (c != null) {
            return c;
        }
        return new UncheckedIOException(Errno.socketError(call, (int) res));
    }
}
