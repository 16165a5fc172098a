package io.weft.net;

import io.weft.CancellableFuture;
import io.weft.Context;
import io.weft.Poll;
import io.weft.executor.Worker;
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
    /** The longest SO_LINGER the kernel's 16-bit-minded callers take, as {@code java.net.Socket} caps it. */
    public static final Duration MAX_LINGER = Duration.ofSeconds(65_535);

    TcpStream(StreamHandle handle) {
        super(handle);
    }

    /**
     * Connects to {@code address}. An unresolved {@link InetSocketAddress}
     * ({@link InetSocketAddress#createUnresolved}) is connected by its host
     * name, as {@link #connect(String, int)}.
     *
     * <p><b>Cancel safety:</b> a cancelled connect closes its socket, also
     * when the kernel completes the connection after the cancel; nothing is
     * left open (the peer may see a connection that closes at once).
     */
    public static CancellableFuture<TcpStream> connect(SocketAddress address) {
        return connect(address, SocketOptions.DEFAULT);
    }

    /** As {@link #connect(SocketAddress)}, with {@code options} for the new socket. */
    public static CancellableFuture<TcpStream> connect(SocketAddress address, SocketOptions options) {
        if (!(address instanceof InetSocketAddress a)) {
            throw new IllegalArgumentException("TcpStream.connect needs an InetSocketAddress, got " + address);
        }
        if (options == null) {
            throw new NullPointerException("options");
        }
        if (a.isUnresolved()) {
            return connect(a.getHostString(), a.getPort(), options);
        }
        return connectResolved(a, options);
    }

    static CancellableFuture<TcpStream> connectResolved(InetSocketAddress address, SocketOptions options) {
        return Worker.current("TcpStream.connect").driver().connect(address, options).map(TcpStream::new);
    }

    /**
     * Connects to {@code host}, a name or an IP literal. A name is resolved
     * on the blocking pool ({@link java.net.InetAddress#getAllByName}, which
     * may wait for DNS; never on the executor's thread), starting at the
     * first poll; then its addresses are tried in the order the resolver
     * gives them, each after the previous one failed, as a client that
     * walks a host's address list does: the first that connects wins. If
     * all fail, the last failure is thrown with the earlier ones
     * suppressed. An unknown host fails with UncheckedIOException whose
     * cause is a {@link java.net.UnknownHostException} naming the host. An
     * IP literal ({@code "127.0.0.1"}, {@code "::1"}) is connected at once.
     *
     * <p><b>Cancel safety:</b> cancelled while the name is being resolved,
     * the lookup is given up (one still waiting for a pool thread never
     * runs; a running one is interrupted and its answer dropped); cancelled
     * during a connect, that connect is cancelled, which closes its socket.
     * Nothing is left open.
     */
    public static CancellableFuture<TcpStream> connect(String host, int port) {
        return connect(host, port, SocketOptions.DEFAULT);
    }

    /** As {@link #connect(String, int)}, with {@code options} for the new socket. */
    public static CancellableFuture<TcpStream> connect(String host, int port, SocketOptions options) {
        if (host == null) {
            throw new NullPointerException("host");
        }
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("TcpStream.connect(" + host + ", " + port + "): port out of range");
        }
        if (options == null) {
            throw new NullPointerException("options");
        }
        java.net.InetAddress literal = HostConnect.literal(host);
        if (literal != null) {
            return connectResolved(new InetSocketAddress(literal, port), options);
        }
        return new HostConnect(Worker.current("TcpStream.connect"), host, port, options);
    }

    /**
     * Connects, giving up after {@code timeout}: then fails with
     * UncheckedIOException whose cause is a {@link SocketTimeoutException}.
     * Cancel safety: as {@link #connect(SocketAddress)}.
     */
    public static CancellableFuture<TcpStream> connect(SocketAddress address, Duration timeout) {
        if (timeout == null) {
            throw new NullPointerException("timeout"); // before the connect opens a socket
        }
        return timed(connect(address), String.valueOf(address), timeout);
    }

    /**
     * As {@link #connect(String, int)}, giving up after {@code timeout}
     * (the lookup and the connects together): then fails with
     * UncheckedIOException whose cause is a {@link SocketTimeoutException}.
     * Cancel safety: as {@link #connect(String, int)}.
     */
    public static CancellableFuture<TcpStream> connect(String host, int port, Duration timeout) {
        if (timeout == null) {
            throw new NullPointerException("timeout"); // before the connect opens a socket
        }
        return timed(connect(host, port), host + ":" + port, timeout);
    }

    private static CancellableFuture<TcpStream> timed(CancellableFuture<TcpStream> connect, String where,
                                                      Duration timeout) {
        Timeout<TcpStream> t = Timeout.of(timeout, connect);
        return new CancellableFuture<>() {
            @Override
            public Poll<TcpStream> poll(Context cx) {
                try {
                    return t.poll(cx);
                } catch (TimedOutException e) {
                    SocketTimeoutException ste = new SocketTimeoutException("connect " + where + ": timed out after "
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
     * Takes this stream off its executor so that a task of another executor
     * can {@linkplain MovedStream#attach() attach} it (see
     * {@link MovedStream}); ready once it is off (on io_uring, after any
     * cancelled read still in the kernel has completed). From then on this
     * object is closed for its executor, and the connection lives on in the
     * MovedStream. Fails with IllegalStateException if an operation of a task
     * is pending on the stream.
     *
     * <p><b>Cancel safety:</b> nothing moves until the future is ready; a
     * cancelled detach leaves the stream where it was.
     */
    public CancellableFuture<MovedStream<TcpStream>> detach() {
        return handle.detach().map(d -> new MovedStream<>(d, TcpStream::new));
    }

    /**
     * SO_LINGER: {@code null} (the default) lets close return at once while
     * the kernel sends what is buffered; {@code Duration.ZERO} makes close
     * drop the buffer and reset the connection (RST). A positive linger
     * makes {@code close()} wait, on the executor's thread (nothing else runs
     * there meanwhile), until the bytes are sent or the linger ran out; at
     * most {@link #MAX_LINGER} (65,535 s, as {@code java.net.Socket}): a
     * longer one is taken as that.
     */
    public void setLinger(Duration linger) throws IOException {
        if (linger != null && linger.isNegative()) {
            throw new IllegalArgumentException("setLinger(" + linger + "): must not be negative");
        }
        Duration capped = linger != null && linger.compareTo(MAX_LINGER) > 0 ? MAX_LINGER : linger;
        set(h -> h.setLinger(capped));
    }

    public InetSocketAddress localAddress() throws IOException {
        return (InetSocketAddress) address(false);
    }

    public InetSocketAddress remoteAddress() throws IOException {
        return (InetSocketAddress) address(true);
    }

}
