package io.weft.net;

import static io.weft.net.TcpTest.on;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.Driver;
import io.weft.JoinHandle;
import io.weft.TaskCancelledException;
import io.weft.Weft;
import java.io.ByteArrayOutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Unix sockets, UDP, IPv6, cancellation under traffic and descriptor leaks, once per driver. */
@org.junit.jupiter.api.Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES,
        threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD) // a hang fails instead of stalling the build
class SocketsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Driver.class)
    void unixSocketEcho(Driver d) {
        Path sock = dir.resolve("echo.sock");
        String got = on(d, () -> {
            try (UnixListener l = UnixListener.bind(sock)) {
                assertThat(l.localAddress().getPath()).isEqualTo(sock);
                JoinHandle<Void> server = Weft.spawn(() -> {
                    try (UnixStream s = l.accept().await()) {
                        ByteBuffer buf = ByteBuffer.allocate(64);
                        while (s.read(buf.clear()).await() > 0) {
                            s.writeAll(buf.flip()).await();
                        }
                    }
                });
                try (UnixStream c = UnixStream.connect(sock).await()) {
                    c.writeAll(ByteBuffer.wrap("over unix".getBytes())).await();
                    ByteBuffer in = ByteBuffer.allocate(9);
                    c.readExact(in).await();
                    c.shutdownOutput();
                    server.await();
                    return new String(in.array());
                }
            }
        });
        assertThat(got).isEqualTo("over unix");
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void udpDatagramsKeepTheirBoundariesAndSenders(Driver d) {
        List<String> got = on(d, () -> {
            try (UdpSocket a = UdpSocket.bind(new InetSocketAddress("127.0.0.1", 0));
                 UdpSocket b = UdpSocket.bind(new InetSocketAddress("127.0.0.1", 0))) {
                List<String> out = new ArrayList<>();
                for (String m : List.of("one", "two!", "three")) {
                    assertThat(a.sendTo(ByteBuffer.wrap(m.getBytes()), b.localAddress()).await()).isEqualTo(m.length());
                }
                for (int i = 0; i < 3; i++) {
                    ByteBuffer buf = ByteBuffer.allocate(100);
                    SocketAddress from = b.receiveFrom(buf).await();
                    assertThat(from).isEqualTo(a.localAddress());
                    out.add(new String(buf.array(), 0, buf.position()));
                }
                b.connect(a.localAddress());
                b.send(ByteBuffer.wrap("back".getBytes())).await();
                ByteBuffer small = ByteBuffer.allocateDirect(2);
                a.receiveFrom(small).await();
                out.add("truncated to " + small.position());
                return out;
            }
        });
        assertThat(got).containsExactly("one", "two!", "three", "truncated to 2");
    }

    /**
     * An empty datagram is a datagram, sent and received as one, with sendTo
     * and with a connected send; java.nio cannot send one on a connected
     * socket (it returns 0 and sends nothing), so the nio driver refuses
     * that at the call, where it reported a datagram it never sent.
     */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void anEmptyDatagramIsSentAndReceivedAsOne(Driver d) {
        List<String> got = on(d, () -> {
            try (UdpSocket a = UdpSocket.bind(new InetSocketAddress("127.0.0.1", 0));
                 UdpSocket b = UdpSocket.bind(new InetSocketAddress("127.0.0.1", 0))) {
                List<String> out = new ArrayList<>();
                out.add("sendTo " + a.sendTo(ByteBuffer.allocate(0), b.localAddress()).await());
                a.connect(b.localAddress());
                try {
                    out.add("send " + a.send(ByteBuffer.allocate(0)).await());
                } catch (UnsupportedOperationException nio) {
                    assertThat(d).isEqualTo(Driver.NIO);
                    assertThat(nio).hasMessageContaining("empty datagram on a connected socket");
                    assertThatThrownBy(() -> a.sendTo(ByteBuffer.allocate(0), b.localAddress())) // writes nothing too
                            .isInstanceOf(UnsupportedOperationException.class);
                }
                a.send(ByteBuffer.wrap("end".getBytes())).await();
                for (int i = 0; i < (d == Driver.NIO ? 2 : 3); i++) {
                    ByteBuffer buf = ByteBuffer.allocate(8);
                    io.weft.time.Timeout.of(java.time.Duration.ofSeconds(5), b.receiveFrom(buf)).await();
                    out.add("received " + buf.position());
                }
                return out;
            }
        });
        assertThat(got).containsExactly(d == Driver.NIO
                ? new String[] {"sendTo 0", "received 0", "received 3"}
                : new String[] {"sendTo 0", "send 0", "received 0", "received 0", "received 3"});
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void sendAndReceiveNeedAConnectedDatagramSocket(Driver d) {
        on(d, () -> {
            try (UdpSocket a = UdpSocket.bind(new InetSocketAddress("127.0.0.1", 0))) {
                assertThatThrownBy(() -> a.receive(ByteBuffer.allocate(8)).await())
                        .isInstanceOf(java.nio.channels.NotYetConnectedException.class)
                        .hasStackTraceContaining("receive() on a datagram socket that is not connected");
                assertThatThrownBy(() -> a.send(ByteBuffer.allocate(8)).await())
                        .isInstanceOf(java.nio.channels.NotYetConnectedException.class)
                        .hasStackTraceContaining("use sendTo");
            }
            return null;
        });
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void ipv6Loopback(Driver d) throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        String got = on(d, () -> {
            try (TcpListener l = TcpListener.bind(new InetSocketAddress(v6, 0))) {
                assertThat(l.localAddress().getAddress()).isInstanceOf(Inet6Address.class);
                JoinHandle<String> server = Weft.spawn(() -> {
                    try (TcpStream s = l.accept().await()) {
                        ByteBuffer b = ByteBuffer.allocate(2);
                        s.readExact(b).await();
                        return new String(b.array()) + " from " + s.remoteAddress().getAddress().getHostAddress();
                    }
                });
                try (TcpStream c = TcpStream.connect(l.localAddress()).await()) {
                    c.writeAll(ByteBuffer.wrap("v6".getBytes())).await();
                    return server.await();
                }
            }
        });
        assertThat(got).isEqualTo("v6 from 0:0:0:0:0:0:0:1");
    }

    /**
     * A writer task streams numbered bytes while another task starts reads
     * and aborts them, 10,000 times at least. What the completed reads
     * return, followed by the rest of the stream, is exactly what was
     * written: a cancelled read loses nothing and corrupts nothing.
     */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void cancellingReadsWhileDataArrivesLosesNothing(Driver d) {
        int total = 400_000;
        byte[] got = on(d, () -> {
            try (TcpListener l = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0))) {
                TcpStream c = TcpStream.connect(l.localAddress()).await();
                TcpStream s = l.accept().await();
                JoinHandle<Void> writer = Weft.spawn(() -> {
                    Random r = new Random(5);
                    int sent = 0;
                    while (sent < total) {
                        if (r.nextInt(3) != 0) { // often nothing arrives for a while: reads wait, then are aborted
                            Weft.yieldNow().await();
                            continue;
                        }
                        int n = Math.min(total - sent, 1 + r.nextInt(40));
                        byte[] chunk = new byte[n];
                        for (int i = 0; i < n; i++) {
                            chunk[i] = (byte) (sent + i);
                        }
                        s.writeAll(ByteBuffer.wrap(chunk)).await();
                        sent += n;
                        Weft.yieldNow().await();
                    }
                    s.close();
                });
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                int cancelled = 0;
                int attempts = 0;
                boolean eof = false;
                while (!eof) {
                    attempts++;
                    ByteBuffer buf = attempts % 2 == 0 ? ByteBuffer.allocate(32) : ByteBuffer.allocateDirect(32);
                    JoinHandle<Integer> r = Weft.spawn(() -> c.read(buf).await());
                    if (attempts <= 10_000 || attempts % 3 != 0) {
                        Weft.yieldNow().await(); // the read is now in flight (or done)
                        r.abort();
                    }
                    int n;
                    try {
                        n = r.await();
                    } catch (TaskCancelledException e) {
                        cancelled++;
                        continue;
                    }
                    if (n < 0) {
                        eof = true;
                    } else {
                        buf.flip();
                        byte[] b = new byte[n];
                        buf.get(b);
                        out.write(b);
                    }
                }
                writer.await();
                c.close();
                assertThat(attempts).isGreaterThan(10_000);
                assertThat(cancelled).isPositive();
                return out.toByteArray();
            }
        });
        assertThat(got).hasSize(total);
        for (int i = 0; i < total; i++) {
            if (got[i] != (byte) i) {
                throw new AssertionError("byte " + i + " is " + got[i] + ", expected " + (byte) i);
            }
        }
    }

    static long openDescriptors() throws Exception {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void nothingIsLeftOpen(Driver d) throws Exception {
        Runnable round = () -> on(d, () -> {
            TcpListener l = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0));
            List<TcpStream> streams = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                streams.add(TcpStream.connect(l.localAddress()).await());
                streams.add(l.accept().await());
            }
            Weft.spawn(() -> l.accept().await()); // left pending: close() cancels it
            Weft.spawn(() -> streams.get(0).read(ByteBuffer.allocate(8)).await()); // likewise
            Weft.yieldNow().await();
            return null; // the listener and streams are left open: closing the executor closes them
        });
        round.run(); // loads every class (jar descriptors) once
        long before = openDescriptors();
        round.run();
        round.run();
        // At most as many: a descriptor of an earlier test that the JVM closes meanwhile (a cleaner) may go.
        assertThat(openDescriptors()).as("descriptors open after two more rounds").isLessThanOrEqualTo(before);
    }
}
