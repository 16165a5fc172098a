package io.weft.io;

import io.weft.CancellableFuture;
import io.weft.Context;
import io.weft.Poll;
import io.weft.sys.Errno;
import io.weft.sys.Linux;
import io.weft.sys.SockAddr;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.NotYetConnectedException;

/**
 * A datagram socket (UDP, IPv4 or IPv6) on a descriptor driver.
 * sendto/recvfrom on a readiness driver; IORING_OP_SENDMSG / _RECVMSG with a
 * msghdr in op-owned native memory on a completion driver.
 */
public final class FdDatagram extends FdSocket implements DatagramHandle {
    private boolean connected;
    /**
     * What a completion driver's receives that were cancelled meanwhile got,
     * in order: a datagram ({@code {byte[], SocketAddress}}), or the error one
     * ended with ({@code {null, Long -errno}}, e.g. ECONNREFUSED, which the
     * kernel has cleared from the socket). The next receives get them: a
     * datagram is returned, an error thrown.
     */
    private final java.util.ArrayDeque<Object[]> kept = new java.util.ArrayDeque<>();

    public FdDatagram(FdDriver driver, int fd) {
        super(driver, fd);
    }

    @Override
    public CancellableFuture<Integer> sendTo(ByteBuffer src, SocketAddress target) {
        checkOpen();
        if (target == null) {
            throw new NullPointerException("target");
        }
        return new SendOp(driver, this, src, target);
    }

    @Override
    public CancellableFuture<Integer> send(ByteBuffer src) {
        checkOpen();
        if (!connected) {
            throw notConnected("send");
        }
        return new SendOp(driver, this, src, null);
    }

    @Override
    public CancellableFuture<SocketAddress> receiveFrom(ByteBuffer dst) {
        checkOpen();
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("receive into a read-only buffer");
        }
        return new RecvOp(driver, this, dst);
    }

    @Override
    public CancellableFuture<Integer> receive(ByteBuffer dst) {
        if (!connected) {
            throw notConnected("receive");
        }
        int before = dst.position();
        return receiveFrom(dst).map(from -> dst.position() - before);
    }

    /** As java.nio's DatagramChannel.read/write on an unconnected channel. */
    static NotYetConnectedException notConnected(String call) {
        NotYetConnectedException e = new NotYetConnectedException();
        e.initCause(new IllegalStateException(call + "() on a datagram socket that is not connected: connect() it,"
                + " or use " + (call.equals("send") ? "sendTo" : "receiveFrom")));
        return e;
    }

    @Override
    public void connect(SocketAddress peer) throws IOException {
        checkOpen();
        MemorySegment a = driver.sys().scratch();
        int len = SockAddr.write(peer, a);
        int rc = driver.sys().connect(fd, a, len);
        if (rc < 0) {
            throw Errno.socketError("connect " + peer, rc);
        }
        connected = true;
    }

    @Override
    public SocketAddress localAddress() throws IOException {
        return name(false);
    }

    @Override
    public String toString() {
        return "FdDatagram[fd=" + fd + (closed ? ", closed]" : "]");
    }

    /** msghdr (56 bytes), iovec at 64, the address at 128: 256 bytes the op owns until its completion. */
    private static MemorySegment header(MemorySegment data, long len) {
        MemorySegment h = Arena.ofAuto().allocate(256, 8);
        h.set(ValueLayout.ADDRESS, 0, h.asSlice(128));
        h.set(ValueLayout.JAVA_INT, 8, SockAddr.MAX_LEN);
        h.set(ValueLayout.ADDRESS, 16, h.asSlice(64));
        h.set(ValueLayout.JAVA_LONG, 24, 1L);
        h.set(ValueLayout.ADDRESS, 64, data);
        h.set(ValueLayout.JAVA_LONG, 72, len);
        return h;
    }

    static final class SendOp extends FdOp<Integer> {
        private final ByteBuffer src;
        private final SocketAddress target;
        private MemorySegment header;

        SendOp(FdDriver driver, FdDatagram s, ByteBuffer src, SocketAddress target) {
            super(driver, s);
            this.src = src;
            this.target = target;
        }

        @Override
        public int interest() {
            return WRITE;
        }

        @Override
        public long attempt(Linux sys) {
            MemorySegment v = MemorySegment.ofBuffer(src);
            if (target == null) {
                return sys.send(socket.fd, v, v.byteSize(), Linux.MSG_NOSIGNAL);
            }
            MemorySegment a = sys.scratch();
            int len = SockAddr.write(target, a);
            return sys.sendto(socket.fd, v, v.byteSize(), Linux.MSG_NOSIGNAL, a, len);
        }

        @Override
        public void prepare(Sqe sqe) {
            MemorySegment data = kernelMemory(MemorySegment.ofBuffer(src), Long.MAX_VALUE, true);
            header = header(data, data.byteSize());
            if (target != null) {
                header.set(ValueLayout.JAVA_INT, 8, SockAddr.write(target, header.asSlice(128)));
            } else {
                header.set(ValueLayout.ADDRESS, 0, MemorySegment.NULL);
                header.set(ValueLayout.JAVA_INT, 8, 0);
            }
            sqe.opcode(Sqe.OP_SENDMSG).fd(socket.fd).addr(header).len(1).opFlags(Linux.MSG_NOSIGNAL);
        }

        @Override
        public Integer complete(long res) {
            if (res < 0) {
                throw socket.failure(target != null ? "sendto " + target : "send", res);
            }
            src.position(src.position() + (int) res);
            return (int) res;
        }
    }

    static final class RecvOp extends FdOp<SocketAddress> {
        private final ByteBuffer dst;
        private MemorySegment header;
        private SocketAddress from;

        RecvOp(FdDriver driver, FdDatagram s, ByteBuffer dst) {
            super(driver, s);
            this.dst = dst;
        }

        /**
         * Before the first submission: a datagram kept from a cancelled
         * receive comes first. Looked up at the poll, not when the op was
         * made: an op made earlier may have waited for that cancelled
         * receive's completion, which is what brought the datagram.
         */
        @Override
        public Poll<SocketAddress> poll(Context cx) {
            if (state == NEW) {
                checkOpen();
                Object[] k = ((FdDatagram) socket).kept.poll();
                if (k != null) {
                    if (!cx.consumeBudget()) {
                        ((FdDatagram) socket).kept.addFirst(k);
                        return Poll.pending();
                    }
                    state = DONE;
                    if (k[0] == null) {
                        throw socket.failure("recvfrom", (Long) k[1]);
                    }
                    byte[] b = (byte[]) k[0];
                    dst.put(b, 0, Math.min(b.length, dst.remaining())); // truncated as the kernel truncates
                    return Poll.ready((SocketAddress) k[1]);
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
            MemorySegment v = MemorySegment.ofBuffer(dst);
            MemorySegment a = sys.scratch().asSlice(0, SockAddr.MAX_LEN);
            MemorySegment lenPtr = sys.scratch().asSlice(SockAddr.MAX_LEN, 4);
            lenPtr.set(ValueLayout.JAVA_INT, 0, SockAddr.MAX_LEN);
            long n = sys.recvfrom(socket.fd, v, v.byteSize(), 0, a, lenPtr);
            if (n >= 0) {
                from = SockAddr.read(a, lenPtr.get(ValueLayout.JAVA_INT, 0));
            }
            return n;
        }

        @Override
        public void prepare(Sqe sqe) {
            MemorySegment data = kernelMemory(MemorySegment.ofBuffer(dst), Long.MAX_VALUE, false);
            header = header(data, data.byteSize());
            sqe.opcode(Sqe.OP_RECVMSG).fd(socket.fd).addr(header).len(1);
        }

        @Override
        public SocketAddress complete(long res) {
            if (res < 0) {
                throw socket.failure("recvfrom", res);
            }
            if (header != null) {
                from = SockAddr.read(header.asSlice(128), header.get(ValueLayout.JAVA_INT, 8));
                if (nativeBuf != null) {
                    MemorySegment.copy(nativeBuf, 0, MemorySegment.ofBuffer(dst), 0, res);
                }
            }
            dst.position(dst.position() + (int) res);
            return from;
        }

        /** Keeps the datagram for the next receive; an error other than the cancel's own for the next receive to throw. */
        @Override
        public void completeCancelled(long res) {
            if (socket.closed) {
                return;
            }
            if (res >= 0) {
                byte[] b = kernelView.asSlice(0, res).toArray(ValueLayout.JAVA_BYTE); // where the kernel wrote
                SocketAddress src = SockAddr.read(header.asSlice(128), header.get(ValueLayout.JAVA_INT, 8));
                ((FdDatagram) socket).kept.add(new Object[] {b, src});
            } else if (res != -Linux.ECANCELED) {
                ((FdDatagram) socket).kept.add(new Object[] {null, res});
            }
        }
    }
}
