package io.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.weft.io.Drivers;
import io.weft.net.TcpListener;
import io.weft.net.TcpStream;
import io.weft.sync.Channel;
import io.weft.sync.Mutex;
import io.weft.sync.Receiver;
import io.weft.sync.Semaphore;
import io.weft.sync.Sender;
import io.weft.time.TimedOutException;
import io.weft.time.Timeout;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * 10,000 random cancellations under contention, then an exact account.
 * Two executors on two threads share a semaphore, a mutex and a bounded
 * channel; each runs six workers that lock, acquire, send, receive and
 * accept, every wait under a random timeout of 0 to 2 ms, until 10,000
 * waits in all were cut short. Afterwards: every permit is back, the mutex
 * is free and was never held twice, every value sent was received exactly
 * once and no other, every connection a client made was accepted exactly
 * once, and the process has the descriptors it had before.
 */
@org.junit.jupiter.api.Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES,
        threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
class CancelStressTest {
    private static final int CANCELLATIONS = 10_000;
    private static final int WORKERS = 6;
    private static final int PERMITS = 5;
    private static final int CONNECTIONS = 300; // per executor
    private static final Duration WAIT = Duration.ofSeconds(10); // a hang guard for the final account

    private final Semaphore semaphore = Semaphore.create(PERMITS);
    private final Mutex<long[]> mutex = Mutex.create(new long[1]);
    private final Channel<Long> channel = Channel.bounded(4);
    private final AtomicLong cancelled = new AtomicLong();
    private final AtomicLong nextValue = new AtomicLong();
    private final AtomicLong locksTaken = new AtomicLong();
    private final AtomicInteger permitsHeld = new AtomicInteger();
    private final AtomicBoolean inside = new AtomicBoolean();
    private final Map<Long, Integer> sent = new ConcurrentHashMap<>();
    private final Map<Long, Integer> received = new ConcurrentHashMap<>();
    private final List<Throwable> broken = java.util.Collections.synchronizedList(new ArrayList<>());

    static long openDescriptors() throws Exception {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void tenThousandRandomCancellationsLoseNothing(Driver d) throws Exception {
        String why = Drivers.whyNot(d);
        assumeTrue(why == null, () -> d + " driver unavailable here: " + why);
        warmUp(d);
        long fdsBefore = openDescriptors();
        Thread[] threads = new Thread[2];
        List<Map<Long, Integer>> accepted = List.of(new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
        for (int e = 0; e < threads.length; e++) {
            int seed = e;
            Map<Long, Integer> acc = accepted.get(e);
            threads[e] = new Thread(() -> {
                try (LocalExecutor ex = LocalExecutor.builder().driver(d).name("stress-" + seed).build()) {
                    ex.run(() -> executor(seed, acc));
                } catch (Throwable t) {
                    broken.add(t);
                }
            });
            threads[e].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(broken).as("failures in the executors").isEmpty();

        // the account
        assertThat(cancelled.get()).isGreaterThanOrEqualTo(CANCELLATIONS);
        try (LocalExecutor ex = LocalExecutor.create()) {
            ex.run(() -> {
                Receiver<Long> rx = channel.receiver();
                for (Long v; (v = rx.tryRecv()) != null; ) {
                    received.merge(v, 1, Integer::sum);
                }
                return null;
            });
        }
        assertThat(received).as("every value sent was received exactly once, and no other").isEqualTo(sent);
        assertThat(sent).as("sends that completed").hasSizeGreaterThan(100);
        assertThat(semaphore.availablePermits()).as("permits").isEqualTo(PERMITS);
        assertThat(semaphore.tryAcquire(PERMITS)).as("all permits at once").isNotNull();
        var guard = mutex.tryLock();
        assertThat(guard).as("the mutex is free").isNotNull();
        assertThat(guard.get()[0]).as("increments under the mutex").isEqualTo(locksTaken.get());
        for (Map<Long, Integer> acc : accepted) {
            assertThat(acc).as("connections accepted").hasSize(CONNECTIONS).allSatisfy((id, n) -> assertThat(n)
                    .as("connection %d accepted", id).isEqualTo(1));
        }
        // fewer is no leak: another test's pool job may close a descriptor meanwhile
        assertThat(openDescriptors()).as("descriptors").isLessThanOrEqualTo(fdsBefore);
    }

    /**
     * Opens what the JDK opens once per process and keeps (the nio driver's
     * first close of a channel with a blocked op takes a descriptor for
     * good), so the count before the run is the count to come back to.
     */
    private static void warmUp(Driver d) {
        try (LocalExecutor ex = LocalExecutor.builder().driver(d).build()) {
            ex.run(() -> {
                try (TcpListener l = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0));
                     TcpStream c = TcpStream.connect(l.localAddress()).await();
                     TcpStream s = l.accept().await()) {
                    JoinHandle<Integer> read = Weft.spawn(() -> s.read(ByteBuffer.allocate(8)).await());
                    Weft.yieldNow().await();
                    read.abort();
                    c.writeAll(ByteBuffer.allocate(1)).await();
                }
                return null;
            });
        }
    }

    /** One executor: a client that makes CONNECTIONS connections, the workers, then the rest of the accepts. */
    private Void executor(int seed, Map<Long, Integer> accepted) throws Exception {
        try (TcpListener l = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0))) {
            InetSocketAddress address = l.localAddress();
            JoinHandle<Void> client = Weft.spawn(() -> {
                for (long id = 0; id < CONNECTIONS; id++) {
                    try (TcpStream c = TcpStream.connect(address).await()) {
                        c.writeAll(ByteBuffer.allocate(8).putLong(0, id)).await();
                    }
                    Weft.yieldNow().await();
                }
            });
            List<JoinHandle<Void>> workers = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                SplittableRandom rnd = new SplittableRandom(seed * 1000L + w);
                workers.add(Weft.spawn(() -> work(rnd, l, accepted)));
            }
            for (JoinHandle<Void> w : workers) {
                w.await();
            }
            client.await();
            while (accepted.size() < CONNECTIONS) {
                take(Timeout.of(WAIT, l.accept()).await(), accepted);
            }
        }
        return null;
    }

    private void work(SplittableRandom rnd, TcpListener l, Map<Long, Integer> accepted) {
        Sender<Long> tx = channel.sender();
        Receiver<Long> rx = channel.receiver();
        while (cancelled.get() < CANCELLATIONS && broken.isEmpty()) {
            Duration t = Duration.ofNanos(rnd.nextLong(2_000_001));
            try {
                switch (rnd.nextInt(5)) {
                    case 0 -> {
                        try (var g = Timeout.of(t, mutex.lock()).await()) {
                            check(!inside.getAndSet(true), "the mutex was held twice");
                            g.get()[0]++;
                            locksTaken.incrementAndGet();
                            Weft.yieldNow().await();
                            inside.set(false);
                        }
                    }
                    case 1 -> {
                        int n = 1 + rnd.nextInt(3);
                        try (var p = Timeout.of(t, semaphore.acquire(n)).await()) {
                            check(permitsHeld.addAndGet(n) <= PERMITS, "more permits held than exist");
                            Weft.yieldNow().await();
                            permitsHeld.addAndGet(-(int) p.count());
                        }
                    }
                    case 2 -> {
                        long v = nextValue.incrementAndGet();
                        Timeout.of(t, tx.send(v)).await();
                        sent.merge(v, 1, Integer::sum);
                    }
                    case 3 -> received.merge(Timeout.of(t, rx.recv()).await(), 1, Integer::sum);
                    default -> take(Timeout.of(t, l.accept()).await(), accepted);
                }
            } catch (TimedOutException e) {
                cancelled.incrementAndGet();
            }
        }
    }

    private static void take(TcpStream s, Map<Long, Integer> accepted) {
        try (s) {
            ByteBuffer id = ByteBuffer.allocate(8);
            Timeout.of(WAIT, s.readExact(id)).await();
            accepted.merge(id.getLong(0), 1, Integer::sum);
        }
    }

    private void check(boolean ok, String what) {
        if (!ok) {
            AssertionError e = new AssertionError(what);
            broken.add(e);
            throw e;
        }
    }
}
