package io.weft.net;

import io.weft.CancellableFuture;
import io.weft.executor.Worker;
import io.weft.io.ListenerHandle;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

/**
 * A Unix domain stream server socket of the current executor. Binding
 * creates the socket file; it is not removed on close (as in every
 * runtime): delete it when done.
 */
public final class UnixListener implements AutoCloseable {
    private final ListenerHandle handle;
    private final ListenerAccepts<UnixStream> accepts;

    private UnixListener(ListenerHandle handle) {
        this.handle = handle;
        this.accepts = new ListenerAccepts<>(handle, UnixStream::new);
    }

    public static UnixListener bind(Path path) throws IOException {
        return bind(UnixDomainSocketAddress.of(path));
    }

    public static UnixListener bind(UnixDomainSocketAddress address) throws IOException {
        Addresses.unix(address, "UnixListener.bind");
        return new UnixListener(Worker.current("UnixListener.bind").driver().listen(address,
                SocketOptions.DEFAULT));
    }

    /** The next connection; cancel safety as {@link TcpListener#accept()}: no connection is lost. */
    public CancellableFuture<UnixStream> accept() {
        return accepts.accept();
    }

    public UnixDomainSocketAddress localAddress() throws IOException {
        return (UnixDomainSocketAddress) handle.localAddress();
    }

    public boolean isOpen() {
        return handle.isOpen();
    }

    @Override
    public void close() {
        accepts.close();
    }

    @Override
    public String toString() {
        return "UnixListener[" + handle + "]";
    }
}
