package io.weft.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.Driver;
import io.weft.Future;
import io.weft.Futures;
import io.weft.JoinHandle;
import io.weft.Selected;
import io.weft.TaskCancelledException;
import io.weft.TaskFailedException;
import io.weft.Weft;
import io.weft.sync.Notify;
import io.weft.time.TimedOutException;
import io.weft.time.Timeout;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The cancellation matrix of the socket futures, on every driver the kernel
 * allows: accept, connect, read and receive, given up in every way while
 * they wait (and, where a peer can make them ready without a poll, after
 * that), leave nothing behind: the next accept gets the pending connection,
 * the next read the bytes, the next receive the datagram, and the process
 * has the descriptors it had before.
 */
@org.junit.jupiter.api.Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES,
        threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
class CancelIoTest {
    private static final Duration WAIT = Duration.ofSeconds(5); // a hang guard: each wait below is ready at once

    @TempDir
    Path dir;

    enum GiveUp { TIMEOUT, SELECT_LOST, ABORT, SPAWNED_ABORT }

    enum Op { TCP_ACCEPT, UNIX_ACCEPT, CONNECT, READ_HEAP, READ_DIRECT, READABLE, RECEIVE }

    static Stream<Arguments> matrix() {
        List<Arguments> all = new ArrayList<>();
        for (Driver d : Driver.values()) {
            for (Op op : Op.values()) {
                for (GiveUp g : GiveUp.values()) {
                    all.add(Arguments.of(d, op, g, false));
                    if (op != Op.CONNECT && g != GiveUp.TIMEOUT) {
                        all.add(Arguments.of(d, op, g, true));
                    }
                }
            }
        }
        return all.stream();
    }

    /** One pending socket operation, its peer, and what must hold after it was given up. */
    private abstract static class Case implements AutoCloseable {
        abstract Future<?> pending() throws Exception;

        abstract void grant() throws Exception;

        abstract void verify(boolean granted) throws Exception;
    }

    @ParameterizedTest(name = "{0}: {1} given up by {2}, granted first: {3}")
    @MethodSource("matrix")
    void nothingIsLost(Driver d, Op op, GiveUp giveUp, boolean granted) throws Exception {
        TcpTest.on(d, () -> {
            TcpListener.bind(new InetSocketAddress("127.0.0.1", 0)).close(); // the driver is open now
            long fdsBefore = openDescriptors();
            try (Case c = make(op)) {
                Future<?> leaf = c.pending();
                Notify gate = Notify.local();
                JoinHandle<?> waiter = switch (giveUp) {
                    case TIMEOUT -> Weft.spawn(() -> Timeout.of(Duration.ofMillis(1), leaf).await());
                    case SELECT_LOST -> Weft.spawn(() -> Futures.select(gate.notified(), leaf).await());
                    case ABORT -> Weft.spawn(() -> leaf.await());
                    case SPAWNED_ABORT -> Weft.spawn(leaf);
                };
                for (int i = 0; i < 4; i++) {
                    Weft.yieldNow().await(); // the leaf is polled: in the kernel, or waiting for readiness
                }
                if (giveUp != GiveUp.TIMEOUT) { // a 1 ms timeout may have passed already
                    assertThat(waiter.isFinished()).as("the operation waits").isFalse();
                }
                if (granted) {
                    c.grant(); // the peer's part is done; the waiter gives up before it polls again
                }
                switch (giveUp) {
                    case TIMEOUT -> assertThatThrownBy(waiter::await).isInstanceOf(TaskFailedException.class)
                            .hasCauseInstanceOf(TimedOutException.class);
                    case SELECT_LOST -> {
                        gate.notifyOne();
                        assertThat(((Selected<?>) waiter.await()).index()).isZero();
                    }
                    case ABORT, SPAWNED_ABORT -> {
                        waiter.abort();
                        assertThatThrownBy(waiter::await).isInstanceOf(TaskCancelledException.class);
                    }
                }
                c.verify(granted);
            }
            for (int i = 0; i < 1000 && openDescriptors() > fdsBefore; i++) {
                Weft.sleep(Duration.ofMillis(5)).await(); // a cancelled op's completion may still be on its way
            }
            // fewer is no leak: another test's pool job may close a descriptor meanwhile
            assertThat(openDescriptors()).as("descriptors left open").isLessThanOrEqualTo(fdsBefore);
            return null;
        });
    }

    private Case make(Op op) throws Exception {
        return switch (op) {
            case TCP_ACCEPT -> new TcpAccept();
            case UNIX_ACCEPT -> new UnixAccept(dir.resolve("s.sock"));
            case CONNECT -> new Connect();
            case READ_HEAP -> new Read(false);
            case READ_DIRECT -> new Read(true);
            case READABLE -> new Read(false) {
                @Override
                Future<?> pending() {
                    // a new socket counts as readable on epoll and nio until a read finds nothing: find it
                    assertThat(s.tryRead(ByteBuffer.allocate(8))).isZero();
                    return s.readable();
                }
            };
            case RECEIVE -> new Receive();
        };
    }

    static long openDescriptors() throws Exception {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads exactly {@code n} bytes from a weft stream. */
    static String readString(SocketStream s, int n) {
        ByteBuffer b = ByteBuffer.allocate(n);
        Timeout.of(WAIT, s.readExact(b)).await();
        return new String(b.array(), StandardCharsets.US_ASCII);
    }

    /** The next accept gets the connection that waits, whether the cancelled accept took it or not. */
    private static final class TcpAccept extends Case {
        final TcpListener l = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0));
        Socket client;

        TcpAccept() throws Exception {
        }

        @Override
        Future<?> pending() {
            return l.accept();
        }

        @Override
        void grant() throws Exception {
            client = new Socket();
            client.connect(l.localAddress()); // completes in the kernel's backlog
        }

        @Override
        void verify(boolean granted) throws Exception {
            if (!granted) {
                grant();
            }
            try (TcpStream s = Timeout.of(WAIT, l.accept()).await()) {
                client.getOutputStream().write(bytes("hello"));
                assertThat(readString(s, 5)).isEqualTo("hello");
            }
        }

        @Override
        public void close() throws Exception {
            l.close();
            if (client != null) {
                client.close();
            }
        }
    }

    private static final class UnixAccept extends Case {
        final UnixListener l;
        final Path path;
        SocketChannel client;

        UnixAccept(Path path) throws Exception {
            this.path = path;
            l = UnixListener.bind(path);
        }

        @Override
        Future<?> pending() {
            return l.accept();
        }

        @Override
        void grant() throws Exception {
            client = SocketChannel.open(StandardProtocolFamily.UNIX);
            client.connect(UnixDomainSocketAddress.of(path));
        }

        @Override
        void verify(boolean granted) throws Exception {
            if (!granted) {
                grant();
            }
            try (UnixStream s = Timeout.of(WAIT, l.accept()).await()) {
                client.write(ByteBuffer.wrap(bytes("hello")));
                assertThat(readString(s, 5)).isEqualTo("hello");
            }
        }

        @Override
        public void close() throws Exception {
            l.close();
            if (client != null) {
                client.close();
            }
            Files.deleteIfExists(path);
        }
    }

    /**
     * A connect that cannot complete: the listener's accept queue (backlog
     * 1) is full, so the kernel drops the SYN and retries for seconds. Given
     * up, its socket is closed.
     */
    private static final class Connect extends Case {
        final TcpListener l = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0),
                SocketOptions.DEFAULT.withBacklog(1));
        final List<Socket> fillers = new ArrayList<>();

        Connect() throws Exception {
            for (int i = 0; i < 2; i++) { // backlog 1 holds two connections
                Socket s = new Socket();
                s.connect(l.localAddress());
                fillers.add(s);
            }
        }

        @Override
        Future<?> pending() throws Exception {
            return TcpStream.connect(l.localAddress());
        }

        @Override
        void grant() {
            throw new AssertionError("a connect has no grant");
        }

        @Override
        void verify(boolean granted) {
            // the descriptor count, checked by the test, is what matters
        }

        @Override
        public void close() throws Exception {
            l.close();
            for (Socket s : fillers) {
                s.close();
            }
        }
    }

    /** Bytes that arrive for a cancelled read are the next read's. */
    private static class Read extends Case {
        final boolean direct;
        final TcpListener l = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0));
        final Socket peer = new Socket();
        final TcpStream s;
        OutputStream out;

        Read(boolean direct) throws Exception {
            this.direct = direct;
            peer.connect(l.localAddress());
            s = Timeout.of(WAIT, l.accept()).await();
            out = peer.getOutputStream();
        }

        @Override
        Future<?> pending() {
            return s.read(direct ? ByteBuffer.allocateDirect(64) : ByteBuffer.allocate(64));
        }

        @Override
        void grant() throws Exception {
            out.write(bytes("abc"));
        }

        @Override
        void verify(boolean granted) throws Exception {
            if (!granted) {
                grant();
            }
            assertThat(readString(s, 3)).isEqualTo("abc");
            out.write(bytes("def"));
            assertThat(readString(s, 3)).as("nothing twice").isEqualTo("def");
        }

        @Override
        public void close() throws Exception {
            s.close();
            peer.close();
            l.close();
        }
    }

    /** A datagram that arrives for a cancelled receive is the next receive's. */
    private static final class Receive extends Case {
        final UdpSocket u = UdpSocket.bind(new InetSocketAddress("127.0.0.1", 0));
        final DatagramSocket peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));

        Receive() throws Exception {
            u.connect(peer.getLocalSocketAddress());
        }

        @Override
        Future<?> pending() {
            return u.receive(ByteBuffer.allocate(64));
        }

        @Override
        void grant() throws Exception {
            send("d1");
        }

        private void send(String s) throws Exception {
            byte[] b = bytes(s);
            peer.send(new DatagramPacket(b, b.length, u.localAddress()));
        }

        private String receive() {
            ByteBuffer b = ByteBuffer.allocate(64);
            int n = Timeout.of(WAIT, u.receive(b)).await();
            return new String(b.array(), 0, n, StandardCharsets.US_ASCII);
        }

        @Override
        void verify(boolean granted) throws Exception {
            if (!granted) {
                grant();
            }
            assertThat(receive()).isEqualTo("d1");
            send("d2");
            assertThat(receive()).as("nothing twice").isEqualTo("d2");
        }

        @Override
        public void close() {
            u.close();
            peer.close();
        }
    }

    /** The report: connects cut short by their own timeout left their descriptors open. */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void connectsThatTimeOutCloseTheirSockets(Driver d) {
        TcpTest.on(d, () -> {
            Connect blocked = new Connect();
            long before = openDescriptors();
            for (int i = 0; i < 20; i++) {
                assertThatThrownBy(() -> TcpStream.connect(blocked.l.localAddress(), Duration.ofMillis(1)).await())
                        .isInstanceOf(UncheckedIOException.class)
                        .hasCauseInstanceOf(SocketTimeoutException.class);
            }
            for (int i = 0; i < 1000 && openDescriptors() > before; i++) {
                Weft.sleep(Duration.ofMillis(5)).await();
            }
            // fewer is no leak: another test's pool job may close a descriptor meanwhile
            assertThat(openDescriptors()).isLessThanOrEqualTo(before);
            blocked.close();
            return null;
        });
    }

    /** The report: accepts cut short by a 1 ms timeout made the next accept miss a waiting connection. */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void acceptsThatTimeOutLoseNoConnection(Driver d) {
        TcpTest.on(d, () -> {
            try (TcpListener l = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0))) {
                for (int i = 0; i < 20; i++) {
                    assertThatThrownBy(() -> Timeout.of(Duration.ofMillis(1), l.accept()).await())
                            .isInstanceOf(TimedOutException.class);
                }
                try (Socket client = new Socket()) {
                    client.connect(l.localAddress());
                    try (TcpStream s = Timeout.of(WAIT, l.accept()).await()) {
                        client.getOutputStream().write(bytes("x"));
                        assertThat(readString(s, 1)).isEqualTo("x");
                    }
                }
            }
            return null;
        });
    }

    /**
     * A read into a direct buffer at position 100 is cancelled while in the
     * kernel; the caller then clears the buffer and reads again. The bytes the
     * cancelled read got are where the kernel put them (offset 100), and the
     * next read returns them, not whatever is at the buffer's new position.
     */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void aCancelledReadKeepsTheBytesTheKernelWrote(Driver d) {
        TcpTest.on(d, () -> {
            try (TcpListener l = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0));
                 Socket peer = new Socket()) {
                peer.connect(l.localAddress());
                try (TcpStream s = Timeout.of(WAIT, l.accept()).await()) {
                    ByteBuffer buf = ByteBuffer.allocateDirect(200).position(100);
                    JoinHandle<Integer> r = Weft.spawn(() -> s.read(buf).await());
                    for (int i = 0; i < 4; i++) {
                        Weft.yieldNow().await();
                    }
                    r.abort();
                    assertThatThrownBy(r::await).isInstanceOf(TaskCancelledException.class);
                    buf.clear();
                    for (int i = 0; i < 200; i++) {
                        buf.put(i, (byte) 'x');
                    }
                    peer.getOutputStream().write(bytes("abc"));
                    assertThat(readString(s, 3)).isEqualTo("abc");
                }
            }
            return null;
        });
    }
}
