package io.weft.io;

import io.weft.sys.Errno;
import io.weft.sys.Linux;
import io.weft.sys.SockAddr;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.SocketAddress;

/**
 * connect(2) on a non-blocking socket (EINPROGRESS, then SO_ERROR once
 * writable) / IORING_OP_CONNECT. The address lives in native memory the op
 * holds until the kernel's completion. A failed or cancelled connect closes
 * its socket.
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

    @Override
    public long attempt(Linux sys) {
        if (!inProgress) {
            int rc = sys.connect(socket.fd, addr, addrLen);
            if (rc == -Linux.EINPROGRESS || rc == -Linux.EAGAIN) {
                inProgress = true;
                return -Linux.EAGAIN;
            }
            return rc;
        }
        int err = sys.getsockoptInt(socket.fd, Linux.SOL_SOCKET, Linux.SO_ERROR);
        return err < 0 ? err : -err; // SO_ERROR 0: connected
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
