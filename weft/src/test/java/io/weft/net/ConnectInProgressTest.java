package io.weft.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.CancellableFuture;
import io.weft.Context;
import io.weft.Driver;
import io.weft.Poll;
import io.weft.Weft;
import io.weft.time.Timeout;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A connect is ready only once connected (or failed), on every driver: not
 * while the handshake goes on, however often it is polled, and never with a
 * socket that is not connected.
 */
@org.junit.jupiter.api.Timeout(value = 60, unit = java.util.concurrent.TimeUnit.SECONDS,
        threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
class ConnectInProgressTest {
    private static final Duration WAIT = Duration.ofSeconds(5); // a hang guard

    @TempDir
    Path dir;

    /**
     * The listener's accept queue is full (backlog 1, two connections), so
     * the kernel drops the SYN and the connect stays in SYN_SENT. The loop
     * waits for events between the connect's registration and its first
     * poll (epoll reports the fresh, unconnected socket as hung up and
     * writable); then the connect is polled again and again: it stays
     * pending.
     */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void aConnectInProgressIsNotReadyHoweverOftenItIsPolled(Driver d) {
        TcpTest.on(d, () -> {
            List<Socket> fillers = new ArrayList<>();
            try (TcpListener l = TcpListener.bind(TcpTest.loopback(), SocketOptions.DEFAULT.withBacklog(1))) {
                for (int i = 0; i < 2; i++) {
                    Socket s = new Socket();
                    s.connect(l.localAddress());
                    fillers.add(s);
                }
                CancellableFuture<TcpStream> c = TcpStream.connect(l.localAddress());
                Weft.sleep(Duration.ofMillis(1)).await(); // the loop parks in its driver: it sees the socket's events
                Context cx = new Context(() -> { });
                for (int i = 0; i < 6; i++) {
                    Poll<TcpStream> p = c.poll(cx);
                    if (p.isReady()) {
                        TcpStream s = p.get();
                        s.close();
                        throw new AssertionError("poll " + i + " of a connect the listener does not answer returned "
                                + s);
                    }
                    Weft.sleep(Duration.ofMillis(1)).await();
                }
                c.cancel();
            } finally {
                for (Socket s : fillers) {
                    s.close();
                }
            }
            return null;
        });
    }

    /**
     * A Unix listener's backlog is full: a non-blocking connect(2) says
     * EAGAIN, and the connection never comes by itself. The connect either
     * fails with a SocketException (epoll, nio: java.nio's behaviour) or
     * waits for room (io_uring, whose kernel side retries) and then gives a
     * connected stream; it never gives a stream that is not connected.
     */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void aUnixConnectToAFullBacklogFailsOrWaitsNeverGivesAnUnconnectedStream(Driver d) throws Exception {
        UnixDomainSocketAddress a = UnixDomainSocketAddress.of(dir.resolve("full.sock"));
        List<SocketChannel> fillers = new ArrayList<>();
        try (ServerSocketChannel l = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            l.bind(a, 1);
            for (int i = 0; i < 2; i++) {
                fillers.add(SocketChannel.open(a)); // backlog 1 holds two
            }
            TcpTest.on(d, () -> {
                CancellableFuture<UnixStream> c = UnixStream.connect(a);
                Context cx = new Context(() -> { });
                Poll<UnixStream> p;
                try {
                    p = c.poll(cx);
                    for (int i = 0; i < 10 && !p.isReady(); i++) {
                        Weft.sleep(Duration.ofMillis(5)).await();
                        p = c.poll(cx);
                    }
                } catch (UncheckedIOException e) {
                    assertThat(e.getCause()).isInstanceOf(SocketException.class);
                    return null;
                }
                if (!p.isReady()) { // it waits for room: make some
                    l.accept().close();
                    for (int i = 0; i < 2000 && !p.isReady(); i++) {
                        Weft.sleep(Duration.ofMillis(5)).await();
                        p = c.poll(cx);
                    }
                    assertThat(p.isReady()).as("connected once the backlog has room").isTrue();
                }
                try (UnixStream s = p.get()) {
                    assertThat(s.remoteAddress()).as("a connected stream's peer").isNotNull();
                    assertThat(Timeout.of(WAIT, s.write(ByteBuffer.wrap(new byte[] {1}))).await()).isEqualTo(1);
                }
                return null;
            });
        } finally {
            for (SocketChannel c : fillers) {
                c.close();
            }
        }
    }
}
