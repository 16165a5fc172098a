package io.weft.net;

import io.weft.CancellableFuture;
import io.weft.Context;
import io.weft.Poll;
import io.weft.executor.ExecutorCore;
import io.weft.io.StreamHandle;
import io.weft.time.TimedOutException;
import io.weft.time.Timeout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * A TCP connection of the current executor; reading and writing are those
 * of every {@link SocketStream}. Made by {@link #connect} or
 * {@link TcpListener#accept()}.
 */
public final class TcpStream extends SocketStream {

    TcpStream(StreamHandle handle) {
        super(handle);
    }

    /**
     * Connects to {@code address}.
     *
     * <p><b>Cancel safety:</b> a cancelled connect closes its socket, also
     * when the kernel completes the connection after the cancel; nothing is
     * left open (the peer may see a connection that closes at once).
     */
    public static CancellableFuture<TcpStream> connect(SocketAddress address) {
        return connect(address, SocketOptions.DEFAULT);
    }

    public static CancellableFuture<TcpStream> connect(SocketAddress address, SocketOptions options) {
        if (!(address instanceof InetSocketAddress)) {
            throw new IllegalArgumentException("TcpStream.connect needs an InetSocketAddress, got " + address);
        }
        return ExecutorCore.current("TcpStream.connect").driver().connect(address, options).map(TcpStream::new);
    }

    /**
     * Connects, giving up after {@code timeout}: then fails with
     * UncheckedIOException whose cause is a {@link SocketTimeoutException}.
     */
    public static CancellableFuture<TcpStream> connect(SocketAddress address, Duration timeout) {
        Timeout<TcpStream> t = Timeout.of(timeout, connect(address));
        return new CancellableFuture<>() {
            @Override
            public Poll<TcpStream> poll(Context cx) {
                try {
                    return t.poll(cx);
                } catch (TimedOutException e) {
                    SocketTimeoutException ste = new SocketTimeoutException("connect " + address + ": timed out after "
                            + timeout);
                    ste.initCause(e);
                    throw new UncheckedIOException(ste);
                }
            }

            @Override
            public void cancel() {
                t.cancel();
            }
        };
    }

    /**
     * SO_LINGER: {@code null} (the default) lets close return at once while
     * the kernel sends what is buffered; {@code Duration.ZERO} makes close
     * drop the buffer and reset the connection (RST).
     */
    public void setLinger(Duration linger) throws IOException {
        if (linger != null && linger.isNegative()) {
            throw new IllegalArgumentException("setLinger(" + linger + "): must not be negative");
        }
        handle.setLinger(linger);
    }

    public InetSocketAddress localAddress() throws IOException {
        return (InetSocketAddress) handle.localAddress();
    }

    public InetSocketAddress remoteAddress() throws IOException {
        return (InetSocketAddress) handle.remoteAddress();
    }

}
