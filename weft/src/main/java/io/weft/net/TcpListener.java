package io.weft.net;

import io.weft.CancellableFuture;
import io.weft.executor.Worker;
import io.weft.io.ListenerHandle;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * A TCP server socket of the current executor: made and used by tasks of
 * one executor (the executor's driver runs its operations). On a
 * StealingExecutor any worker's task may accept and close: the listener's
 * own worker runs it (see {@code io.weft.net}'s package comment).
 *
 * <pre>{@code
 * try (var listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0))) {
 *     TcpStream conn = listener.accept().await();
 * }
 * }</pre>
 */
public final class TcpListener implements AutoCloseable {
    private final ListenerHandle handle;
    final ListenerAccepts<TcpStream> accepts;

    private TcpListener(ListenerHandle handle) {
        this.handle = handle;
        this.accepts = new ListenerAccepts<>(handle, TcpStream::new);
    }

    /** Binds with {@link SocketOptions#DEFAULT} (backlog 1024, SO_REUSEADDR). */
    public static TcpListener bind(SocketAddress address) throws IOException {
        return bind(address, SocketOptions.DEFAULT);
    }

    /** Binds {@code address} (port 0: any free port; see {@link #localAddress()}). */
    public static TcpListener bind(SocketAddress address, SocketOptions options) throws IOException {
        Addresses.resolved(address, "TcpListener.bind");
        return new TcpListener(Worker.current("TcpListener.bind").driver().listen(address, options));
    }

    /**
     * The next connection; fails with {@link java.io.UncheckedIOException} (cause: the IOException).
     *
     * <p><b>Cancel safety:</b> no connection is lost: one that a cancelled
     * accept had already taken (io_uring may complete it after the cancel)
     * is returned by the next accept, or closed with the listener.
     */
    public CancellableFuture<TcpStream> accept() {
        return accepts.accept();
    }

    public InetSocketAddress localAddress() throws IOException {
        return (InetSocketAddress) handle.localAddress();
    }

    public boolean isOpen() {
        return handle.isOpen();
    }

    /** Closes; idempotent. A pending accept fails with AsynchronousCloseException. */
    @Override
    public void close() {
        accepts.close();
    }

    @Override
    public String toString() {
        return "TcpListener[" + handle + "]";
    }
}
