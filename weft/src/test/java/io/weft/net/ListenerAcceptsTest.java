package io.weft.net;

import static io.weft.net.StealingIoTest.on;
import static io.weft.net.StreamMoveTest.ascii;
import static io.weft.net.StreamMoveTest.readAll;
import static io.weft.net.StreamMoveTest.spawnOnTheOtherWorker;
import static io.weft.net.TcpTest.loopback;
import static org.assertj.core.api.Assertions.assertThat;

import io.weft.Driver;
import io.weft.JoinHandle;
import io.weft.OnceThenCancel;
import io.weft.OtherWorker;
import io.weft.StealingExecutor;
import io.weft.Weft;
import io.weft.time.TimedOutException;
import io.weft.time.Timeout;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A listener of a StealingExecutor used by a task on another worker
 * ({@link ListenerAccepts}), once per driver this kernel allows: its accepts
 * run on the listener's worker and hand the connection over; an accept
 * given up there loses no connection; a close from afar closes it.
 */
@org.junit.jupiter.api.Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = ThreadMode.SEPARATE_THREAD)
class ListenerAcceptsTest {

    @ParameterizedTest
    @EnumSource(Driver.class)
    void anAcceptLoopOnTheOtherWorkerServesAListenerBoundHere(Driver d) {
        int conns = 20;
        try (StealingExecutor ex = on(d)) {
            ex.blockOn(() -> {
                try (TcpListener l = TcpListener.bind(loopback())) {
                    String home = Thread.currentThread().getName();
                    JoinHandle<String> loop = spawnOnTheOtherWorker(() -> {
                        List<JoinHandle<Void>> handlers = new ArrayList<>();
                        for (int c = 0; c < conns; c++) {
                            TcpStream conn = l.accept().await();
                            handlers.add(Weft.spawn(() -> {
                                try (conn) {
                                    conn.writeAll(ascii("hi " + conn.remoteAddress().getPort())).await();
                                }
                                return null;
                            }));
                        }
                        for (JoinHandle<Void> h : handlers) {
                            h.await();
                        }
                        return Thread.currentThread().getName();
                    });
                    InetSocketAddress addr = l.localAddress();
                    for (int c = 0; c < conns; c++) {
                        try (TcpStream client = TcpStream.connect(addr).await()) {
                            assertThat(readAll(client)).isEqualTo("hi " + client.localAddress().getPort());
                        }
                    }
                    assertThat(loop.await()).as("the accept loop ran on").isNotEqualTo(home);
                    return null;
                }
            });
        }
    }

    /**
     * An accept on the other worker gives up (a timeout, nobody connecting
     * yet); a connection made then is accepted by the next accept, from
     * either worker.
     */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void anAcceptGivenUpOnTheOtherWorkerLosesNoConnection(Driver d) {
        try (StealingExecutor ex = on(d)) {
            ex.blockOn(() -> {
                try (TcpListener l = TcpListener.bind(loopback())) {
                    InetSocketAddress addr = l.localAddress();
                    String outcome = spawnOnTheOtherWorker(() -> {
                        try {
                            Timeout.of(Duration.ofMillis(20), l.accept()).await();
                            return "accepted with nobody connecting";
                        } catch (TimedOutException expected) {
                            return "gave up";
                        }
                    }).await();
                    assertThat(outcome).isEqualTo("gave up");
                    try (TcpStream first = TcpStream.connect(addr).await();
                            TcpStream second = TcpStream.connect(addr).await()) {
                        JoinHandle<Integer> afar = spawnOnTheOtherWorker(() -> {
                            try (TcpStream s = l.accept().await()) {
                                return s.remoteAddress().getPort();
                            }
                        });
                        int here;
                        try (TcpStream s = l.accept().await()) {
                            here = s.remoteAddress().getPort();
                        }
                        assertThat(List.of(here, afar.await())).as("both connections accepted, once each")
                                .containsExactlyInAnyOrder(first.localAddress().getPort(),
                                        second.localAddress().getPort());
                    }
                    return null;
                }
            });
        }
    }

    /** An accept on the other worker given up just as it took a connection hands it to the next accept. */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void anAcceptGivenUpAsItTookAConnectionHandsItBack(Driver d) {
        try (StealingExecutor ex = on(d)) {
            ex.blockOn(() -> {
                try (TcpListener l = TcpListener.bind(loopback());
                        TcpStream client = TcpStream.connect(l.localAddress()).await()) {
                    AtomicBoolean firstPolled = new AtomicBoolean();
                    JoinHandle<Integer> body = spawnOnTheOtherWorker(() -> {
                        // the accept runs on the listener's worker and completes; its caller gives up at the wake
                        new OnceThenCancel(l.accept(), () -> firstPolled.set(true)).await();
                        try (TcpStream s = Timeout.of(Duration.ofSeconds(10), l.accept()).await()) {
                            return s.remoteAddress().getPort();
                        }
                    });
                    OtherWorker.holdUntil(firstPolled::get, "the first poll"); // the accept runs here only after it
                    int port = body.await();
                    assertThat(port).as("the connection handed back").isEqualTo(client.localAddress().getPort());
                    return null;
                }
            });
        }
    }

    /**
     * An accept made and never polled takes nothing (an operation starts at
     * its first poll, so a future dropped unpolled needs no cancel, as an
     * await in an aborted task drops it): the handed-back connection stays
     * for the next accept. It was taken when the accept was made, and lost
     * with the unpolled future.
     */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void anAcceptNeverPolledLeavesTheHandedBackConnectionForTheNext(Driver d) {
        try (StealingExecutor ex = on(d)) {
            ex.blockOn(() -> {
                try (TcpStream client = onceHandedBack((l, clientOf) -> {
                    l.accept(); // made, never polled, never cancelled
                    assertThat(l.accepts.handedBackCount()).as("still kept").isEqualTo(1);
                    try (TcpStream served = Timeout.of(Duration.ofSeconds(10), l.accept()).await()) {
                        served.writeAll(ascii("x")).await();
                    }
                    l.close();
                })) {
                    ByteBuffer one = ByteBuffer.allocate(1);
                    assertThat(Timeout.of(Duration.ofSeconds(10), client.read(one)).await()).isEqualTo(1);
                    assertThat(one.get(0)).isEqualTo((byte) 'x');
                }
                return null;
            });
        }
    }

    /**
     * An accept made while a connection is kept, cancelled before its first
     * poll after the listener closed: it took nothing, and the connection is
     * closed with the listener (the peer reads the end), not left where
     * nobody would close it.
     */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void aHandedBackConnectionGivenBackAfterTheCloseIsClosed(Driver d) {
        try (StealingExecutor ex = on(d)) {
            ex.blockOn(() -> {
                try (TcpStream client = onceHandedBack((l, clientOf) -> {
                    io.weft.CancellableFuture<TcpStream> again = l.accept(); // takes at its first poll only
                    l.close();
                    again.cancel();
                })) {
                    ByteBuffer one = ByteBuffer.allocate(1);
                    assertThat(Timeout.of(Duration.ofSeconds(10), client.read(one)).await())
                            .as("the peer reads the end").isEqualTo(-1);
                }
                return null;
            });
        }
    }

    /**
     * A listener whose one connection was handed back (its accept on the
     * other worker given up as it took it), then {@code then} on it; the
     * client's end of that connection.
     */
    private static TcpStream onceHandedBack(java.util.function.BiConsumer<TcpListener, TcpStream> then)
            throws java.io.IOException {
        TcpListener l = TcpListener.bind(loopback());
        TcpStream client = TcpStream.connect(l.localAddress()).await();
        AtomicBoolean firstPolled = new AtomicBoolean();
        spawnOnTheOtherWorker(() -> {
            new OnceThenCancel(l.accept(), () -> firstPolled.set(true)).await();
            return null;
        });
        OtherWorker.holdUntil(firstPolled::get, "the first poll"); // the accept runs here only after it
        OtherWorker.yieldUntil(() -> l.accepts.handedBackCount() > 0, "the connection handed back");
        then.accept(l, client);
        return client;
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void aListenerClosedFromTheOtherWorkerRefusesConnections(Driver d) {
        try (StealingExecutor ex = on(d)) {
            ex.blockOn(() -> {
                TcpListener l = TcpListener.bind(loopback());
                InetSocketAddress addr = l.localAddress();
                spawnOnTheOtherWorker(() -> {
                    l.close();
                    return null;
                }).await();
                OtherWorker.yieldUntil(() -> !l.isOpen(), "the close"); // it runs here, on the listener's worker
                assertThat(l.isOpen()).isFalse();
                try {
                    TcpStream.connect(addr).await().close();
                    throw new AssertionError("connected to a closed listener");
                } catch (UncheckedIOException refused) {
                    assertThat(refused).hasCauseInstanceOf(ConnectException.class);
                }
                return null;
            });
        }
    }
}
