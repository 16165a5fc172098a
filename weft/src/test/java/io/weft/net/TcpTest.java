package io.weft.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.weft.Driver;
import io.weft.JoinHandle;
import io.weft.LocalExecutor;
import io.weft.Weft;
import io.weft.io.Drivers;
import java.io.EOFException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The socket suite, run once per driver this kernel allows (a refused one is skipped with the reason). */
@org.junit.jupiter.api.Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES,
        threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD) // a hang fails instead of stalling the build
class TcpTest {

    static <T> T on(Driver d, Callable<T> body) {
        String why = Drivers.whyNot(d);
        assumeTrue(why == null, () -> d + " driver unavailable here: " + why);
        try (LocalExecutor ex = LocalExecutor.builder().driver(d).build()) {
            return ex.run(() -> {
                assertThat(Weft.current().driver()).isEqualTo(d);
                return body.call();
            });
        }
    }

    static InetSocketAddress loopback() {
        return new InetSocketAddress("127.0.0.1", 0);
    }

    /**
     * In a task: connects to an echo server at {@code addr}, sends
     * {@code messages} messages of connection {@code conn} one at a time,
     * checks each echo byte for byte, half-closes and expects the end; how
     * many came back right.
     */
    static long echoClient(InetSocketAddress addr, int conn, int messages) throws java.io.IOException {
        long ok = 0;
        try (TcpStream s = TcpStream.connect(addr).await()) {
            ByteBuffer in = ByteBuffer.allocateDirect(64);
            for (int i = 0; i < messages; i++) {
                byte[] m = message(conn, i, 1 + (conn + i) % 64);
                s.writeAll(ByteBuffer.wrap(m)).await();
                in.clear().limit(m.length);
                s.readExact(in).await();
                byte[] got = new byte[m.length];
                in.flip().get(got);
                assertThat(got).isEqualTo(m);
                ok++;
            }
            s.shutdownOutput();
            assertThat(s.read(in.clear()).await()).isEqualTo(-1);
        }
        return ok;
    }

    static byte[] message(int conn, int i, int len) {
        byte[] b = new byte[len];
        for (int k = 0; k < len; k++) {
            b[k] = (byte) (conn * 31 + i * 7 + k);
        }
        return b;
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void echoManyConnections(Driver d) {
        int conns = 1000;
        int messages = 100;
        long checked = on(d, () -> {
            try (TcpListener l = TcpListener.bind(loopback())) {
                InetSocketAddress addr = l.localAddress();
                JoinHandle<Void> server = Weft.spawn(() -> {
                    List<JoinHandle<Void>> echoes = new ArrayList<>();
                    for (int c = 0; c < conns; c++) {
                        TcpStream s = l.accept().await();
                        echoes.add(Weft.spawn(() -> {
                            try (s) {
                                ByteBuffer buf = ByteBuffer.allocate(4096);
                                while (s.read(buf.clear()).await() > 0) {
                                    s.writeAll(buf.flip()).await();
                                }
                            }
                        }));
                    }
                    for (JoinHandle<Void> e : echoes) {
                        e.await();
                    }
                });
                List<JoinHandle<Long>> clients = new ArrayList<>();
                for (int c = 0; c < conns; c++) {
                    int conn = c;
                    clients.add(Weft.spawn(() -> echoClient(addr, conn, messages)));
                }
                long total = 0;
                for (JoinHandle<Long> c : clients) {
                    total += c.await();
                }
                server.await();
                return total;
            }
        });
        assertThat(checked).isEqualTo((long) conns * messages);
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void bigWriteInPartialWrites(Driver d) {
        int size = 64 << 20;
        long sum = on(d, () -> {
            try (TcpListener l = TcpListener.bind(loopback())) {
                InetSocketAddress addr = l.localAddress();
                JoinHandle<Long> reader = Weft.spawn(() -> {
                    try (TcpStream s = l.accept().await()) {
                        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
                        long h = 0;
                        long n = 0;
                        int r;
                        while ((r = s.read(buf.clear()).await()) > 0) {
                            for (int i = 0; i < r; i++) {
                                h = h * 31 + buf.get(i);
                            }
                            n += r;
                        }
                        assertThat(n).isEqualTo(size);
                        return h;
                    }
                });
                byte[] data = new byte[size];
                new java.util.Random(42).nextBytes(data);
                long expect = 0;
                for (byte b : data) {
                    expect = expect * 31 + b;
                }
                try (TcpStream s = TcpStream.connect(addr).await()) {
                    s.writeAll(ByteBuffer.wrap(data)).await();
                }
                assertThat(reader.await()).isEqualTo(expect);
                return expect;
            }
        });
        assertThat(sum).isNotZero();
    }

    /**
     * A proxy's pattern: on each end of one connection, one task writes while another task reads the same
     * stream. Both ends write 16 MiB before they read anything back; the socket buffers hold far less, so no
     * write can finish unless the read of the same stream waits in the driver at the same time. Every byte is
     * checked, and each reader sees the end of the stream its peer's writer closed with shutdownOutput.
     */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void oneTaskReadsWhileAnotherWritesTheSameStream(Driver d) {
        int size = 16 << 20;
        List<Long> got = on(d, () -> {
            try (TcpListener l = TcpListener.bind(loopback())) {
                JoinHandle<TcpStream> accepted = Weft.spawn(() -> l.accept().await());
                TcpStream a = TcpStream.connect(l.localAddress()).await();
                TcpStream b = accepted.await();
                try (a; b) {
                    List<JoinHandle<Long>> readers = new ArrayList<>();
                    List<JoinHandle<Void>> writers = new ArrayList<>();
                    int seed = 0;
                    for (TcpStream s : List.of(a, b)) {
                        int mine = seed++;
                        int theirs = 1 - mine;
                        writers.add(Weft.spawn(() -> {
                            ByteBuffer out = ByteBuffer.allocateDirect(64 * 1024);
                            for (int sent = 0; sent < size; ) {
                                out.clear();
                                while (out.hasRemaining()) {
                                    out.put(pattern(mine, sent++));
                                }
                                s.writeAll(out.flip()).await();
                            }
                            s.shutdownOutput();
                            return null;
                        }));
                        readers.add(Weft.spawn(() -> {
                            ByteBuffer in = ByteBuffer.allocate(48 * 1024);
                            long n = 0;
                            int r;
                            while ((r = s.read(in.clear()).await()) > 0) {
                                for (int i = 0; i < r; i++, n++) {
                                    if (in.get(i) != pattern(theirs, n)) {
                                        throw new AssertionError("byte " + n + " from end " + theirs + " is "
                                                + in.get(i) + ", expected " + pattern(theirs, n));
                                    }
                                }
                            }
                            return n;
                        }));
                    }
                    for (JoinHandle<Void> w : writers) {
                        w.await();
                    }
                    List<Long> counts = new ArrayList<>();
                    for (JoinHandle<Long> r : readers) {
                        counts.add(r.await());
                    }
                    return counts;
                }
            }
        });
        assertThat(got).containsExactly((long) size, (long) size);
    }

    private static byte pattern(int end, long i) {
        return (byte) (i * 7 + (i >>> 13) + end * 101);
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void halfCloseLetsThePeerFinishWriting(Driver d) {
        String reply = on(d, () -> {
            try (TcpListener l = TcpListener.bind(loopback())) {
                JoinHandle<Void> server = Weft.spawn(() -> {
                    try (TcpStream s = l.accept().await()) {
                        ByteBuffer buf = ByteBuffer.allocate(100);
                        while (s.read(buf).await() >= 0) {
                            // read until the client's half-close
                        }
                        buf.flip();
                        s.writeAll(ByteBuffer.wrap(("got " + buf.remaining()).getBytes())).await();
                    }
                });
                try (TcpStream c = TcpStream.connect(l.localAddress()).await()) {
                    c.writeAll(ByteBuffer.wrap("hello".getBytes())).await();
                    c.shutdownOutput();
                    ByteBuffer in = ByteBuffer.allocate(100);
                    while (c.read(in).await() >= 0) {
                        // until the server closes
                    }
                    server.await();
                    return new String(in.array(), 0, in.position());
                }
            }
        });
        assertThat(reply).isEqualTo("got 5");
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void peerResetIsASocketException(Driver d) {
        Throwable t = on(d, () -> {
            try (TcpListener l = TcpListener.bind(loopback())) {
                TcpStream c = TcpStream.connect(l.localAddress()).await();
                try (TcpStream s = l.accept().await()) {
                    s.setLinger(java.time.Duration.ZERO); // close sends RST instead of FIN
                }
                try {
                    ByteBuffer buf = ByteBuffer.allocate(16);
                    for (int i = 0; i < 100; i++) { // the first write may succeed before the RST is seen
                        c.writeAll(ByteBuffer.wrap(new byte[1024])).await();
                        c.read(buf.clear()).await();
                    }
                    return null;
                } catch (UncheckedIOException e) {
                    return e.getCause();
                } finally {
                    c.close();
                }
            }
        });
        assertThat(t).isInstanceOf(SocketException.class).hasMessageMatching(".*(ECONNRESET|EPIPE).*");
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void connectRefused(Driver d) {
        Throwable t = on(d, () -> {
            int port;
            try (TcpListener l = TcpListener.bind(loopback())) {
                port = l.localAddress().getPort();
            }
            try {
                TcpStream.connect(new InetSocketAddress("127.0.0.1", port)).await();
                return null;
            } catch (UncheckedIOException e) {
                return e.getCause();
            }
        });
        assertThat(t).isInstanceOf(ConnectException.class).hasMessageContaining("ECONNREFUSED")
                .hasMessageContaining("connect");
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void acceptWhileTheListenerCloses(Driver d) {
        Throwable t = on(d, () -> {
            TcpListener l = TcpListener.bind(loopback());
            JoinHandle<Throwable> acceptor = Weft.spawn(() -> {
                try {
                    l.accept().await();
                    return null;
                } catch (UncheckedIOException e) {
                    return e.getCause();
                }
            });
            Weft.yieldNow().await(); // the acceptor is now waiting
            l.close();
            Throwable got = acceptor.await();
            assertThatThrownBy(() -> l.accept().await()).isInstanceOf(UncheckedIOException.class)
                    .hasCauseInstanceOf(ClosedChannelException.class);
            return got;
        });
        assertThat(t).isInstanceOf(AsynchronousCloseException.class);
    }

    /** What TcpProxy relies on: one task closes the stream, and another task's pending read on it ends. */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void closingAStreamEndsAReadPendingInAnotherTask(Driver d) {
        Throwable t = on(d, () -> {
            try (TcpListener l = TcpListener.bind(loopback())) {
                JoinHandle<TcpStream> accepted = Weft.spawn(() -> l.accept().await());
                try (TcpStream c = TcpStream.connect(l.localAddress()).await(); TcpStream s = accepted.await()) {
                    JoinHandle<Throwable> reader = Weft.spawn(() -> {
                        try {
                            s.read(ByteBuffer.allocate(16)).await();
                            return null;
                        } catch (UncheckedIOException e) {
                            return e.getCause();
                        }
                    });
                    Weft.yieldNow().await(); // the reader is now waiting: the peer sends nothing
                    assertThat(reader.isFinished()).isFalse();
                    s.close();
                    return reader.await();
                }
            }
        });
        assertThat(t).isInstanceOf(AsynchronousCloseException.class);
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void readIntoAnEmptyBufferIsZeroAndEndOfStreamIsMinusOne(Driver d) {
        int[] got = on(d, () -> {
            try (TcpListener l = TcpListener.bind(loopback())) {
                TcpStream c = TcpStream.connect(l.localAddress()).await();
                try (TcpStream s = l.accept().await()) {
                    int zero = s.read(ByteBuffer.allocate(0)).await();
                    c.close();
                    int eof = s.read(ByteBuffer.allocate(8)).await();
                    return new int[] {zero, eof};
                }
            }
        });
        assertThat(got).containsExactly(0, -1);
    }

    /**
     * Data and the peer's FIN arrive together and the driver has seen both
     * (the loop idled once) before the first read: a short read takes the
     * data, and the next read must still see the end of stream, although no
     * new event will ever come for it.
     */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void endOfStreamAfterAShortReadOfTheLastBytes(Driver d) {
        int[] got = on(d, () -> {
            try (TcpListener l = TcpListener.bind(loopback())) {
                TcpStream c = TcpStream.connect(l.localAddress()).await();
                try (TcpStream s = l.accept().await()) {
                    c.writeAll(ByteBuffer.wrap(new byte[] {1, 2, 3})).await();
                    c.close();
                    Weft.sleep(java.time.Duration.ofMillis(2)).await(); // the loop idles: the driver takes the events
                    ByteBuffer buf = ByteBuffer.allocate(8);
                    int first = s.read(buf).await();
                    int second = s.read(buf).await();
                    return new int[] {first, second};
                }
            }
        });
        assertThat(got).containsExactly(3, -1);
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void readExactFailsWithEofWhenTheStreamEndsEarly(Driver d) {
        Throwable t = on(d, () -> {
            try (TcpListener l = TcpListener.bind(loopback())) {
                try (TcpStream c = TcpStream.connect(l.localAddress()).await();
                     TcpStream s = l.accept().await()) {
                    c.writeAll(ByteBuffer.wrap(new byte[3])).await();
                    c.shutdownOutput();
                    try {
                        s.readExact(ByteBuffer.allocate(10)).await();
                        return null;
                    } catch (UncheckedIOException e) {
                        return e.getCause();
                    }
                }
            }
        });
        assertThat(t).isInstanceOf(EOFException.class).hasMessageContaining("7 byte(s)");
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void aSocketUsedFromAnotherThreadIsRefused(Driver d) {
        Throwable t = on(d, () -> {
            try (TcpListener l = TcpListener.bind(loopback())) {
                Throwable[] seen = new Throwable[1];
                Thread other = new Thread(() -> {
                    try {
                        l.accept().poll(new io.weft.Context(() -> { }));
                    } catch (Throwable e) {
                        seen[0] = e;
                    }
                });
                other.start();
                other.join();
                return seen[0];
            }
        });
        assertThat(t).isInstanceOf(IllegalStateException.class).hasMessageContaining("belong to the executor");
    }
}
