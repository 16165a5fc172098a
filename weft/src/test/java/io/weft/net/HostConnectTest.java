package io.weft.net;

import static io.weft.net.CancelIoTest.openDescriptors;
import static io.weft.net.TcpTest.on;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.weft.CancellableFuture;
import io.weft.Driver;
import io.weft.JoinHandle;
import io.weft.TaskCancelledException;
import io.weft.Weft;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * TcpStream.connect by host name, on every driver: the lookup runs on the
 * blocking pool (never on the loop thread), every address is tried in
 * order, an unknown host names itself, and a cancel gives up the lookup or
 * the connect under way.
 */
@org.junit.jupiter.api.Timeout(value = 3, unit = TimeUnit.MINUTES,
        threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
class HostConnectTest {
    /** Threads the resolver ran on, and the hosts it was asked for. */
    final List<Thread> resolverThreads = new CopyOnWriteArrayList<>();
    final List<String> asked = new CopyOnWriteArrayList<>();

    @AfterEach
    void systemResolverBack() {
        HostConnect.resolver = HostConnect.SYSTEM;
    }

    /** Puts a resolver that records its calls, then answers as {@code answer} does. */
    private void resolveWith(HostConnect.Resolver answer) {
        HostConnect.resolver = host -> {
            resolverThreads.add(Thread.currentThread());
            asked.add(host);
            return answer.resolve(host);
        };
    }

    /** Inside a task: waits (sleeping 1 ms at a time) up to 30 s for {@code condition}. */
    static boolean eventually(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Weft.sleep(Duration.ofMillis(1)).await();
        }
        return true;
    }

    /** Accepts one connection on {@code l}, writes a byte through the client and reads it on the server side. */
    private static InetSocketAddress connectedThrough(TcpListener l, CancellableFuture<TcpStream> connect)
            throws IOException {
        JoinHandle<TcpStream> accepted = Weft.spawn(() -> l.accept().await());
        try (TcpStream c = connect.await(); TcpStream s = accepted.await()) {
            c.writeAll(ByteBuffer.wrap(new byte[] {7})).await();
            ByteBuffer b = ByteBuffer.allocate(1);
            s.readExact(b).await();
            assertThat(b.get(0)).isEqualTo((byte) 7);
            assertThat(s.remoteAddress()).isEqualTo(c.localAddress());
            return c.remoteAddress();
        }
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void localhostConnectsAndIsResolvedOnAPoolThreadNeverOnTheLoop(Driver d) {
        resolveWith(HostConnect.SYSTEM);
        List<Thread> loop = new ArrayList<>();
        InetSocketAddress peer = on(d, () -> {
            loop.add(Thread.currentThread());
            try (TcpListener l = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0))) {
                return connectedThrough(l, TcpStream.connect("localhost", l.localAddress().getPort()));
            }
        });
        assertThat(peer.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(asked).containsExactly("localhost");
        assertThat(resolverThreads).hasSize(1);
        assertThat(resolverThreads.get(0)).isNotSameAs(loop.get(0));
        assertThat(resolverThreads.get(0).getName()).matches("weft-blocking-\\d+");
    }

    /** Where the machine has ::1: a listener on each loopback, same port; localhost reaches its first address. */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void localhostWithListenersOnBothLoopbacksReachesItsFirstAddress(Driver d) throws Exception {
        assumeTrue(hasIpv6Loopback(), "this machine has no ::1");
        InetAddress first = InetAddress.getAllByName("localhost")[0]; // the test thread may resolve
        InetSocketAddress peer = on(d, () -> {
            for (int attempt = 0; ; attempt++) {
                try (TcpListener l4 = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0))) {
                    int port = l4.localAddress().getPort();
                    TcpListener l6;
                    try {
                        l6 = TcpListener.bind(new InetSocketAddress("::1", port));
                    } catch (IOException portTakenOnV6) {
                        if (attempt < 10) {
                            continue;
                        }
                        throw portTakenOnV6;
                    }
                    try (l6) {
                        return connectedThrough(first instanceof java.net.Inet6Address ? l6 : l4,
                                TcpStream.connect("localhost", port));
                    }
                }
            }
        });
        assertThat(peer.getAddress()).isEqualTo(first);
    }

    private static boolean hasIpv6Loopback() {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("::1", 0));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void everyAddressIsTriedInOrderUntilOneConnects(Driver d) {
        resolveWith(host -> new InetAddress[] {
                InetAddress.ofLiteral("127.0.0.2"), InetAddress.ofLiteral("127.0.0.3"),
                InetAddress.ofLiteral("127.0.0.1")});
        InetSocketAddress peer = on(d, () -> {
            try (TcpListener l = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0))) {
                return connectedThrough(l, TcpStream.connect("three.test", l.localAddress().getPort()));
            }
        });
        assertThat(peer.getAddress().getHostAddress()).as("the third, after two refusals").isEqualTo("127.0.0.1");
        assertThat(asked).containsExactly("three.test");
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void whenEveryAddressFailsTheLastFailureIsThrownWithTheEarlierOnesSuppressed(Driver d) {
        resolveWith(host -> new InetAddress[] {InetAddress.ofLiteral("127.0.0.2"), InetAddress.ofLiteral("127.0.0.3")});
        Throwable t = on(d, () -> {
            int port;
            try (TcpListener l = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0))) {
                port = l.localAddress().getPort(); // bound on 127.0.0.1 only: .2 and .3 refuse
                try {
                    TcpStream.connect("nowhere.test", port).await();
                    return null;
                } catch (UncheckedIOException e) {
                    return e;
                }
            }
        });
        assertThat(t).isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(ConnectException.class)
                .hasMessageContaining("127.0.0.3");
        assertThat(t.getSuppressed()).hasSize(1);
        assertThat(t.getSuppressed()[0]).isInstanceOf(UncheckedIOException.class)
                .hasCauseInstanceOf(ConnectException.class).hasMessageContaining("127.0.0.2");
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void anUnknownHostIsAnUnknownHostExceptionNamingIt(Driver d) {
        Throwable t = on(d, () -> {
            try {
                TcpStream.connect("no-such-host.invalid", 80).await();
                return null;
            } catch (UncheckedIOException e) {
                return e;
            }
        });
        assertThat(t).isInstanceOf(UncheckedIOException.class)
                .hasMessageStartingWith("connect no-such-host.invalid:80: unknown host")
                .cause().isInstanceOf(UnknownHostException.class).hasMessageContaining("no-such-host.invalid");
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void anUnresolvedInetSocketAddressIsConnectedByName(Driver d) {
        resolveWith(HostConnect.SYSTEM);
        InetSocketAddress peer = on(d, () -> {
            try (TcpListener l = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0))) {
                return connectedThrough(l, TcpStream.connect(
                        InetSocketAddress.createUnresolved("localhost", l.localAddress().getPort())));
            }
        });
        assertThat(peer.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(asked).containsExactly("localhost");
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void anIpLiteralNeedsNoLookup(Driver d) {
        resolveWith(host -> {
            throw new AssertionError("resolved a literal: " + host);
        });
        InetSocketAddress peer = on(d, () -> {
            try (TcpListener l = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0))) {
                return connectedThrough(l, TcpStream.connect("127.0.0.1", l.localAddress().getPort()));
            }
        });
        assertThat(peer.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(asked).isEmpty();
    }

    /**
     * Cancel safety, resolution: a connect whose task is aborted, or whose
     * timeout passes, while the name is being resolved gives the lookup up
     * (its thread is interrupted) and opens nothing.
     */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void cancelledDuringTheLookupTheLookupIsGivenUp(Driver d) {
        CountDownLatch[] entered = {new CountDownLatch(1)};
        List<Throwable> lookupsSaw = new CopyOnWriteArrayList<>();
        resolveWith(host -> {
            entered[0].countDown();
            try {
                new CountDownLatch(1).await(); // a DNS server that never answers
                throw new AssertionError("unreachable");
            } catch (InterruptedException e) {
                lookupsSaw.add(e);
                throw new UnknownHostException(host + ": lookup interrupted");
            }
        });
        on(d, () -> {
            long fds = openDescriptors();
            JoinHandle<TcpStream> connecting = Weft.spawn(() -> TcpStream.connect("slow.test", 80).await());
            assertThat(eventually(() -> entered[0].getCount() == 0)).as("the lookup runs").isTrue();
            assertThat(connecting.isFinished()).isFalse();
            connecting.abort();
            assertThatThrownBy(connecting::await).isInstanceOf(TaskCancelledException.class);
            assertThat(eventually(() -> lookupsSaw.size() == 1)).as("the lookup was interrupted").isTrue();

            entered[0] = new CountDownLatch(1);
            assertThatThrownBy(() -> TcpStream.connect("slow.test", 80, Duration.ofMillis(20)).await())
                    .isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(SocketTimeoutException.class)
                    .hasMessageContaining("connect slow.test:80: timed out");
            assertThat(eventually(() -> lookupsSaw.size() == 2)).as("the timed-out lookup was interrupted").isTrue();
            assertThat(openDescriptors()).as("descriptors").isLessThanOrEqualTo(fds);
            return null;
        });
        assertThat(lookupsSaw).allMatch(e -> e instanceof InterruptedException);
        assertThat(resolverThreads).allMatch(t -> t.getName().startsWith("weft-blocking-"));
    }

    /**
     * Cancel safety, connect: the name resolved to a listener whose accept
     * queue is full, so the connect waits; aborting its task closes the
     * socket it made.
     */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void cancelledDuringAConnectThatConnectIsCancelledAndItsSocketClosed(Driver d) {
        on(d, () -> {
            try (TcpListener l = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0),
                    SocketOptions.DEFAULT.withBacklog(1))) {
                List<Socket> fillers = new ArrayList<>();
                try {
                    for (int i = 0; i < 2; i++) { // backlog 1 holds two connections; the kernel drops the next SYN
                        Socket s = new Socket();
                        s.connect(l.localAddress());
                        fillers.add(s);
                    }
                    resolveWith(host -> new InetAddress[] {InetAddress.ofLiteral("127.0.0.1")});
                    long fds = openDescriptors();
                    CancellableFuture<TcpStream> f = TcpStream.connect("full.test", l.localAddress().getPort());
                    JoinHandle<TcpStream> connecting = Weft.spawn(() -> f.await());
                    assertThat(eventually(((HostConnect) f)::isConnecting)).as("resolved, connecting").isTrue();
                    assertThat(descriptors()).as("the connect made its socket").isGreaterThan(fds);
                    assertThat(connecting.isFinished()).as("the connect waits").isFalse();
                    connecting.abort();
                    assertThatThrownBy(connecting::await).isInstanceOf(TaskCancelledException.class);
                    assertThat(eventually(() -> descriptors() <= fds)).as("its socket was closed").isTrue();
                } finally {
                    for (Socket s : fillers) {
                        s.close();
                    }
                }
            }
            return null;
        });
        assertThat(asked).containsExactly("full.test");
    }

    private static long descriptors() {
        try {
            return openDescriptors();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void argumentsAreChecked() {
        on(Driver.NIO, () -> {
            assertThatThrownBy(() -> TcpStream.connect((String) null, 80)).isInstanceOf(NullPointerException.class)
                    .hasMessage("host");
            assertThatThrownBy(() -> TcpStream.connect("localhost", 65536))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("TcpStream.connect(localhost, 65536): port out of range");
            return null;
        });
        assertThat(asked).isEmpty();
    }

    /** A never-polled connect by name starts nothing, and after a cancel it is not polled. */
    @Test
    void aConnectStartsAtItsFirstPollAndAfterACancelItRefusesAPoll() {
        resolveWith(HostConnect.SYSTEM);
        Callable<Void> body = () -> {
            CancellableFuture<TcpStream> f = TcpStream.connect("localhost", 1);
            f.cancel();
            assertThatThrownBy(() -> f.poll(new io.weft.Context(() -> { })))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("was cancelled");
            return null;
        };
        on(Driver.NIO, body);
        assertThat(asked).as("lookups started").isEmpty();
    }
}
