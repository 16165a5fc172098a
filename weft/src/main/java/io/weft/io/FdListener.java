package io.weft.io;

import io.weft.CancellableFuture;
import io.weft.Context;
import io.weft.Poll;
import io.weft.sys.Linux;
import java.io.IOException;
import java.net.SocketAddress;
import java.util.ArrayDeque;

/**
 * A listening socket on a descriptor driver. A connection a completion
 * driver accepted for an accept that was cancelled meanwhile is kept in
 * {@link #spare} and returned by the next accept, so cancelling an accept
 * never drops a connection.
 */
public final class FdListener extends FdSocket implements ListenerHandle {
    private final ArrayDeque<Integer> spare = new ArrayDeque<>();

    public FdListener(FdDriver driver, int fd) {
        super(driver, fd);
    }

    @Override
    public CancellableFuture<StreamHandle> accept() {
        return new AcceptOp(driver, this);
    }

    @Override
    public SocketAddress localAddress() throws IOException {
        return name(false);
    }

    @Override
    protected void afterClose() {
        Integer fd;
        while ((fd = spare.poll()) != null) {
            driver.sys().close(fd);
        }
    }

    @Override
    public String toString() {
        return "FdListener[fd=" + fd + (closed ? ", closed]" : "]");
    }

    /**
     * accept4(2) / IORING_OP_ACCEPT; the new socket is close-on-exec, and
     * non-blocking for a readiness driver, blocking for a completion driver
     * (as the driver's own sockets: {@link FdDriver#socketFlags()}).
     */
    static final class AcceptOp extends FdOp<StreamHandle> {
        AcceptOp(FdDriver driver, FdListener l) {
            super(driver, l);
        }

        @Override
        public Poll<StreamHandle> poll(Context cx) {
            if (state == NEW) {
                checkOpen();
                Integer fd = ((FdListener) socket).spare.poll();
                if (fd != null) {
                    state = DONE;
                    return Poll.ready(complete(fd));
                }
            }
            return super.poll(cx);
        }

        @Override
        public int interest() {
            return READ;
        }

        @Override
        public long attempt(Linux sys) {
            return sys.accept4(socket.fd, java.lang.foreign.MemorySegment.NULL, java.lang.foreign.MemorySegment.NULL,
                    Linux.SOCK_NONBLOCK | Linux.SOCK_CLOEXEC);
        }

        @Override
        public void prepare(Sqe sqe) {
            sqe.opcode(Sqe.OP_ACCEPT).fd(socket.fd).opFlags(driver.socketFlags() | Linux.SOCK_CLOEXEC);
        }

        @Override
        public StreamHandle complete(long res) {
            if (res < 0) {
                throw socket.failure("accept", res);
            }
            return driver.adoptStream((int) res);
        }

        @Override
        public void completeCancelled(long res) {
            if (res >= 0) {
                if (socket.closed) {
                    driver.sys().close((int) res);
                } else {
                    ((FdListener) socket).spare.add((int) res);
                }
            }
        }
    }
}
