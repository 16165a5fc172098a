package io.weft.net;

import static io.weft.net.TcpTest.on;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.Driver;
import io.weft.JoinHandle;
import io.weft.Weft;
import io.weft.executor.Worker;
import io.weft.io.FdDriver;
import io.weft.time.Timeout;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Waiting for bytes without a buffer ({@code readable}) and reading without waiting ({@code tryRead}), per driver. */
@org.junit.jupiter.api.Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES,
        threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
class ReadinessTest {
    private static final Duration WAIT = Duration.ofSeconds(5); // a hang guard: the waits below end at once

    static InetSocketAddress loopback() {
        return new InetSocketAddress("127.0.0.1", 0);
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void readableWaitsForBytesThenTryReadTakesThem(Driver d) {
        on(d, () -> {
            try (TcpListener l = TcpListener.bind(loopback()); Socket peer = new Socket()) {
                peer.connect(l.localAddress());
                try (TcpStream s = Timeout.of(WAIT, l.accept()).await()) {
                    ByteBuffer buf = ByteBuffer.allocate(64);
                    int nothing = s.tryRead(buf);
                    assertThat(nothing).as("no bytes yet").isZero();
                    JoinHandle<Void> waiting = Weft.spawn(() -> s.readable().await());
                    for (int i = 0; i < 4; i++) {
                        Weft.yieldNow().await();
                    }
                    assertThat(waiting.isFinished()).as("readable() waits while nothing came").isFalse();
                    peer.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
                    Timeout.of(WAIT, waiting).await();
                    StringBuilder got = new StringBuilder();
                    while (got.length() < 5) {
                        int n = s.tryRead(buf.clear());
                        if (n == 0) {
                            Timeout.of(WAIT, s.readable()).await(); // the bytes may come in two segments
                            continue;
                        }
                        got.append(new String(buf.array(), 0, n, StandardCharsets.US_ASCII));
                    }
                    assertThat(got.toString()).isEqualTo("hello");
                    assertThat(s.tryRead(buf.clear())).as("nothing more").isZero();
                    assertThat(s.tryRead(ByteBuffer.allocate(0))).as("no room").isZero();
                    peer.shutdownOutput();
                    Timeout.of(WAIT, s.readable()).await();
                    int end = s.tryRead(buf.clear());
                    assertThat(end).as("end of stream").isEqualTo(-1);
                }
            }
            return null;
        });
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void directBuffersToo(Driver d) {
        on(d, () -> {
            try (TcpListener l = TcpListener.bind(loopback()); Socket peer = new Socket()) {
                peer.connect(l.localAddress());
                try (TcpStream s = Timeout.of(WAIT, l.accept()).await()) {
                    peer.getOutputStream().write(new byte[] {1, 2, 3});
                    ByteBuffer direct = ByteBuffer.allocateDirect(16);
                    int n = 0;
                    while (n < 3) {
                        Timeout.of(WAIT, s.readable()).await();
                        n += s.tryRead(direct);
                    }
                    assertThat(direct.flip()).isEqualTo(ByteBuffer.wrap(new byte[] {1, 2, 3}));
                }
            }
            return null;
        });
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void failuresAreThoseOfRead(Driver d) {
        on(d, () -> {
            try (TcpListener l = TcpListener.bind(loopback())) {
                Socket peer = new Socket();
                peer.connect(l.localAddress());
                TcpStream s = Timeout.of(WAIT, l.accept()).await();
                peer.setSoLinger(true, 0);
                peer.close(); // a reset
                Timeout.of(WAIT, s.readable()).await();
                assertThatThrownBy(() -> s.tryRead(ByteBuffer.allocate(8))).isInstanceOf(UncheckedIOException.class)
                        .hasCauseInstanceOf(SocketException.class);
                assertThatThrownBy(() -> s.tryRead(ByteBuffer.allocate(8).asReadOnlyBuffer()))
                        .isInstanceOf(IllegalArgumentException.class);
                s.close();
                assertThatThrownBy(() -> s.tryRead(ByteBuffer.allocate(8))).isInstanceOf(UncheckedIOException.class)
                        .hasCauseInstanceOf(ClosedChannelException.class);
            }
            return null;
        });
    }

    /**
     * 1,000 connections wait with readable(): on io_uring no native buffer is
     * lent meanwhile (a pending read of a heap buffer holds one each).
     */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void idleConnectionsHoldNoBuffer(Driver d) {
        on(d, () -> {
            int conns = 1000;
            try (TcpListener l = TcpListener.bind(loopback())) {
                List<TcpStream> clients = new ArrayList<>();
                List<TcpStream> servers = new ArrayList<>();
                List<JoinHandle<String>> waiters = new ArrayList<>();
                for (int i = 0; i < conns; i++) {
                    clients.add(TcpStream.connect(l.localAddress()).await());
                    TcpStream s = l.accept().await();
                    servers.add(s);
                    waiters.add(Weft.spawn(() -> {
                        ByteBuffer buf = ByteBuffer.allocate(16);
                        for (;;) {
                            s.readable().await();
                            int n = s.tryRead(buf);
                            if (n != 0) {
                                return new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII);
                            }
                        }
                    }));
                }
                for (int i = 0; i < 4; i++) {
                    Weft.yieldNow().await();
                }
                if (Worker.current("test").driver() instanceof FdDriver fd) {
                    assertThat(fd.nativeBufferBytes()).as("native buffers held by idle connections").isZero();
                }
                for (int i = 0; i < conns; i++) {
                    clients.get(i).writeAll(ByteBuffer.wrap(("m" + i).getBytes(StandardCharsets.US_ASCII))).await();
                }
                for (int i = 0; i < conns; i++) {
                    assertThat(Timeout.of(WAIT, waiters.get(i)).await()).isEqualTo("m" + i);
                }
                clients.forEach(TcpStream::close);
                servers.forEach(TcpStream::close);
            }
            return null;
        });
    }
}
