package io.weft.io;

import io.weft.CancellableFuture;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.SelectionKey;

/**
 * A datagram socket of the {@link NioDriver}, over a non-blocking
 * {@link DatagramChannel}. A datagram is sent whole or not at all: java.nio
 * returning 0 for a non-empty buffer means it would block. An empty buffer
 * completes with 0 after one call: java.nio sends an empty datagram through
 * {@code sendTo} on an unconnected socket (dropped if the send buffer is
 * full, as UDP may), but none at all on a connected socket (it returns 0
 * before any system call), so there the call throws
 * UnsupportedOperationException rather than report a datagram it never sent.
 */
public final class NioDatagram extends NioSocket implements DatagramHandle {
    private final DatagramChannel ch;

    NioDatagram(NioDriver driver, DatagramChannel ch) {
        super(driver, ch);
        this.ch = ch;
    }

    @Override
    protected int opOf(int bit) {
        return switch (bit) {
            case NioOp.READ -> SelectionKey.OP_READ;
            case NioOp.WRITE -> SelectionKey.OP_WRITE;
            default -> 0;
        };
    }

    @Override
    public CancellableFuture<Integer> sendTo(ByteBuffer src, SocketAddress target) {
        checkNotEmptyOnConnected(src);
        return new SendOp(this, src, target);
    }

    private void checkNotEmptyOnConnected(ByteBuffer src) {
        if (!src.hasRemaining() && !closed && ch.isConnected()) {
            throw new UnsupportedOperationException("an empty datagram on a connected socket: java.nio (the nio"
                    + " driver) cannot send one and would report it sent; use the epoll or io_uring driver, or an"
                    + " unconnected socket's sendTo");
        }
    }

    @Override
    public CancellableFuture<SocketAddress> receiveFrom(ByteBuffer dst) {
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("receive into a read-only buffer");
        }
        return new ReceiveOp<SocketAddress>(this, dst, false);
    }

    @Override
    public void connect(SocketAddress peer) throws IOException {
        checkOpen();
        try {
            ch.connect(peer);
        } catch (IOException e) {
            throw NioErrors.rename("connect " + NioErrors.describe(peer), e);
        }
    }

    @Override
    public CancellableFuture<Integer> send(ByteBuffer src) {
        if (!closed && !ch.isConnected()) { // a closed socket's op fails with ClosedChannelException
            throw FdDatagram.notConnected("send");
        }
        checkNotEmptyOnConnected(src);
        return new SendOp(this, src, null);
    }

    @Override
    public CancellableFuture<Integer> receive(ByteBuffer dst) {
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("receive into a read-only buffer");
        }
        if (!closed && !ch.isConnected()) {
            throw FdDatagram.notConnected("receive");
        }
        return new ReceiveOp<Integer>(this, dst, true);
    }

    @Override
    public String toString() {
        return "NioDatagram[" + ch + (closed ? ", closed]" : "]");
    }

    /** {@link DatagramChannel#send} to a target, or {@link DatagramChannel#write} to the connected peer. */
    static final class SendOp extends NioOp<Integer> {
        private final ByteBuffer src;
        private final SocketAddress target;

        SendOp(NioDatagram d, ByteBuffer src, SocketAddress target) {
            super(d);
            this.src = src;
            this.target = target;
        }

        @Override
        public int interest() {
            return WRITE;
        }

        @Override
        String call() {
            return target == null ? "send" : "send to " + NioErrors.describe(target);
        }

        @Override
        Integer attempt() throws IOException {
            DatagramChannel ch = ((NioDatagram) socket).ch;
            boolean empty = !src.hasRemaining();
            int n = target == null ? ch.write(src) : ch.send(src, target);
            return n == 0 && !empty ? null : n;
        }
    }

    /**
     * {@link DatagramChannel#receive}: null means it would block. As
     * {@code receive} (connected only, as java.nio's read) the count; as
     * {@code receiveFrom} the sender.
     */
    static final class ReceiveOp<T> extends NioOp<T> {
        private final ByteBuffer dst;
        private final boolean count;

        ReceiveOp(NioDatagram d, ByteBuffer dst, boolean count) {
            super(d);
            this.dst = dst;
            this.count = count;
        }

        @Override
        public int interest() {
            return READ;
        }

        @Override
        String call() {
            return "receive";
        }

        @Override
        @SuppressWarnings("unchecked")
        T attempt() throws IOException {
            DatagramChannel ch = ((NioDatagram) socket).ch;
            if (count && !ch.isConnected()) {
                throw new NotYetConnectedException();
            }
            int before = dst.position();
            SocketAddress from = ch.receive(dst);
            if (from == null) {
                return null;
            }
            return (T) (count ? (Object) (dst.position() - before) : from);
        }
    }
}
