package io.weft.io;

import io.weft.CancellableFuture;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/** A datagram socket of one driver, used by the loop thread of the executor that made it. */
public interface DatagramHandle {

    /** Sends {@code src} (its remaining bytes, one datagram) to {@code target}; the count sent. */
    CancellableFuture<Integer> sendTo(ByteBuffer src, SocketAddress target);

    /** Receives one datagram into {@code dst}; the sender. A datagram longer than dst is truncated. */
    CancellableFuture<SocketAddress> receiveFrom(ByteBuffer dst);

    /** Connects: send and receive then use only {@code peer}. */
    void connect(SocketAddress peer) throws IOException;

    CancellableFuture<Integer> send(ByteBuffer src);

    CancellableFuture<Integer> receive(ByteBuffer dst);

    SocketAddress localAddress() throws IOException;

    boolean isOpen();

    void close();
}
