package io.weft.net;

import static io.weft.net.TcpTest.loopback;
import static io.weft.net.TcpTest.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.weft.Driver;
import io.weft.JoinHandle;
import io.weft.StealingExecutor;
import io.weft.Weft;
import io.weft.fs.File;
import io.weft.io.Drivers;
import io.weft.sync.Oneshot;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Sockets and files in the tasks of a StealingExecutor of two workers, once
 * per driver this kernel allows. Each worker has its reactor; a socket
 * belongs to the worker whose task made it, and that task never leaves the
 * worker, so it can use it across every await. A stream handed to a task
 * that may start on the other worker moves with detach() and attach(), or
 * by itself at its first use there (StreamMoveTest).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StealingIoTest {

    static StealingExecutor on(Driver d) {
        String why = Drivers.whyNot(d);
        assumeTrue(why == null, () -> d + " driver unavailable here: " + why);
        return StealingExecutor.builder().workers(2).name("steal-io").driver(d).build();
    }

    /**
     * 1,000 client tasks, each on whichever worker takes it, against an
     * accept loop that hands every connection to a handler task spawned
     * after a detach: the handlers start on either worker (stolen or not) and
     * attach the stream there. Every byte echoed is checked. Which worker
     * serves is not asserted: a burst of accepts may leave every handler on
     * the acceptor's worker (its LIFO slot runs them first; BENCHMARKS.md,
     * TCP echo); the next test makes one start on the other.
     */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void echoOfAThousandConnectionsWithHandlersWhereverTheyStart(Driver d) {
        int conns = 1000;
        int messages = 20;
        Set<String> acceptors = ConcurrentHashMap.newKeySet();
        Set<String> handlers = ConcurrentHashMap.newKeySet();
        Set<String> clientsOn = ConcurrentHashMap.newKeySet();
        try (StealingExecutor ex = on(d)) {
            long checked = echoAgainst(ex, conns, messages, clientsOn,
                    bound -> () -> serve(conns, bound, acceptors, handlers));
            assertThat(checked).isEqualTo((long) conns * messages);
            assertThat(acceptors).as("the accept loop never left its worker").hasSize(1);
            assertThat(handlers).isNotEmpty(); // where: as the LIFO slot and the thieves had it (see the next test)
            assertThat(clientsOn).isNotEmpty();
        }
    }

    /**
     * Runs the server that {@code server} makes (it sends its address to the
     * oneshot it is given) and {@code conns} echo clients of {@code messages}
     * each, every client a task on whichever worker takes it (noted in
     * {@code clientsOn}); the messages echoed and checked.
     */
    static long echoAgainst(StealingExecutor ex, int conns, int messages, Set<String> clientsOn,
            Function<Oneshot<InetSocketAddress>, Callable<Void>> server) {
        return ex.blockOn(() -> {
            Oneshot<InetSocketAddress> bound = Oneshot.create();
            JoinHandle<Void> s = Weft.spawn(server.apply(bound));
            InetSocketAddress addr = bound.recv().await();
            List<JoinHandle<Long>> clients = new ArrayList<>();
            for (int c = 0; c < conns; c++) {
                int conn = c;
                clients.add(Weft.spawn(() -> {
                    clientsOn.add(Thread.currentThread().getName());
                    return TcpTest.echoClient(addr, conn, messages);
                }));
            }
            long total = 0;
            for (JoinHandle<Long> c : clients) {
                total += c.await();
            }
            s.await();
            return total;
        });
    }

    /**
     * Binds a listener here (it belongs to this task's worker), says where,
     * accepts {@code conns} connections and hands each, detached, to an echo
     * task that may start on either worker and attaches it there.
     */
    static Void serve(int conns, Oneshot<InetSocketAddress> bound, Set<String> acceptors, Set<String> handlers)
            throws IOException {
        List<JoinHandle<Void>> echoes = new ArrayList<>();
        try (TcpListener l = TcpListener.bind(loopback())) {
            bound.send(l.localAddress());
            for (int c = 0; c < conns; c++) {
                acceptors.add(Thread.currentThread().getName());
                MovedStream<TcpStream> moving = l.accept().await().detach().await();
                echoes.add(moving.closeWhenDone(Weft.spawn(() -> {
                    handlers.add(Thread.currentThread().getName());
                    try (TcpStream s = moving.attach()) {
                        ByteBuffer buf = ByteBuffer.allocate(4096);
                        while (s.read(buf.clear()).await() > 0) {
                            s.writeAll(buf.flip()).await();
                        }
                    }
                })));
            }
        }
        for (JoinHandle<Void> e : echoes) {
            e.await();
        }
        return null;
    }

    /**
     * A stream accepted on one worker, detached, and attached by a task that
     * starts on the other worker (made to: the accepting task holds its own
     * worker until that task has started), serves there.
     */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void aDetachedStreamServesOnTheOtherWorker(Driver d) {
        try (StealingExecutor ex = on(d)) {
            String reply = ex.blockOn(() -> {
                try (TcpListener l = TcpListener.bind(loopback());
                        TcpStream client = TcpStream.connect(l.localAddress()).await()) {
                    String home = Thread.currentThread().getName();
                    MovedStream<TcpStream> moving = l.accept().await().detach().await();
                    AtomicReference<String> startedOn = new AtomicReference<>();
                    JoinHandle<Void> handler = Weft.spawn(() -> {
                        startedOn.set(Thread.currentThread().getName());
                        try (TcpStream s = moving.attach()) {
                            ByteBuffer buf = ByteBuffer.allocate(64);
                            int n = s.read(buf).await();
                            String r = new String(buf.array(), 0, n, StandardCharsets.US_ASCII) + " served by "
                                    + Thread.currentThread().getName();
                            s.writeAll(ByteBuffer.wrap(r.getBytes(StandardCharsets.US_ASCII))).await();
                        }
                    });
                    Weft.spawn(() -> { }); // displaces the handler from the LIFO slot into the stealable queue
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (startedOn.get() == null && System.nanoTime() < deadline) {
                        Thread.onSpinWait(); // holds this worker: the handler can start only on the other one
                    }
                    assertThat(startedOn.get()).as("the handler started").isNotNull().isNotEqualTo(home);
                    client.writeAll(ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII))).await();
                    ByteBuffer in = ByteBuffer.allocate(64);
                    StringBuilder got = new StringBuilder();
                    for (int n; (n = client.read(in.clear()).await()) > 0; ) {
                        got.append(new String(in.array(), 0, n, StandardCharsets.US_ASCII));
                    }
                    handler.await();
                    return got + " (accepted on " + home + ")";
                }
            });
            assertThat(reply).startsWith("hello served by steal-io-");
            String[] parts = reply.replace("hello served by ", "").replace(")", "").split(" \\(accepted on ");
            assertThat(parts[0]).isNotEqualTo(parts[1]);
        }
    }

    /** A stream used by a task of the other worker without a detach moves there, then back home (StreamMoveTest has the rest). */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void aStreamUsedFromTheOtherWorkerWithoutADetachMovesThereAndBack(Driver d) {
        try (StealingExecutor ex = on(d)) {
            String outcome = ex.blockOn(() -> {
                try (TcpListener l = TcpListener.bind(loopback())) {
                    try (TcpStream client = TcpStream.connect(l.localAddress()).await();
                            TcpStream served = l.accept().await()) {
                        String home = Thread.currentThread().getName();
                        AtomicReference<String> answer = new AtomicReference<>();
                        // The probe, displaced from the LIFO slot by a second spawn, waits in this worker's queue,
                        // which the other worker steals from while this task spins (a test device: a task that
                        // spins holds its worker).
                        AtomicBoolean started = new AtomicBoolean();
                        Weft.spawn(() -> {
                            if (Thread.currentThread().getName().equals(home)) {
                                answer.set("ran at home");
                                return;
                            }
                            started.set(true);
                            try {
                                served.write(ByteBuffer.wrap(new byte[] {1})).await();
                                answer.set("no error");
                            } catch (IllegalStateException e) {
                                answer.set(e.getMessage());
                            }
                        });
                        Weft.spawn(() -> { });
                        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                        while (answer.get() == null && System.nanoTime() < deadline) {
                            if (started.get()) {
                                Weft.yieldNow().await(); // the move's detach runs here, on the stream's worker
                            } else {
                                Thread.onSpinWait(); // holds this worker until the probe starts on the other
                            }
                        }
                        client.writeAll(ByteBuffer.wrap(new byte[] {2})).await();
                        ByteBuffer one = ByteBuffer.allocate(1);
                        assertThat(served.read(one).await()).as("usable at home again").isEqualTo(1);
                        assertThat(one.get(0)).isEqualTo((byte) 2);
                        assertThat(client.read(one.clear()).await()).as("the byte written from afar").isEqualTo(1);
                        assertThat(one.get(0)).isEqualTo((byte) 1);
                        assertThat(served.mover.moves()).as("there and back").isEqualTo(2);
                        return answer.get();
                    }
                }
            });
            assertThat(outcome).isEqualTo("no error");
        }
    }

    /** Files: each task writes and reads its own file, on either worker, with every driver. */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void tasksOnBothWorkersWriteAndReadTheirFiles(Driver d, @TempDir Path dir) throws IOException {
        int files = 64;
        try (StealingExecutor ex = on(d)) {
            int ok = ex.blockOn(() -> {
                List<JoinHandle<Boolean>> hs = new ArrayList<>();
                for (int i = 0; i < files; i++) {
                    Path p = dir.resolve("f" + i);
                    byte[] content = message(i, 0, 100 + i);
                    hs.add(Weft.spawn(() -> {
                        try (File f = File.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                                StandardOpenOption.READ).await()) {
                            f.writeAt(ByteBuffer.wrap(content), 0).await();
                            ByteBuffer back = ByteBuffer.allocate(content.length);
                            f.readExactAt(back, 0).await();
                            return java.util.Arrays.equals(back.array(), content);
                        }
                    }));
                }
                int n = 0;
                for (JoinHandle<Boolean> h : hs) {
                    n += h.await() ? 1 : 0;
                }
                return n;
            });
            assertThat(ok).isEqualTo(files);
        }
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).hasSize(files);
        }
    }

    /**
     * Threads and descriptors come back after close, with I/O in flight at
     * the close, and handlers that may not have run yet (their connections
     * closed by closeWhenDone; without it, descriptors leaked here).
     */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void closeReleasesEveryDescriptorAndThread(Driver d) throws Exception {
        String why = Drivers.whyNot(d);
        assumeTrue(why == null, () -> d + " driver unavailable here: " + why);
        long fdsBefore = openDescriptors();
        for (int round = 0; round < 3; round++) {
            StealingExecutor ex = on(d);
            InetSocketAddress addr = ex.blockOn(() -> {
                Oneshot<InetSocketAddress> bound = Oneshot.create();
                Weft.spawn(() -> {
                    TcpListener l = TcpListener.bind(loopback());
                    bound.send(l.localAddress());
                    try (l) {
                        for (;;) {
                            MovedStream<TcpStream> moving = l.accept().await().detach().await();
                            moving.closeWhenDone(Weft.spawn(() -> {
                                try (TcpStream s = moving.attach()) {
                                    s.read(ByteBuffer.allocate(16)).await(); // never answered: pending at close
                                }
                            }));
                        }
                    }
                });
                return bound.recv().await();
            });
            List<JoinHandle<Void>> clients = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                clients.add(ex.spawn(() -> {
                    try (TcpStream s = TcpStream.connect(addr).await()) {
                        s.read(ByteBuffer.allocate(16)).await(); // pending at close too
                    }
                    return null;
                }));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (ex.liveTasks() < 41 && System.nanoTime() < deadline) {
                Thread.onSpinWait(); // the listener loop, 20 clients, 20 handlers (run or not yet: closeWhenDone)
            }
            assertThat(ex.liveTasks()).as("every task waits on a socket").isEqualTo(41);
            ex.close();
            assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("steal-io-"));
        }
        assertThat(openDescriptors()).as("descriptors after three executors closed").isLessThanOrEqualTo(fdsBefore);
    }

    static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void aWorkersReactorIsWhereItParks(Driver d) {
        // A task that waits on a socket only: its worker parks inside the reactor, and the peer's bytes wake it.
        try (StealingExecutor ex = on(d)) {
            byte got = ex.blockOn(() -> {
                try (TcpListener l = TcpListener.bind(loopback())) {
                    InetSocketAddress addr = l.localAddress();
                    Weft.spawn(() -> {
                        try (TcpStream c = TcpStream.connect(addr).await()) {
                            Weft.sleep(java.time.Duration.ofMillis(20)).await(); // both workers idle meanwhile
                            c.writeAll(ByteBuffer.wrap(new byte[] {42})).await();
                        }
                    });
                    try (TcpStream s = l.accept().await()) {
                        ByteBuffer one = ByteBuffer.allocate(1);
                        s.readExact(one).await();
                        return one.get(0);
                    }
                }
            });
            assertThat(got).isEqualTo((byte) 42);
        }
    }
}
