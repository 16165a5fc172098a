package io.weft.examples;

import io.weft.JoinHandle;
import io.weft.Weft;
import io.weft.net.SocketOptions;
import io.weft.net.TcpListener;
import io.weft.net.TcpStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A TCP proxy: every connection accepted is connected to the upstream, and
 * bytes are copied both ways by two tasks, one per direction, each reading one
 * stream while the other task writes to it. A half-close is passed on (end of
 * stream from one side becomes shutdownOutput towards the other), so
 * request/response protocols that close their sending side still work. When
 * either side fails (reset, refused upstream), both connections are closed,
 * which also ends the other direction's pending read.
 *
 * <pre>
 * io.weft.examples.TcpProxy --upstream HOST:PORT [--port 8081] [--driver uring|epoll|nio] [--executors N] [--placement unbound|spread|pack] [--pin CPU] [--executor pool|stealing]
 * </pre>
 */
public final class TcpProxy {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private TcpProxy() {
    }

    public static void main(String[] args) throws Exception {
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        int at = rest.indexOf("--upstream");
        if (at < 0 || at + 1 >= rest.size()) {
            throw new IllegalArgumentException("--upstream HOST:PORT is required (the server to forward to)");
        }
        InetSocketAddress upstream = address(rest.get(at + 1));
        rest.subList(at, at + 2).clear();
        ServerArgs a = ServerArgs.parse(rest.toArray(String[]::new), 8081);
        if (a.stealing()) {
            // each connection's two directions are two tasks, on whichever workers run them
            a.serveStealing("proxy", client -> proxy(client, upstream));
            return;
        }
        a.serveOnEach("proxy", () -> {
            SocketOptions opts = SocketOptions.DEFAULT.withReusePort(a.executors() > 1);
            try (TcpListener l = TcpListener.bind(new InetSocketAddress(a.host(), a.port()), opts)) {
                System.out.println("proxy: listening on " + l.localAddress() + ", forwarding to " + upstream
                        + " (driver " + Weft.current().driver() + ", executor " + Weft.executorIndex() + ")");
                serve(l, upstream);
            }
            return null;
        });
    }

    /** HOST:PORT (an IPv6 host in brackets: [::1]:8080); a clear error for anything else. */
    static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1) {
            throw new IllegalArgumentException("--upstream " + hostPort + ": expected HOST:PORT");
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--upstream " + hostPort + ": the port is not a number");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--upstream " + hostPort + ": the port must be 1 to 65535");
        }
        return new InetSocketAddress(host, port);
    }

    /** Accepts forever, one task per connection. */
    static void serve(TcpListener l, InetSocketAddress upstream) {
        for (;;) {
            TcpStream client = l.accept().await();
            Weft.spawn(() -> proxy(client, upstream));
        }
    }

    /** One connection: connect upstream, copy both ways until both directions ended, close both. */
    static void proxy(TcpStream client, InetSocketAddress upstream) {
        try (client) {
            TcpStream server;
            try {
                server = TcpStream.connect(upstream, CONNECT_TIMEOUT).await();
            } catch (UncheckedIOException e) {
                return; // refused or timed out: closing the client tells it
            }
            try (server) {
                client.setNoDelay(true);
                server.setNoDelay(true);
                JoinHandle<Long> up = Weft.spawn(() -> pipe(client, server));
                pipe(server, client);
                up.await();
            } catch (IOException e) {
                // setNoDelay on a connection the peer already reset: both are closed on the way out
            }
        }
    }

    /**
     * Copies {@code from} into {@code to} until the end of {@code from}, then half-closes {@code to}; returns
     * the bytes copied, or -1 when a side failed, after closing both (which ends the other direction too).
     */
    static long pipe(TcpStream from, TcpStream to) {
        ByteBuffer buf = ByteBuffer.allocateDirect(16 * 1024);
        long n = 0;
        try {
            int r;
            while ((r = from.read(buf.clear()).await()) > 0) {
                to.writeAll(buf.flip()).await();
                n += r;
            }
            to.shutdownOutput();
            return n;
        } catch (UncheckedIOException | IOException e) {
            from.close();
            to.close();
            return -1;
        }
    }
}
