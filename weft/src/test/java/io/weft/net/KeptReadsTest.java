package io.weft.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.Context;
import io.weft.Driver;
import io.weft.CancellableFuture;
import io.weft.Weft;
import io.weft.time.Timeout;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a read that was given up leaves for the next one, on every driver:
 * the error that ended it in the kernel (io_uring), and bytes handed back
 * with {@code unread} while a read waits.
 */
@org.junit.jupiter.api.Timeout(value = 60, unit = java.util.concurrent.TimeUnit.SECONDS,
        threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
class KeptReadsTest {
    private static final Duration WAIT = Duration.ofSeconds(5); // a hang guard

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Sleeps in weft (the loop runs: completions are reaped, readiness is read) until {@code woken} counts one. */
    static void untilWoken(AtomicInteger woken) {
        for (int i = 0; i < 2000 && woken.get() == 0; i++) {
            Weft.sleep(Duration.ofMillis(5)).await();
        }
        assertThat(woken.get()).as("the pending operation was woken").isPositive();
    }

    /**
     * A read is polled once by hand (in the kernel on io_uring, on the
     * waiter list elsewhere); the peer resets the connection; once the
     * reset reached the read (its waker was woken: on io_uring the read
     * completed with ECONNRESET) the read is given up. The next read must
     * report the reset, as it does on epoll and nio, not a clean end of
     * stream.
     */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void aResetThatEndedACancelledReadFailsTheNextRead(Driver d) {
        TcpTest.on(d, () -> {
            try (TcpListener l = TcpListener.bind(TcpTest.loopback()); Socket peer = new Socket()) {
                peer.connect(l.localAddress());
                try (TcpStream s = Timeout.of(WAIT, l.accept()).await()) {
                    AtomicInteger woken = new AtomicInteger();
                    CancellableFuture<Integer> r = s.read(ByteBuffer.allocate(64));
                    assertThat(r.poll(new Context(woken::incrementAndGet)).isReady()).isFalse();
                    peer.setSoLinger(true, 0);
                    peer.close(); // RST
                    untilWoken(woken);
                    r.cancel();
                    assertThatThrownBy(() -> Timeout.of(WAIT, s.read(ByteBuffer.allocate(64))).await())
                            .isInstanceOf(UncheckedIOException.class)
                            .hasCauseInstanceOf(SocketException.class);
                }
            }
            return null;
        });
    }

    /**
     * As above for a connected UDP socket: a receive pending when the
     * peer's port answers "unreachable" is given up; the next receive
     * reports the refusal (a SocketException), as on epoll and nio.
     */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void aRefusalThatEndedACancelledReceiveFailsTheNextReceive(Driver d) {
        TcpTest.on(d, () -> {
            InetSocketAddress gone;
            try (DatagramSocket closed = new DatagramSocket(TcpTest.loopback())) {
                gone = (InetSocketAddress) closed.getLocalSocketAddress();
            }
            try (UdpSocket u = UdpSocket.bind(TcpTest.loopback())) {
                u.connect(gone);
                AtomicInteger woken = new AtomicInteger();
                CancellableFuture<Integer> r = u.receive(ByteBuffer.allocate(64));
                assertThat(r.poll(new Context(woken::incrementAndGet)).isReady()).isFalse();
                Timeout.of(WAIT, u.send(ByteBuffer.wrap(bytes("x")))).await(); // ICMP port unreachable comes back
                untilWoken(woken);
                r.cancel();
                assertThatThrownBy(() -> Timeout.of(WAIT, u.receive(ByteBuffer.allocate(64))).await())
                        .isInstanceOf(UncheckedIOException.class)
                        .hasCauseInstanceOf(SocketException.class);
            }
            return null;
        });
    }
}
