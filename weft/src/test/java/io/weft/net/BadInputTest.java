package io.weft.net;

import static io.weft.net.SocketsTest.openDescriptors;
import static io.weft.net.TcpTest.loopback;
import static io.weft.net.TcpTest.on;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.Driver;
import io.weft.JoinHandle;
import io.weft.Weft;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Bad input to the socket calls, once per driver: the same clear error on
 * every driver, thrown at the call, and no descriptor opened for it.
 */
@org.junit.jupiter.api.Timeout(value = 2, unit = java.util.concurrent.TimeUnit.MINUTES,
        threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
class BadInputTest {
    @TempDir
    Path dir;

    /** A null argument of a connect is refused before a socket is opened (they used to leak one). */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void aConnectWithANullArgumentOpensNothing(Driver d) {
        on(d, () -> {
            try (TcpListener l = TcpListener.bind(loopback())) {
                InetSocketAddress a = l.localAddress();
                long before = openDescriptors();
                assertThatThrownBy(() -> TcpStream.connect(a, (SocketOptions) null))
                        .isInstanceOf(NullPointerException.class).hasMessageContaining("options");
                assertThatThrownBy(() -> TcpStream.connect(a, (Duration) null))
                        .isInstanceOf(NullPointerException.class).hasMessageContaining("timeout");
                assertThatThrownBy(() -> TcpStream.connect("127.0.0.1", a.getPort(), (Duration) null))
                        .isInstanceOf(NullPointerException.class).hasMessageContaining("timeout");
                assertThat(openDescriptors()).as("no socket left open").isEqualTo(before);
            }
            return null;
        });
    }

    /** A Unix socket path too long for the kernel is refused at the call, alike on every driver, opening nothing. */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void aUnixPathTooLongIsRefusedAtTheCallOpeningNothing(Driver d) {
        Path tooLong = dir.resolve("x".repeat(120));
        on(d, () -> {
            long before = openDescriptors();
            assertThatThrownBy(() -> UnixStream.connect(tooLong))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 107 bytes");
            assertThatThrownBy(() -> UnixListener.bind(tooLong))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 107 bytes");
            assertThat(openDescriptors()).as("no socket left open").isEqualTo(before);
            return null;
        });
    }

    /** An unresolved address is refused, naming it, where only a resolved one can do (a bind, a datagram's target). */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void anUnresolvedAddressIsRefusedNamingIt(Driver d) {
        InetSocketAddress unresolved = InetSocketAddress.createUnresolved("localhost", 0);
        on(d, () -> {
            long before = openDescriptors();
            assertThatThrownBy(() -> TcpListener.bind(unresolved))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unresolved");
            assertThatThrownBy(() -> UdpSocket.bind(unresolved))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unresolved");
            assertThat(openDescriptors()).as("no socket left open").isEqualTo(before);
            try (UdpSocket u = UdpSocket.bind(loopback())) {
                assertThatThrownBy(() -> u.sendTo(ByteBuffer.allocate(1), unresolved))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unresolved");
                assertThatThrownBy(() -> u.connect(unresolved))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unresolved");
            }
            return null;
        });
    }

    /**
     * A connected UDP socket talks to its peer only: a sendTo elsewhere and
     * a second connect are refused, naming the peer, on every driver (on
     * io_uring and epoll they went through, on NIO they failed without a
     * word).
     */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void aConnectedUdpSocketRefusesAnotherTarget(Driver d) {
        on(d, () -> {
            try (UdpSocket a = UdpSocket.bind(loopback()); UdpSocket b = UdpSocket.bind(loopback());
                 UdpSocket c = UdpSocket.bind(loopback())) {
                a.connect(b.localAddress());
                assertThatThrownBy(() -> a.sendTo(ByteBuffer.allocate(1), c.localAddress()))
                        .isInstanceOf(IllegalStateException.class).hasMessageContaining("connected to");
                assertThatThrownBy(() -> a.connect(c.localAddress()))
                        .isInstanceOf(IllegalStateException.class).hasMessageContaining("connected to");
                a.sendTo(ByteBuffer.wrap(new byte[] {7}), b.localAddress()).await(); // its own peer: fine
                ByteBuffer got = ByteBuffer.allocate(4);
                b.receiveFrom(got).await();
                assertThat(got.flip().get()).isEqualTo((byte) 7);
            }
            return null;
        });
    }

    /**
     * The longest linger (ChronoUnit.FOREVER) is capped at 65,535 s, as
     * java.net.Socket caps it, on every driver: a close sends every byte.
     * (It threw ArithmeticException on io_uring and epoll, and wrapped to 0
     * on NIO, where close then reset the connection and dropped the bytes.)
     */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void theLongestLingerIsCappedAndACloseSendsEveryByte(Driver d) {
        int size = 64 * 1024;
        byte[] got = on(d, () -> {
            try (TcpListener l = TcpListener.bind(loopback())) {
                JoinHandle<byte[]> reader = Weft.spawn(() -> {
                    try (TcpStream s = l.accept().await()) {
                        ByteArrayOutputStream all = new ByteArrayOutputStream();
                        ByteBuffer buf = ByteBuffer.allocate(8192);
                        int n;
                        while ((n = s.read(buf.clear()).await()) > 0) {
                            all.write(buf.array(), 0, n);
                        }
                        return all.toByteArray();
                    }
                });
                TcpStream c = TcpStream.connect(l.localAddress()).await();
                c.setLinger(ChronoUnit.FOREVER.getDuration());
                c.writeAll(ByteBuffer.allocate(size)).await();
                c.close();
                return reader.await();
            }
        });
        assertThat(got).hasSize(size);
    }
}
