package io.weft.net;

import io.weft.CancellableFuture;
import io.weft.executor.OnHome;
import io.weft.executor.Worker;
import io.weft.io.DatagramHandle;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * A UDP socket of the current executor (IPv4 or IPv6). Each send is one
 * datagram; a receive gets one datagram, truncated to the buffer's room.
 *
 * <p>On a StealingExecutor the socket stays on the worker whose task bound
 * it; a task of another worker may send and receive too, the operation
 * running on the socket's worker ({@link OnHome}; a receive lands in a
 * buffer of its own there and is copied into {@code dst} by the caller, so
 * that a datagram received for a caller that gave up is kept for the next
 * receive). {@code connect} is for the socket's own worker.
 */
public final class UdpSocket implements AutoCloseable {
    private final DatagramHandle handle;
    /** The connected peer, or null; written once on the home worker, read by sends from any worker. */
    private volatile SocketAddress peer;
    /** On a StealingExecutor, the worker that bound it: other workers' tasks use it through there. */
    private final OnHome home;
    /** Datagrams received from afar for receives given up meanwhile: the next receive's. Any thread. */
    private final ConcurrentLinkedDeque<Received> kept = new ConcurrentLinkedDeque<>();

    /**
     * A datagram received on the socket's worker for a task of another: its
     * sender (null when a {@code receive()} took it: only a later
     * {@code receive()}, which needs no sender, gets it back) and its bytes.
     */
    private record Received(SocketAddress from, byte[] bytes) {
        /** Copies into {@code dst} what fits (a datagram is truncated to the room, as a receive does); the length stored. */
        int copyInto(ByteBuffer dst) {
            int n = Math.min(bytes.length, dst.remaining());
            dst.put(bytes, 0, n);
            return n;
        }
    }

    private UdpSocket(DatagramHandle handle) {
        this.handle = handle;
        this.home = OnHome.ofCurrent();
    }

    /** The oldest kept datagram ({@code needSender}: one with its sender), taken; null if none. */
    private Received takeKept(boolean needSender) {
        if (kept.isEmpty()) {
            return null;
        }
        for (Received r : kept) {
            if ((!needSender || r.from() != null) && kept.remove(r)) {
                return r;
            }
        }
        return null;
    }

    /** A receive from afar: made on the socket's worker into a buffer of its own, the datagram kept if given up. */
    private CancellableFuture<Received> receiveAfar(int room, boolean connected) {
        return home.run(this, () -> {
            ByteBuffer tmp = ByteBuffer.allocate(room);
            CancellableFuture<SocketAddress> r = connected ? handle.receive(tmp).map(n -> (SocketAddress) null)
                    : handle.receiveFrom(tmp);
            return r.map(from -> new Received(from, java.util.Arrays.copyOf(tmp.array(), tmp.position())));
        }, kept::add);
    }

    /** Binds {@code address} (port 0: any free port). */
    public static UdpSocket bind(SocketAddress address) throws IOException {
        return bind(address, SocketOptions.DEFAULT.withReuseAddress(false));
    }

    public static UdpSocket bind(SocketAddress address, SocketOptions options) throws IOException {
        Addresses.resolved(address, "UdpSocket.bind");
        return new UdpSocket(Worker.current("UdpSocket.bind").driver().bindDatagram(address, options));
    }

    /** Sends {@code src}'s remaining bytes as one datagram to {@code target}; the count. */
    public CancellableFuture<Integer> sendTo(ByteBuffer src, SocketAddress target) {
        Addresses.resolved(target, "UdpSocket.sendTo");
        SocketAddress p = peer;
        if (p != null && !p.equals(target)) {
            throw new IllegalStateException("UdpSocket.sendTo(" + target + ") on " + this + ", connected to " + p
                    + ": a connected socket sends to its peer only (send)");
        }
        return home.run(this, () -> handle.sendTo(src, target));
    }

    /**
     * Receives one datagram into {@code dst}; its sender.
     *
     * <p><b>Cancel safety:</b> no datagram is lost: one that a cancelled
     * receive had already taken (io_uring may complete it after the cancel)
     * is returned by the next receive, and an error one ended with in the
     * kernel (a refusal of a connected peer) is thrown by the next receive,
     * as on epoll and nio. A cancelled send may or may not have been sent (a
     * datagram goes whole or not at all). A join (or a select, a Timeout)
     * that took a datagram and is then given up gives it back: taken out of
     * {@code dst} again, it is the next receive's.
     */
    public CancellableFuture<SocketAddress> receiveFrom(ByteBuffer dst) {
        int start = dst.position();
        CancellableFuture<SocketAddress> op = kept.isEmpty() ? receiveFromLive(dst)
                : new GivenBack<>(() -> takeKept(true), r -> { // taken at the first poll, else a receive made then
                    r.copyInto(dst);
                    return r.from();
                }, () -> receiveFromLive(dst));
        return new TakenBack<>(op, from -> keepFirst(from, dst, start));
    }

    /**
     * A datagram a receive stored in {@code dst} from {@code start}, given
     * back by a combinator that took it and was given up (a join past its
     * deadline): taken out of {@code dst} (its position moves back) and kept
     * before the others, for the next receive.
     */
    private void keepFirst(SocketAddress from, ByteBuffer dst, int start) {
        byte[] b = new byte[dst.position() - start];
        dst.get(start, b);
        dst.position(start);
        kept.addFirst(new Received(from, b));
    }

    private CancellableFuture<SocketAddress> receiveFromLive(ByteBuffer dst) {
        return home.here() ? handle.receiveFrom(dst) : receiveAfar(dst.remaining(), false).map(r -> {
            r.copyInto(dst);
            return r.from();
        });
    }

    /**
     * From now on, sends go to {@code peer} and only its datagrams are
     * received. Once: a connected socket refuses another connect, and a
     * {@link #sendTo} to another address, with IllegalStateException.
     */
    public void connect(SocketAddress peer) throws IOException {
        Addresses.resolved(peer, "UdpSocket.connect");
        if (!home.here()) {
            throw new IllegalStateException("connect() " + this + " in a task of " + home.name()
                    + ", the worker whose task bound it, before tasks of other workers use it");
        }
        SocketAddress p = this.peer;
        if (p != null) {
            throw new IllegalStateException("UdpSocket.connect(" + peer + ") on " + this + ", connected to " + p
                    + " already: a socket connects once");
        }
        handle.connect(peer);
        this.peer = peer;
    }

    /**
     * Sends {@code src}'s remaining bytes as one datagram to the connected
     * peer; the count. An empty one too, except on the nio driver, which
     * cannot (java.nio sends nothing) and throws UnsupportedOperationException.
     */
    public CancellableFuture<Integer> send(ByteBuffer src) {
        return home.run(this, () -> handle.send(src));
    }

    /** Receives from the connected peer; the datagram's length (as stored in dst). */
    public CancellableFuture<Integer> receive(ByteBuffer dst) {
        int start = dst.position();
        CancellableFuture<Integer> op = kept.isEmpty() ? receiveLive(dst) // else taken at the first poll (GivenBack)
                : new GivenBack<>(() -> takeKept(false), r -> r.copyInto(dst), () -> receiveLive(dst));
        return new TakenBack<>(op, n -> keepFirst(null, dst, start));
    }

    private CancellableFuture<Integer> receiveLive(ByteBuffer dst) {
        return home.here() ? handle.receive(dst) : receiveAfar(dst.remaining(), true).map(r -> r.copyInto(dst));
    }

    public InetSocketAddress localAddress() throws IOException {
        return (InetSocketAddress) handle.localAddress();
    }

    public boolean isOpen() {
        return handle.isOpen();
    }

    @Override
    public void close() {
        home.close(this, handle::close); // from another worker: on the socket's, where its operations run
        kept.clear();
    }

    @Override
    public String toString() {
        return "UdpSocket[" + handle + "]";
    }
}
