package io.weft.net;

import io.weft.CancellableFuture;
import io.weft.executor.Worker;
import io.weft.io.DatagramHandle;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * A UDP socket of the current executor (IPv4 or IPv6). Each send is one
 * datagram; a receive gets one datagram, truncated to the buffer's room.
 */
public final class UdpSocket implements AutoCloseable {
    private final DatagramHandle handle;

    private UdpSocket(DatagramHandle handle) {
        this.handle = handle;
    }

    /** Binds {@code address} (port 0: any free port). */
    public static UdpSocket bind(SocketAddress address) throws IOException {
        return bind(address, SocketOptions.DEFAULT.withReuseAddress(false));
    }

    public static UdpSocket bind(SocketAddress address, SocketOptions options) throws IOException {
        if (!(address instanceof InetSocketAddress)) {
            throw new IllegalArgumentException("UdpSocket.bind needs an InetSocketAddress, got " + address);
        }
        return new UdpSocket(Worker.current("UdpSocket.bind").driver().bindDatagram(address, options));
    }

    /** Sends {@code src}'s remaining bytes as one datagram to {@code target}; the count. */
    public CancellableFuture<Integer> sendTo(ByteBuffer src, SocketAddress target) {
        return handle.sendTo(src, target);
    }

    /**
     * Receives one datagram into {@code dst}; its sender.
     *
     * <p><b>Cancel safety:</b> no datagram is lost: one that a cancelled
     * receive had already taken (io_uring may complete it after the cancel)
     * is returned by the next receive. A cancelled send may or may not have
     * been sent (a datagram goes whole or not at all).
     */
    public CancellableFuture<SocketAddress> receiveFrom(ByteBuffer dst) {
        return handle.receiveFrom(dst);
    }

    /** From now on, sends go to {@code peer} and only its datagrams are received. */
    public void connect(SocketAddress peer) throws IOException {
        handle.connect(peer);
    }

    /** Sends to the connected peer. */
    public CancellableFuture<Integer> send(ByteBuffer src) {
        return handle.send(src);
    }

    /** Receives from the connected peer; the datagram's length (as stored in dst). */
    public CancellableFuture<Integer> receive(ByteBuffer dst) {
        return handle.receive(dst);
    }

    public InetSocketAddress localAddress() throws IOException {
        return (InetSocketAddress) handle.localAddress();
    }

    public boolean isOpen() {
        return handle.isOpen();
    }

    @Override
    public void close() {
        handle.close();
    }

    @Override
    public String toString() {
        return "UdpSocket[" + handle + "]";
    }
}
