package io.weft.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.weft.Driver;
import io.weft.JoinHandle;
import io.weft.LocalExecutor;
import io.weft.LocalExecutorPool;
import io.weft.TaskCancelledException;
import io.weft.Weft;
import io.weft.io.Drivers;
import io.weft.time.Timeout;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A connected stream moves from one executor to another: accept on one, serve on any (per driver). */
@org.junit.jupiter.api.Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES,
        threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
class MoveStreamTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    /** A stream accepted on {@code a} from {@code peer}, through a listener made for it and closed after. */
    static TcpStream acceptOn(LocalExecutor a, Socket peer) throws Exception {
        TcpListener l = a.spawn(() -> TcpListener.bind(new InetSocketAddress("127.0.0.1", 0))).await();
        InetSocketAddress addr = a.spawn(l::localAddress).await();
        JoinHandle<TcpStream> accepted = a.spawn(() -> {
            try (l) {
                return l.accept().await();
            }
        });
        peer.connect(addr);
        return accepted.await();
    }

    /** A test's body, given two executors, a peer and the stream executor {@code a} accepted from it. */
    interface TwoExecutors {
        void run(LocalExecutor a, LocalExecutor b, Socket peer, TcpStream s) throws Exception;
    }

    /** Runs {@code body} with executor {@code a} on driver {@code from}, {@code b} on {@code to}, both started. */
    static void betweenTwo(Driver from, Driver to, TwoExecutors body) throws Exception {
        assumeDriver(from);
        assumeDriver(to);
        try (LocalExecutor a = LocalExecutor.builder().driver(from).start();
             LocalExecutor b = LocalExecutor.builder().driver(to).start();
             Socket peer = new Socket()) {
            body.run(a, b, peer, acceptOn(a, peer));
        }
    }

    static void assumeDriver(Driver d) {
        String why = Drivers.whyNot(d);
        assumeTrue(why == null, () -> d + " driver unavailable here: " + why);
    }

    /** Executor 0 accepts; every connection is served by executor 1, which tells the client its index. */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void acceptOnOneExecutorAndServeOnAnother(Driver d) throws Exception {
        assumeDriver(d);
        int conns = 50;
        try (var pool = LocalExecutorPool.builder().executors(2).driver(d).build()) {
            InetSocketAddress addr = pool.spawnOn(0, () -> {
                TcpListener l = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0));
                InetSocketAddress a = l.localAddress();
                Weft.spawn(() -> {
                    try (l) {
                        for (int i = 0; i < conns; i++) {
                            MovedStream<TcpStream> moving = l.accept().await().detach().await();
                            pool.spawnOn(1, () -> {
                                try (TcpStream s = moving.attach()) {
                                    ByteBuffer buf = ByteBuffer.allocate(64);
                                    int n = s.read(buf).await();
                                    String reply = new String(buf.array(), 0, n, StandardCharsets.US_ASCII)
                                            + " served by " + Weft.executorIndex();
                                    s.writeAll(ByteBuffer.wrap(reply.getBytes(StandardCharsets.US_ASCII))).await();
                                }
                                return null;
                            });
                        }
                    }
                    return null;
                });
                return a;
            }).await();
            for (int i = 0; i < conns; i++) {
                try (Socket c = new Socket()) {
                    c.connect(addr);
                    c.getOutputStream().write(("hello " + i).getBytes(StandardCharsets.US_ASCII));
                    String got = new String(c.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                    assertThat(got).isEqualTo("hello " + i + " served by 1");
                }
            }
        }
    }

    /** Bytes a cancelled read had taken (io_uring keeps them for the next read) move with the stream. */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void bytesKeptByACancelledReadMoveWithTheStream(Driver d) throws Exception {
        betweenTwo(d, d, (a, b, peer, s) -> {
            MovedStream<TcpStream> moving = a.spawn(() -> {
                JoinHandle<Integer> r = Weft.spawn(() -> s.read(ByteBuffer.allocate(16)).await());
                for (int i = 0; i < 4; i++) {
                    Weft.yieldNow().await(); // the read waits (in the kernel on io_uring)
                }
                peer.getOutputStream().write("abc".getBytes(StandardCharsets.US_ASCII));
                r.abort(); // the bytes are in the socket or, on io_uring, kept from the cancelled read
                try {
                    r.await();
                } catch (TaskCancelledException expected) {
                    // given up
                }
                return s.detach().await();
            }).await();
            String got = b.spawn(() -> {
                try (TcpStream moved = moving.attach()) {
                    ByteBuffer buf = ByteBuffer.allocate(3);
                    Timeout.of(WAIT, moved.readExact(buf)).await();
                    return new String(buf.array(), StandardCharsets.US_ASCII);
                }
            }).await();
            assertThat(got).isEqualTo("abc");
        });
    }

    /**
     * A stream whose output was shut down moves shut: a write where it lands
     * fails as it would have where it was (EPIPE), on every driver. On NIO
     * the new executor's stream forgot the shutdown, and the JDK's write
     * failed with AsynchronousCloseException, which says "closed meanwhile".
     */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void aStreamWhoseOutputWasShutDownMovesShut(Driver d) throws Exception {
        betweenTwo(d, d, (a, b, peer, s) -> {
            MovedStream<TcpStream> moving = a.spawn(() -> {
                s.shutdownOutput();
                return s.detach().await();
            }).await();
            Throwable failure = b.spawn(() -> {
                try (TcpStream moved = moving.attach()) {
                    moved.write(ByteBuffer.wrap(new byte[] {1})).await();
                    return null;
                } catch (java.io.UncheckedIOException e) {
                    return e.getCause();
                }
            }).await();
            assertThat(failure).isInstanceOf(java.net.SocketException.class).hasMessageContaining("EPIPE");
            assertThat(peer.getInputStream().read()).as("the peer sees the end").isEqualTo(-1);
        });
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void aStreamMovesOnlyWithNothingPendingAndOnlyOnce(Driver d) throws Exception {
        betweenTwo(d, d, (a, b, peer, s) -> {
            MovedStream<TcpStream> moving = a.spawn(() -> {
                JoinHandle<Integer> reader = Weft.spawn(() -> s.read(ByteBuffer.allocate(8)).await());
                Weft.yieldNow().await();
                assertThatThrownBy(() -> s.detach().await()).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("pending");
                peer.getOutputStream().write(1);
                assertThat(Timeout.of(WAIT, reader).await()).isEqualTo(1); // the stream still works here
                MovedStream<TcpStream> m = s.detach().await();
                assertThatThrownBy(() -> s.read(ByteBuffer.allocate(8)).await()).as("the old object is closed")
                        .hasRootCauseInstanceOf(java.nio.channels.ClosedChannelException.class);
                return m;
            }).await();
            b.spawn(() -> {
                moving.attach().close();
                return null;
            }).await();
            assertThatThrownBy(() -> b.spawn(moving::attach).await()).hasRootCauseInstanceOf(IllegalStateException.class)
                    .rootCause().hasMessageContaining("moves once");
            InputStream in = peer.getInputStream();
            assertThat(in.read()).as("the peer sees the close by the executor that attached it").isEqualTo(-1);
        });
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void aStreamNeverAttachedIsClosedByCloseAndCannotMoveToAnotherDriverKind(Driver d) throws Exception {
        Driver other = d == Driver.NIO ? Driver.EPOLL : Driver.NIO;
        betweenTwo(d, other, (a, b, peer, s) -> {
            MovedStream<TcpStream> moving = a.spawn(() -> {
                return s.detach().await();
            }).await();
            assertThatThrownBy(() -> b.spawn(moving::attach).await()).rootCause()
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("can move only to an executor on " + d).hasMessageContaining("uses " + other);
            moving.close();
            assertThat(peer.getInputStream().read()).as("closed, never attached").isEqualTo(-1);
        });
    }
}
