package io.weft.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.JoinHandle;
import io.weft.LocalExecutor;
import io.weft.StealingExecutor;
import io.weft.Weft;
import io.weft.net.TcpListener;
import io.weft.net.TcpStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The proxy between real sockets: content both ways, half-close passed on, failures closing both sides. */
@org.junit.jupiter.api.Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES,
        threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD) // a hang fails instead of stalling the build
class TcpProxyTest {

    static InetSocketAddress loopback() {
        return new InetSocketAddress("127.0.0.1", 0);
    }

    /** An upstream echo server on {@code l}; {@code open} counts its live connections. */
    static JoinHandle<Void> echoUpstream(TcpListener l, AtomicInteger open) {
        return Weft.spawn(() -> {
            for (;;) {
                TcpStream s = l.accept().await();
                open.incrementAndGet();
                Weft.spawn(() -> {
                    try {
                        EchoServer.echo(s, new Buffers(16 * 1024, true, 16));
                    } finally {
                        open.decrementAndGet();
                    }
                });
            }
        });
    }

    /** The proxy on {@code proxy}, forwarding to {@code up}. */
    static JoinHandle<Void> proxyTo(TcpListener proxy, TcpListener up) throws java.io.IOException {
        InetSocketAddress to = up.localAddress();
        return Weft.spawn(() -> TcpProxy.serve(proxy, to));
    }

    static byte[] message(int conn, int i) {
        byte[] b = new byte[1 + (conn * 131 + i * 977) % 20_000];
        for (int k = 0; k < b.length; k++) {
            b[k] = (byte) (conn * 31 + i * 7 + k);
        }
        return b;
    }

    static final int CONNS = 200;
    static final int MESSAGES = 20;

    @Test
    void manyConnectionsGetTheirOwnBytesBack() {
        try (LocalExecutor ex = LocalExecutor.builder().build()) {
            assertThat(ex.run(TcpProxyTest::manyConnections)).isEqualTo((long) CONNS * MESSAGES);
        }
    }

    /**
     * The same on a StealingExecutor of two workers: each connection's two
     * directions are two tasks, which may run on different workers, each
     * reading the stream the other writes to.
     */
    @Test
    void manyConnectionsGetTheirOwnBytesBackOnAStealingExecutor() {
        try (StealingExecutor ex = StealingExecutor.builder().workers(2).build()) {
            assertThat(ex.blockOn(TcpProxyTest::manyConnections)).isEqualTo((long) CONNS * MESSAGES);
        }
    }

    /** {@link #CONNS} clients through the proxy to an echo upstream, {@link #MESSAGES} each, every byte checked; the messages checked. */
    static long manyConnections() throws java.io.IOException {
        AtomicInteger open = new AtomicInteger();
        try (TcpListener up = TcpListener.bind(loopback()); TcpListener proxy = TcpListener.bind(loopback())) {
            JoinHandle<Void> upstream = echoUpstream(up, open);
            JoinHandle<Void> serve = proxyTo(proxy, up);
            List<JoinHandle<Long>> clients = new ArrayList<>();
            for (int c = 0; c < CONNS; c++) {
                int conn = c;
                clients.add(Weft.spawn(() -> {
                    long n = 0;
                    try (TcpStream s = TcpStream.connect(proxy.localAddress()).await()) {
                        for (int i = 0; i < MESSAGES; i++) {
                            byte[] m = message(conn, i);
                            s.writeAll(ByteBuffer.wrap(m)).await();
                            ByteBuffer back = ByteBuffer.allocate(m.length);
                            s.readExact(back).await();
                            if (!Arrays.equals(back.array(), m)) {
                                throw new AssertionError("connection " + conn + ", message " + i + " came back changed");
                            }
                            n++;
                        }
                    }
                    return n;
                }));
            }
            long total = 0;
            for (JoinHandle<Long> h : clients) {
                total += h.await();
            }
            serve.abort();
            upstream.abort();
            return total;
        }
    }

    @Test
    void aHalfCloseIsPassedOnAndTheReplyStillComesBack() {
        try (LocalExecutor ex = LocalExecutor.builder().build()) {
            String reply = ex.run(() -> {
                try (TcpListener up = TcpListener.bind(loopback()); TcpListener proxy = TcpListener.bind(loopback())) {
                    // upstream: reads until the end of the request stream, then answers with what it counted
                    JoinHandle<Void> upstream = Weft.spawn(() -> {
                        try (TcpStream s = up.accept().await()) {
                            ByteBuffer in = ByteBuffer.allocate(1 << 20);
                            while (s.read(in).await() >= 0) {
                                // until the proxy passes the client's half-close on
                            }
                            s.writeAll(ByteBuffer.wrap(("got " + in.position()).getBytes())).await();
                        }
                    });
                    JoinHandle<Void> serve = proxyTo(proxy, up);
                    try (TcpStream c = TcpStream.connect(proxy.localAddress()).await()) {
                        c.writeAll(ByteBuffer.wrap(new byte[300_000])).await();
                        c.shutdownOutput();
                        ByteBuffer in = ByteBuffer.allocate(100);
                        while (c.read(in).await() >= 0) {
                            // until the upstream's close reaches us through the proxy
                        }
                        upstream.await();
                        serve.abort();
                        return new String(in.array(), 0, in.position());
                    }
                }
            });
            assertThat(reply).isEqualTo("got 300000");
        }
    }

    @Test
    void aClientResetClosesTheUpstreamConnection() {
        try (LocalExecutor ex = LocalExecutor.builder().build()) {
            int left = ex.run(() -> {
                AtomicInteger open = new AtomicInteger();
                try (TcpListener up = TcpListener.bind(loopback()); TcpListener proxy = TcpListener.bind(loopback())) {
                    JoinHandle<Void> upstream = echoUpstream(up, open);
                    JoinHandle<Void> serve = proxyTo(proxy, up);
                    TcpStream c = TcpStream.connect(proxy.localAddress()).await();
                    c.writeAll(ByteBuffer.wrap("ping".getBytes())).await();
                    c.readExact(ByteBuffer.allocate(4)).await(); // through to the upstream and back
                    assertThat(open.get()).isEqualTo(1);
                    c.setLinger(Duration.ZERO); // close with a reset, not a FIN
                    c.close();
                    while (open.get() > 0) {
                        Weft.yieldNow().await(); // the upstream's echo task ends when the proxy closes its side
                    }
                    serve.abort();
                    upstream.abort();
                    return open.get();
                }
            });
            assertThat(left).isZero();
        }
    }

    @Test
    void aRefusedUpstreamClosesTheClient() {
        try (LocalExecutor ex = LocalExecutor.builder().build()) {
            int read = ex.run(() -> {
                InetSocketAddress nowhere;
                try (TcpListener gone = TcpListener.bind(loopback())) {
                    nowhere = gone.localAddress(); // a port nothing listens on once this closes
                }
                try (TcpListener proxy = TcpListener.bind(loopback())) {
                    JoinHandle<Void> serve = Weft.spawn(() -> TcpProxy.serve(proxy, nowhere));
                    try (TcpStream c = TcpStream.connect(proxy.localAddress()).await()) {
                        int r = c.read(ByteBuffer.allocate(10)).await();
                        serve.abort();
                        return r;
                    }
                }
            });
            assertThat(read).isEqualTo(-1);
        }
    }

    @Test
    void upstreamAddressesAreCheckedWithAClearError() {
        assertThat(TcpProxy.address("127.0.0.1:8080")).isEqualTo(new InetSocketAddress("127.0.0.1", 8080));
        assertThat(TcpProxy.address("[::1]:80").getPort()).isEqualTo(80);
        assertThatThrownBy(() -> TcpProxy.address("localhost")).hasMessageContaining("expected HOST:PORT");
        assertThatThrownBy(() -> TcpProxy.address("h:x")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> TcpProxy.address("h:70000")).hasMessageContaining("1 to 65535");
        assertThatThrownBy(() -> TcpProxy.main(new String[] {"--port", "1"})).hasMessageContaining("--upstream");
    }
}
