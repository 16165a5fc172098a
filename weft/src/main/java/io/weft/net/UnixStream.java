package io.weft.net;

import io.weft.CancellableFuture;
import io.weft.executor.Worker;
import io.weft.io.StreamHandle;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

/** A Unix domain stream connection of the current executor; made by {@link #connect} or {@link UnixListener#accept()}. */
public final class UnixStream extends SocketStream {

    UnixStream(StreamHandle handle) {
        super(handle);
    }

    public static CancellableFuture<UnixStream> connect(Path path) {
        return connect(UnixDomainSocketAddress.of(path));
    }

    /**
     * Connects to {@code address}; cancel safety as {@link TcpStream#connect(SocketAddress)}.
     *
     * <p>A listener whose backlog is full: on epoll and nio the connect fails
     * with a SocketException (EAGAIN, as java.nio's), since the kernel will
     * not finish it; on io_uring the kernel waits for room, and the connect
     * with it. It never gives a stream that is not connected.
     */
    public static CancellableFuture<UnixStream> connect(UnixDomainSocketAddress address) {
        Addresses.unix(address, "UnixStream.connect");
        return Worker.current("UnixStream.connect").driver().connect(address, SocketOptions.DEFAULT)
                .map(UnixStream::new);
    }

    /** As {@link TcpStream#detach()}: this stream, taken off its executor to move to another. */
    public CancellableFuture<MovedStream<UnixStream>> detach() {
        return handle.detach().map(d -> new MovedStream<>(d, UnixStream::new));
    }

    public UnixDomainSocketAddress localAddress() throws IOException {
        return (UnixDomainSocketAddress) address(false);
    }

    public UnixDomainSocketAddress remoteAddress() throws IOException {
        return (UnixDomainSocketAddress) address(true);
    }
}
