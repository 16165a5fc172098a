package io.weft.io;

import io.weft.sys.Errno;
import io.weft.sys.Linux;
import io.weft.sys.SockAddr;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.SocketAddress;

/**
 * connect(2) on a non-blocking socket (EINPROGRESS, then SO_ERROR once
 * writable) / IORING_OP_CONNECT. The address lives in native memory the op
 * holds until the kernel's completion. A failed or cancelled connect closes
 * its socket.
 *
 * <p>Readiness driver: only EINPROGRESS means the attempt goes on. EAGAIN is
 * a failure, as java.nio reports it: for a Unix socket the listener's backlog
 * is full and the connection would never come by itself (io_uring's kernel
 * side waits for room instead), for TCP no local port is free. A socket is
 * connected only when, writable, it has no error (SO_ERROR) and a peer
 * (getpeername): an unconnected socket also polls as writable and hung up
 * (epoll reports that for the fresh socket, and a sticky hang-up bit would
 * make every poll try), with SO_ERROR 0 while the handshake goes on.
 */
final class ConnectOp extends FdOp<StreamHandle> {
    private final SocketAddress target;
    private final MemorySegment addr;
    private final int addrLen;
    private boolean inProgress;
    /** Completion driver: the connect was dropped mid-way and restarted as a wait for writability. */
    private boolean restarted;

    ConnectOp(FdDriver driver, FdStream s, SocketAddress target) {
        super(driver, s);
        this.target = target;
        this.addr = Arena.ofAuto().allocate(SockAddr.MAX_LEN, 8);
        this.addrLen = SockAddr.write(target, addr);
    }

    @Override
    public int interest() {
        return WRITE;
    }

    /** {@link #attempt}'s result for connect(2)'s EAGAIN, a failure (-EAGAIN would mean "wait"); see the class comment. */
    private static final long CONNECT_EAGAIN = Long.MIN_VALUE;

    @Override
    public long attempt(Linux sys) {
        if (!inProgress) {
            // What epoll said of the fresh socket (hung up, writable) is not about this connection: start afresh
            socket.readiness = READ | WRITE;
            int rc = sys.connect(socket.fd, addr, addrLen);
            if (rc == -Linux.EINPROGRESS) {
                inProgress = true;
                return -Linux.EAGAIN;
            }
            return rc == -Linux.EAGAIN ? CONNECT_EAGAIN : rc;
        }
        int err = sys.getsockoptInt(socket.fd, Linux.SOL_SOCKET, Linux.SO_ERROR);
        if (err != 0) {
            return err < 0 ? err : -err;
        }
        MemorySegment buf = sys.scratch();
        MemorySegment len = buf.asSlice(SockAddr.MAX_LEN, 4);
        len.set(ValueLayout.JAVA_INT, 0, SockAddr.MAX_LEN);
        int rc = sys.getpeername(socket.fd, buf.asSlice(0, SockAddr.MAX_LEN), len);
        return rc == -Linux.ENOTCONN ? -Linux.EAGAIN : Math.min(rc, 0); // no peer yet: the handshake goes on
    }

    @Override
    public void prepare(Sqe sqe) {
        if (restarted) {
            sqe.opcode(Sqe.OP_POLL_ADD).fd(socket.fd).opFlags(Linux.POLLOUT); // then SO_ERROR, as attempt()
        } else {
            sqe.opcode(Sqe.OP_CONNECT).fd(socket.fd).addr(addr).off(addrLen);
        }
    }

    /** The connection attempt goes on in the kernel: a second connect would fail with EALREADY; wait for it. */
    @Override
    public boolean restart() {
        restarted = true;
        return true;
    }

    @Override
    public StreamHandle complete(long res) {
        if (restarted && res >= 0) {
            int err = driver.sys().getsockoptInt(socket.fd, Linux.SOL_SOCKET, Linux.SO_ERROR);
            res = err < 0 ? err : -err;
        }
        if (res == CONNECT_EAGAIN) {
            res = -Linux.EAGAIN;
        }
        if (res < 0) {
            UncheckedIOException e = socket.closedFailure();
            socket.close();
            throw e != null ? e : new UncheckedIOException(Errno.socketError("connect " + target, (int) res));
        }
        return (FdStream) socket;
    }

    @Override
    public void completeCancelled(long res) {
        socket.close();
    }

    @Override
    public void cancel() {
        boolean wasPending = state == NEW || state == WAITING;
        super.cancel();
        if (wasPending && !inKernel) {
            socket.close(); // nobody will ever get this socket
        }
    }
}
