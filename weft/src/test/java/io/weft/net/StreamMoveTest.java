package io.weft.net;

import static io.weft.net.StealingIoTest.on;
import static io.weft.net.TcpTest.loopback;
import static org.assertj.core.api.Assertions.assertThat;

import io.weft.Driver;
import io.weft.JoinHandle;
import io.weft.OtherWorker;
import io.weft.StealingExecutor;
import io.weft.Weft;
import io.weft.sync.Oneshot;
import io.weft.time.TimedOutException;
import io.weft.time.Timeout;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A stream of a StealingExecutor used by a task on another worker moves
 * there by itself ({@link StreamMove}), once per driver this kernel allows:
 * a connection handed to a spawned task serves wherever that task starts,
 * as in tokio; a close from afar closes; an operation cancelled during a
 * move loses nothing. (A stream that cannot move because a task at home
 * has an operation pending on it: {@code SharedStreamTest}.)
 */
@org.junit.jupiter.api.Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = ThreadMode.SEPARATE_THREAD)
class StreamMoveTest {

    static <T> JoinHandle<T> spawnOnTheOtherWorker(Callable<T> body) {
        return OtherWorker.spawn(body);
    }

    static String text(ByteBuffer b, int n) {
        return new String(b.array(), 0, n, StandardCharsets.US_ASCII);
    }

    static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** Reads {@code s} to its end. */
    static String readAll(TcpStream s) {
        ByteBuffer in = ByteBuffer.allocate(256);
        StringBuilder got = new StringBuilder();
        for (int n; (n = s.read(in.clear()).await()) > 0; ) {
            got.append(text(in, n));
        }
        return got.toString();
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void aStreamAcceptedOnOneWorkerServesATaskThatStartedOnTheOther(Driver d) {
        try (StealingExecutor ex = on(d)) {
            ex.blockOn(() -> {
                try (TcpListener l = TcpListener.bind(loopback());
                        TcpStream client = TcpStream.connect(l.localAddress()).await()) {
                    String home = Thread.currentThread().getName();
                    TcpStream served = l.accept().await();
                    JoinHandle<String> handler = spawnOnTheOtherWorker(() -> {
                        try (served) {
                            ByteBuffer buf = ByteBuffer.allocate(64);
                            int n = served.read(buf).await();
                            served.writeAll(ascii("echo " + text(buf, n))).await();
                        }
                        return Thread.currentThread().getName();
                    });
                    client.writeAll(ascii("hello")).await();
                    assertThat(handler.await()).as("served by").isNotEqualTo(home);
                    assertThat(readAll(client)).isEqualTo("echo hello");
                    assertThat(served.mover.moves()).as("moves").isEqualTo(1);
                    return null;
                }
            });
        }
    }

    /**
     * The tokio way: the accept loop spawns a handler with the stream, no
     * detach; 1,000 connections, every byte checked, handlers on whichever
     * worker starts them.
     */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void echoOfAThousandConnectionsHandedToSpawnedTasksAsTheyAre(Driver d) {
        int conns = 1000;
        int messages = 20;
        LongAdder moves = new LongAdder();
        try (StealingExecutor ex = on(d)) {
            long checked = StealingIoTest.echoAgainst(ex, conns, messages, ConcurrentHashMap.newKeySet(), bound -> () -> {
                List<JoinHandle<Void>> echoes = new ArrayList<>();
                try (TcpListener l = TcpListener.bind(loopback())) {
                    bound.send(l.localAddress());
                    for (int c = 0; c < conns; c++) {
                        TcpStream conn = l.accept().await();
                        echoes.add(Weft.spawn(() -> {
                            try (conn) {
                                ByteBuffer buf = ByteBuffer.allocate(4096);
                                while (conn.read(buf.clear()).await() > 0) {
                                    conn.writeAll(buf.flip()).await();
                                }
                                moves.add(conn.mover.moves());
                            }
                            return null;
                        }));
                    }
                }
                for (JoinHandle<Void> e : echoes) {
                    e.await();
                }
                return null;
            });
            assertThat(checked).isEqualTo((long) conns * messages);
            assertThat(moves.sum()).as("moves (one at most per connection)").isBetween(0L, (long) conns);
        }
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void aCloseFromTheOtherWorkerClosesTheConnection(Driver d) {
        try (StealingExecutor ex = on(d)) {
            ex.blockOn(() -> {
                try (TcpListener l = TcpListener.bind(loopback());
                        TcpStream client = TcpStream.connect(l.localAddress()).await()) {
                    TcpStream served = l.accept().await();
                    spawnOnTheOtherWorker(() -> {
                        served.close();
                        return null;
                    }).await();
                    assertThat(served.isOpen()).isFalse();
                    assertThat(readAll(client)).as("the peer reads the end").isEmpty();
                    try {
                        served.write(ascii("late")).await();
                        throw new AssertionError("a write after the close went through");
                    } catch (UncheckedIOException closed) {
                        assertThat(closed).hasCauseInstanceOf(ClosedChannelException.class);
                    }
                    return null;
                }
            });
        }
    }

    /**
     * A close from a thread outside the executor (here a blocking-pool
     * thread) is refused, naming the rule, and changes nothing: the stream
     * stays open and goes on working. It used to mark the stream closed,
     * then fail to reach its worker, leaving it open underneath and unusable.
     */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void aCloseFromAThreadOutsideTheExecutorIsRefusedAndChangesNothing(Driver d) {
        String got = SharedStreamTest.onAConnection(d, (client, served) -> {
            Throwable refused = Weft.spawnBlocking(() -> {
                try {
                    served.close();
                    return null;
                } catch (IllegalStateException e) {
                    return e;
                }
            }).await();
            assertThat(refused).as("refused").isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("close it from a task of that executor");
            assertThat(served.isOpen()).as("still open").isTrue();
            client.writeAll(ascii("still")).await();
            ByteBuffer b = ByteBuffer.allocate(5);
            served.readExact(b).await();
            return text(b, 5);
        });
        assertThat(got).isEqualTo("still");
    }

    /**
     * Closed at home while a read of the other worker waits for its move
     * (which waits to run there): that read fails as closed, and from the
     * close on the stream reads as closed on its worker too (closed, its
     * addresses and settings ClosedChannelException), where its address
     * spun for ever on the very thread the move waited for, and a setting
     * was taken for the move's landing.
     */
    @ParameterizedTest
    @EnumSource(Driver.class)
    @org.junit.jupiter.api.Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = ThreadMode.SEPARATE_THREAD)
    void aStreamClosedAtHomeWhileAMoveWaitsIsClosedThere(Driver d) {
        try (StealingExecutor ex = on(d)) {
            List<String> seen = ex.blockOn(() -> {
                try (TcpListener l = TcpListener.bind(loopback());
                        TcpStream client = TcpStream.connect(l.localAddress()).await()) {
                    TcpStream served = l.accept().await();
                    JoinHandle<String> reader = spawnOnTheOtherWorker(() -> {
                        try {
                            served.read(ByteBuffer.allocate(8)).await();
                            return "read";
                        } catch (UncheckedIOException e) {
                            return e.getCause().getClass().getSimpleName();
                        }
                    });
                    OtherWorker.holdUntil(served.mover::moving, "the move to start"); // its detach waits for this worker
                    served.close();
                    List<String> s = new ArrayList<>();
                    s.add("open " + served.isOpen());
                    for (java.util.concurrent.Callable<?> c : List.<java.util.concurrent.Callable<?>>of(
                            served::remoteAddress, served::localAddress, () -> {
                                served.setNoDelay(true);
                                return null;
                            })) {
                        try {
                            c.call();
                            s.add("answered");
                        } catch (java.io.IOException | UncheckedIOException e) {
                            Throwable why = e instanceof UncheckedIOException u ? u.getCause() : e;
                            s.add(why.getClass().getSimpleName());
                        }
                    }
                    s.add(reader.await());
                    return s;
                }
            });
            assertThat(seen).containsExactly("open false", "ClosedChannelException", "ClosedChannelException",
                    "ClosedChannelException", "ClosedChannelException");
        }
    }

    /**
     * Addresses and options of a stream asked from the other worker (they
     * never wait, so the stream does not move) while its own worker asks
     * its listener's address, 200,000 times each: every answer right (each
     * thread's own scratch memory for the system calls; sharing the loop's
     * mixed the two threads' addresses).
     */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void addressesAskedFromTwoWorkersAtOnceAreEachRight(Driver d) {
        int n = 200_000;
        try (StealingExecutor ex = on(d)) {
            ex.blockOn(() -> {
                try (TcpListener l = TcpListener.bind(loopback());
                        TcpStream client = TcpStream.connect(l.localAddress()).await();
                        TcpStream served = l.accept().await()) {
                    int listening = l.localAddress().getPort();
                    int peer = client.localAddress().getPort();
                    AtomicBoolean go = new AtomicBoolean();
                    JoinHandle<Integer> afar = spawnOnTheOtherWorker(() -> {
                        while (!go.get()) {
                            Thread.onSpinWait();
                        }
                        int wrong = 0;
                        for (int i = 0; i < n; i++) {
                            served.setNoDelay(true);
                            if (served.remoteAddress().getPort() != peer) {
                                wrong++;
                            }
                        }
                        return wrong;
                    });
                    go.set(true);
                    int wrong = 0;
                    for (int i = 0; i < n; i++) {
                        if (l.localAddress().getPort() != listening) {
                            wrong++;
                        }
                    }
                    assertThat(wrong).as("wrong answers on the stream's worker").isZero();
                    assertThat(afar.await()).as("wrong answers on the other worker").isZero();
                    assertThat(served.mover.moves()).as("nothing awaited: no move").isZero();
                    return null;
                }
            });
        }
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void tryReadFromTheOtherWorkerSaysToAwaitReadableFirst(Driver d) {
        String message = SharedStreamTest.onAConnection(d, (client, served) -> {
            client.writeAll(ascii("t")).await();
            return spawnOnTheOtherWorker(() -> {
                String said;
                try {
                    served.tryRead(ByteBuffer.allocate(8));
                    said = "no error";
                } catch (IllegalStateException e) {
                    said = e.getMessage();
                }
                served.readable().await(); // moves it here
                ByteBuffer one = ByteBuffer.allocate(8);
                assertThat(served.tryRead(one)).isEqualTo(1);
                return said;
            }).await();
        });
        assertThat(message).contains("readable()");
    }

    /**
     * A read on the other worker gives up (a timeout) while its move waits
     * for the home worker, which is busy: it did nothing, and the next read
     * takes the stream and the bytes.
     */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void aReadCancelledWhileTheStreamMovesLosesNothing(Driver d) {
        String got = SharedStreamTest.onAConnection(d, (client, served) -> {
            client.writeAll(ascii("kept")).await();
            AtomicBoolean gaveUp = new AtomicBoolean();
            JoinHandle<String> reader = spawnOnTheOtherWorker(() -> {
                ByteBuffer buf = ByteBuffer.allocate(8);
                try {
                    Timeout.of(Duration.ofMillis(20), served.read(buf)).await();
                    return "read before the move could happen";
                } catch (TimedOutException expected) {
                    gaveUp.set(true);
                }
                int n = served.read(buf).await();
                return text(buf, n);
            });
            OtherWorker.holdUntil(gaveUp::get, "the first read to give up"); // the detach waits for this worker
            assertThat(gaveUp).as("the first read gave up").isTrue();
            return reader.await();
        });
        assertThat(got).isEqualTo("kept");
    }

    /**
     * A read on the other worker gives up while its move waits for the home
     * worker, and nothing else ever uses the stream: the move lands back at
     * home as the detach ends (a stream detached from every reactor would be
     * closed by no executor's close), and the stream serves there.
     */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void aMoveGivenUpByItsOnlyOperationLandsBackAtHome(Driver d) {
        String got = SharedStreamTest.onAConnection(d, (client, served) -> {
            AtomicBoolean gaveUp = new AtomicBoolean();
            spawnOnTheOtherWorker(() -> {
                try {
                    Timeout.of(Duration.ofMillis(20), served.read(ByteBuffer.allocate(8))).await();
                } catch (TimedOutException expected) {
                    gaveUp.set(true);
                }
                return null;
            });
            OtherWorker.holdUntil(gaveUp::get, "the read to give up"); // the detach waits for this worker
            OtherWorker.yieldUntil(() -> !served.mover.moving(), "the move to land"); // the detach runs now
            assertThat(served.isOpen()).isTrue();
            assertThat(served.mover.moves()).as("moves").isZero();
            client.writeAll(ascii("home")).await();
            ByteBuffer buf = ByteBuffer.allocate(8);
            int n = served.read(buf).await();
            return text(buf, n);
        });
        assertThat(got).isEqualTo("home");
    }

    /**
     * A close at home while a task of the other worker asks the stream for
     * its address again and again, then new sockets at once (which take the
     * freed descriptor number): every answer is the stream's own address or
     * ClosedChannelException, never another socket's.
     */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void aCallFromAfarNeverReachesTheSocketThatReusesAClosedNumber(Driver d) {
        try (StealingExecutor ex = on(d)) {
            long wrong = ex.blockOn(() -> {
                long seen = 0;
                try (TcpListener l = TcpListener.bind(loopback())) {
                    for (int round = 0; round < 300; round++) {
                        TcpStream client = TcpStream.connect(l.localAddress()).await();
                        TcpStream served = l.accept().await();
                        InetSocketAddress own = served.localAddress();
                        AtomicBoolean asking = new AtomicBoolean();
                        JoinHandle<Long> asker = spawnOnTheOtherWorker(() -> {
                            long others = 0;
                            asking.set(true);
                            for (;;) {
                                try {
                                    if (!served.localAddress().equals(own)) {
                                        others++;
                                    }
                                } catch (ClosedChannelException closed) {
                                    return others;
                                }
                            }
                        });
                        OtherWorker.holdUntil(asking::get, "the asker");
                        served.close();
                        List<TcpListener> reusing = new ArrayList<>();
                        for (int i = 0; i < 4; i++) {
                            reusing.add(TcpListener.bind(loopback())); // the lowest free numbers: the one just freed
                        }
                        seen += asker.await();
                        for (TcpListener r : reusing) {
                            r.close();
                        }
                        client.close();
                    }
                }
                return seen;
            });
            assertThat(wrong).as("answers from another socket").isZero();
        }
    }

    /**
     * Threads and descriptors come back after close, with connections handed
     * as they are to tasks on either worker, reads pending on both ends at
     * the close, and handlers that may not have run yet.
     */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void closeReleasesEveryDescriptorWithStreamsHandedAsTheyAre(Driver d) throws Exception {
        long fdsBefore = -1;
        for (int round = 0; round < 4; round++) { // round 0 warms up: on nio one descriptor opened then stays (after 1 round or 6 alike)
            if (round == 1) {
                fdsBefore = StealingIoTest.openDescriptors();
            }
            StealingExecutor ex = on(d);
            AtomicInteger handlers = new AtomicInteger();
            AtomicInteger connected = new AtomicInteger();
            InetSocketAddress addr = ex.blockOn(() -> {
                Oneshot<InetSocketAddress> bound = Oneshot.create();
                Weft.spawn(() -> {
                    try (TcpListener l = TcpListener.bind(loopback())) {
                        bound.send(l.localAddress());
                        for (;;) {
                            TcpStream conn = l.accept().await();
                            Weft.spawn(() -> {
                                try (conn) {
                                    handlers.incrementAndGet();
                                    conn.read(ByteBuffer.allocate(16)).await(); // never answered: pending at close
                                }
                                return null;
                            });
                        }
                    }
                });
                return bound.recv().await();
            });
            for (int i = 0; i < 20; i++) {
                ex.spawn(() -> {
                    try (TcpStream s = TcpStream.connect(addr).await()) {
                        connected.incrementAndGet();
                        s.read(ByteBuffer.allocate(16)).await();
                    }
                    return null;
                });
            }
            OtherWorker.holdUntil(() -> handlers.get() == 20 && connected.get() == 20, "handlers and clients");
            assertThat(handlers.get() + connected.get()).as("handlers and clients started").isEqualTo(40);
            // closed now, with reads pending on both ends and some handlers' streams perhaps on the move
            ex.close();
            assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("steal-io-"));
        }
        assertThat(StealingIoTest.openDescriptors()).as("descriptors after three executors closed")
                .isLessThanOrEqualTo(fdsBefore);
    }
}
