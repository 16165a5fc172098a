package io.weft.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.Context;
import io.weft.Driver;
import io.weft.JoinHandle;
import io.weft.Poll;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

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

    static Stream<Arguments> driversAndBuffers() {
        List<Arguments> all = new ArrayList<>();
        for (Driver d : Driver.values()) {
            all.add(Arguments.of(d, false));
            all.add(Arguments.of(d, true));
        }
        return all.stream();
    }

    static ByteBuffer buffer(boolean direct) {
        return direct ? ByteBuffer.allocateDirect(64) : ByteBuffer.allocate(64);
    }

    static String text(ByteBuffer b, int n) {
        byte[] a = new byte[n];
        b.get(b.position() - n, a);
        return new String(a, StandardCharsets.US_ASCII);
    }

    /** One read, within WAIT, as text. */
    static String readOnce(SocketStream s, boolean direct) {
        ByteBuffer b = buffer(direct);
        int n = Timeout.of(WAIT, s.read(b)).await();
        return text(b, n);
    }

    /**
     * A read waits (the peer is quiet); bytes are handed back with unread
     * (as StreamMove.giveBack does when a forwarded read was given up). The
     * waiting read returns them, and nothing is lost after: the peer's next
     * bytes are the next read's.
     */
    @ParameterizedTest(name = "{0}, direct buffer: {1}")
    @MethodSource("driversAndBuffers")
    void aWaitingReadTakesBytesUnreadMeanwhile(Driver d, boolean direct) {
        TcpTest.on(d, () -> {
            try (TcpListener l = TcpListener.bind(TcpTest.loopback()); Socket peer = new Socket()) {
                peer.connect(l.localAddress());
                try (TcpStream s = Timeout.of(WAIT, l.accept()).await()) {
                    JoinHandle<String> r = Weft.spawn(() -> {
                        ByteBuffer b = buffer(direct);
                        int n = s.read(b).await();
                        return text(b, n);
                    });
                    for (int i = 0; i < 4; i++) {
                        Weft.yieldNow().await(); // the read waits: in the kernel, or for readiness
                    }
                    assertThat(r.isFinished()).as("the read waits").isFalse();
                    s.handle.unread(bytes("xyz"));
                    assertThat(Timeout.of(Duration.ofSeconds(1), r).await()).isEqualTo("xyz");
                    peer.getOutputStream().write(bytes("abc"));
                    assertThat(readOnce(s, direct)).as("the peer's bytes, once").isEqualTo("abc");
                }
            }
            return null;
        });
    }

    /**
     * A read polled by hand gets the peer's "abc" (on io_uring it completed
     * in the kernel, not yet looked at); then "xyz" is unread, bytes read
     * before "abc". The read returns "xyz" first, then "abc" comes: the
     * older bytes first, nothing lost.
     */
    @ParameterizedTest(name = "{0}, direct buffer: {1}")
    @MethodSource("driversAndBuffers")
    void bytesUnreadWhileAReadCompletedComeBeforeWhatItGot(Driver d, boolean direct) {
        TcpTest.on(d, () -> {
            try (TcpListener l = TcpListener.bind(TcpTest.loopback()); Socket peer = new Socket()) {
                peer.connect(l.localAddress());
                try (TcpStream s = Timeout.of(WAIT, l.accept()).await()) {
                    AtomicInteger woken = new AtomicInteger();
                    Context cx = new Context(woken::incrementAndGet);
                    ByteBuffer b = buffer(direct);
                    CancellableFuture<Integer> r = s.read(b);
                    assertThat(r.poll(cx).isReady()).isFalse();
                    peer.getOutputStream().write(bytes("abc"));
                    untilWoken(woken);
                    s.handle.unread(bytes("xyz"));
                    Poll<Integer> p = r.poll(cx);
                    for (int i = 0; i < 2000 && !p.isReady(); i++) { // io_uring: a read still in the kernel ends first
                        Weft.sleep(Duration.ofMillis(5)).await();
                        p = r.poll(cx);
                    }
                    assertThat(p.isReady()).isTrue();
                    String got = text(b, p.get()); // "xyz", or "xyzabc" on io_uring: both are in the leftover
                    while (got.length() < 6) {
                        got += readOnce(s, direct);
                    }
                    assertThat(got).isEqualTo("xyzabc");
                }
            }
            return null;
        });
    }

    /** As for a read: a readable() waiting when bytes are unread is ready, and tryRead then returns them. */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void aWaitingReadableIsReadyForBytesUnreadMeanwhile(Driver d) {
        TcpTest.on(d, () -> {
            try (TcpListener l = TcpListener.bind(TcpTest.loopback()); Socket peer = new Socket()) {
                peer.connect(l.localAddress());
                try (TcpStream s = Timeout.of(WAIT, l.accept()).await()) {
                    assertThat(s.tryRead(ByteBuffer.allocate(8))).as("nothing yet").isZero();
                    JoinHandle<Void> r = Weft.spawn(() -> s.readable().await());
                    for (int i = 0; i < 4; i++) {
                        Weft.yieldNow().await();
                    }
                    assertThat(r.isFinished()).as("readable waits").isFalse();
                    s.handle.unread(bytes("xyz"));
                    Timeout.of(Duration.ofSeconds(1), r).await();
                    ByteBuffer b = ByteBuffer.allocate(8);
                    assertThat(s.tryRead(b)).isEqualTo(3);
                    assertThat(text(b, 3)).isEqualTo("xyz");
                }
            }
            return null;
        });
    }
}
