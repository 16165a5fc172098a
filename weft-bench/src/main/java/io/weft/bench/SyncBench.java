package io.weft.bench;

import io.weft.JoinHandle;
import io.weft.LocalExecutor;
import io.weft.Weft;
import io.weft.sync.Channel;
import io.weft.sync.Mutex;
import io.weft.sync.RwLock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.jctools.queues.MpscArrayQueue;
import org.jctools.queues.SpscArrayQueue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * io.weft.sync against its JDK peers, each in the same run:
 * <ol>
 *   <li>ping-pong, ns per round trip: two weft tasks on one executor through
 *       local channels of capacity 1 (and through shared ones), vs two
 *       virtual threads through SynchronousQueues (default scheduler, and
 *       one carrier);</li>
 *   <li>a shared channel between two plain threads, ns per value: weft
 *       {@code Channel.bounded(1024)} with blocking {@code await()} vs
 *       {@link ArrayBlockingQueue} put/take, and vs JCTools'
 *       {@link MpscArrayQueue} / {@link SpscArrayQueue} of 1024. The peers
 *       wait in two different ways, and only like ones compare:
 *       <ul>
 *         <li><b>parking</b> (weft, ArrayBlockingQueue,
 *             {@code twoThreadsJctoolsMpscPark}): a side that cannot go on
 *             parks its thread at once and is unparked by the other side.
 *             The JCTools one does this with a park/unpark handshake of our
 *             own around the lock-free queue ({@link ParkingQueue}), which
 *             costs a full fence per take;</li>
 *         <li><b>busy-spinning</b> ({@code twoThreadsJctoolsMpscSpin},
 *             {@code twoThreadsJctoolsSpscSpin}): both sides spin with
 *             {@link Thread#onSpinWait()} while the queue is empty or full,
 *             never parking. That burns both cores the whole time; with
 *             the cores otherwise idle it shows what the queue costs
 *             without any wake-up, but with other work on the cores a
 *             spinner burns the time its partner needs and can be slower
 *             than a parking queue. Either way it is no peer of a parking
 *             channel.</li>
 *       </ul></li>
 *   <li>a mutex under the contention of 1,000 tasks, ns per lock + unlock,
 *       each holder yielding once inside the critical section: weft local
 *       and shared Mutex vs 1,000 virtual threads with a ReentrantLock;</li>
 *   <li>a read-mostly reader-writer lock under 1,000 tasks, ns per lock +
 *       unlock, one operation in ten a write, each holder yielding once
 *       inside: weft local and shared RwLock vs 1,000 virtual threads with a
 *       fair ReentrantReadWriteLock.</li>
 * </ol>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {
        "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED",
        "--enable-native-access=ALL-UNNAMED",
        "-Xms2g", "-Xmx2g"})
public class SyncBench {
    static final int ROUND_TRIPS = 100_000;
    static final int VALUES = 1_000_000;
    static final int TASKS = 1_000;
    static final int LOCKS_PER_TASK = 100;

    private LocalExecutor weft;

    @Setup(Level.Trial)
    public void setup() {
        weft = LocalExecutor.create();
        Tenure.now();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        weft.close();
    }

    // ---------------------------------------------------------------- 1. ping-pong

    /** Two tasks of one executor, local channels (no lock, no atomic). */
    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public int pingPongWeftLocalChannel() {
        return weft.run(() -> pingPong(Channel.<Integer>localBounded(1), Channel.<Integer>localBounded(1)));
    }

    /** The same with shared channels (a ReentrantLock per operation, never contended here). */
    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public int pingPongWeftSharedChannel() {
        return weft.run(() -> pingPong(Channel.<Integer>bounded(1), Channel.<Integer>bounded(1)));
    }

    private static int pingPong(Channel<Integer> ping, Channel<Integer> pong) {
        JoinHandle<Void> echo = Weft.spawn(() -> {
            for (int i = 0; i < ROUND_TRIPS; i++) {
                pong.sender().send(ping.receiver().recv().await()).await();
            }
        });
        int sum = 0;
        for (int i = 0; i < ROUND_TRIPS; i++) {
            ping.sender().send(i).await();
            sum += pong.receiver().recv().await();
        }
        echo.await();
        return sum;
    }

    /** Peer: two virtual threads, SynchronousQueue each way (default scheduler). */
    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public int pingPongVirtualThreadsSynchronousQueue() throws InterruptedException {
        return vtPingPong();
    }

    /** Peer: as above with the virtual-thread scheduler on one carrier, as weft is on one thread. */
    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    @Fork(value = 1, jvmArgsAppend = {
            "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED",
            "--enable-native-access=ALL-UNNAMED",
            "-Xms2g", "-Xmx2g",
            "-Djdk.virtualThreadScheduler.parallelism=1",
            "-Djdk.virtualThreadScheduler.maxPoolSize=1"})
    public int pingPongVirtualThreadsSynchronousQueue1Carrier() throws InterruptedException {
        return vtPingPong();
    }

    private static int vtPingPong() throws InterruptedException {
        SynchronousQueue<Integer> ping = new SynchronousQueue<>();
        SynchronousQueue<Integer> pong = new SynchronousQueue<>();
        Thread echo = Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < ROUND_TRIPS; i++) {
                    pong.put(ping.take());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        int[] sum = new int[1];
        Thread main = Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < ROUND_TRIPS; i++) {
                    ping.put(i);
                    sum[0] += pong.take();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        main.join();
        echo.join();
        return sum[0];
    }

    // ---------------------------------------------------------------- 2. shared channel, two threads

    /** A plain producer thread and this thread as consumer, weft shared bounded channel, blocking awaits. */
    @Benchmark
    @OperationsPerInvocation(VALUES)
    public long twoThreadsWeftSharedChannel() throws InterruptedException {
        Channel<Integer> ch = Channel.bounded(1024);
        Integer boxed = 7;
        Thread producer = Thread.ofPlatform().start(() -> {
            try (var tx = ch.sender()) {
                for (int i = 0; i < VALUES; i++) {
                    tx.send(boxed).await();
                }
            }
        });
        long sum = 0;
        for (int i = 0; i < VALUES; i++) {
            sum += ch.receiver().recv().await();
        }
        producer.join();
        return sum;
    }

    /** Peer: the same with an ArrayBlockingQueue(1024), put / take. */
    @Benchmark
    @OperationsPerInvocation(VALUES)
    public long twoThreadsArrayBlockingQueue() throws InterruptedException {
        ArrayBlockingQueue<Integer> q = new ArrayBlockingQueue<>(1024);
        Integer boxed = 7;
        Thread producer = Thread.ofPlatform().start(() -> {
            try {
                for (int i = 0; i < VALUES; i++) {
                    q.put(boxed);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        long sum = 0;
        for (int i = 0; i < VALUES; i++) {
            sum += q.take();
        }
        producer.join();
        return sum;
    }

    /** Peer, busy-spinning: JCTools MpscArrayQueue(1024), both sides spin (onSpinWait) when empty or full. */
    @Benchmark
    @OperationsPerInvocation(VALUES)
    public long twoThreadsJctoolsMpscSpin() throws InterruptedException {
        MpscArrayQueue<Integer> q = new MpscArrayQueue<>(1024);
        Integer boxed = 7;
        Thread producer = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < VALUES; i++) {
                while (!q.offer(boxed)) {
                    Thread.onSpinWait();
                }
            }
        });
        long sum = 0;
        for (int i = 0; i < VALUES; i++) {
            Integer v;
            while ((v = q.poll()) == null) {
                Thread.onSpinWait();
            }
            sum += v;
        }
        producer.join();
        return sum;
    }

    /** Peer, busy-spinning: JCTools SpscArrayQueue(1024) (one producer, one consumer: this shape), spinning as above. */
    @Benchmark
    @OperationsPerInvocation(VALUES)
    public long twoThreadsJctoolsSpscSpin() throws InterruptedException {
        SpscArrayQueue<Integer> q = new SpscArrayQueue<>(1024);
        Integer boxed = 7;
        Thread producer = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < VALUES; i++) {
                while (!q.offer(boxed)) {
                    Thread.onSpinWait();
                }
            }
        });
        long sum = 0;
        for (int i = 0; i < VALUES; i++) {
            Integer v;
            while ((v = q.poll()) == null) {
                Thread.onSpinWait();
            }
            sum += v;
        }
        producer.join();
        return sum;
    }

    /** Peer, parking: JCTools MpscArrayQueue(1024) behind the park/unpark handshake of {@link ParkingQueue}. */
    @Benchmark
    @OperationsPerInvocation(VALUES)
    public long twoThreadsJctoolsMpscPark() throws InterruptedException {
        ParkingQueue<Integer> q = ParkingQueue.mpsc(1024);
        Integer boxed = 7;
        Thread producer = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < VALUES; i++) {
                q.put(boxed);
            }
        });
        long sum = 0;
        for (int i = 0; i < VALUES; i++) {
            sum += q.take();
        }
        producer.join();
        return sum;
    }

    // ---------------------------------------------------------------- 3. mutex, 1,000 contenders

    /** 1,000 tasks, local Mutex, each holder yields once while holding it. */
    @Benchmark
    @OperationsPerInvocation(TASKS * LOCKS_PER_TASK)
    public int mutexContendedWeftLocal() {
        return weft.run(() -> contend(Mutex.local(0)));
    }

    /** The same with the shared Mutex. */
    @Benchmark
    @OperationsPerInvocation(TASKS * LOCKS_PER_TASK)
    public int mutexContendedWeftShared() {
        return weft.run(() -> contend(Mutex.create(0)));
    }

    private static int contend(Mutex<Integer> mutex) {
        List<JoinHandle<Void>> tasks = new ArrayList<>(TASKS);
        for (int t = 0; t < TASKS; t++) {
            tasks.add(Weft.spawn(() -> {
                for (int i = 0; i < LOCKS_PER_TASK; i++) {
                    try (var g = mutex.lock().await()) {
                        int v = g.get();
                        Weft.yieldNow().await();
                        g.set(v + 1);
                    }
                }
            }));
        }
        for (JoinHandle<Void> h : tasks) {
            h.await();
        }
        try (var g = mutex.lock().await()) {
            return g.get();
        }
    }

    /** Peer: 1,000 virtual threads, one fair ReentrantLock, Thread.yield() while holding it. */
    @Benchmark
    @OperationsPerInvocation(TASKS * LOCKS_PER_TASK)
    public int mutexContendedVirtualThreadsReentrantLock() throws InterruptedException {
        ReentrantLock lock = new ReentrantLock(true);
        int[] counter = new int[1];
        List<Thread> threads = new ArrayList<>(TASKS);
        for (int t = 0; t < TASKS; t++) {
            threads.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < LOCKS_PER_TASK; i++) {
                    lock.lock();
                    try {
                        int v = counter[0];
                        Thread.yield();
                        counter[0] = v + 1;
                    } finally {
                        lock.unlock();
                    }
                }
            }));
        }
        for (Thread th : threads) {
            th.join();
        }
        return counter[0];
    }

    // ---------------------------------------------------------------- 4. read-mostly RwLock, 1,000 tasks

    /** 1,000 tasks, local RwLock, one operation in ten a write, each holder yields once while holding it. */
    @Benchmark
    @OperationsPerInvocation(TASKS * LOCKS_PER_TASK)
    public long rwLockReadMostlyWeftLocal() {
        return weft.run(() -> readMostly(RwLock.local(0)));
    }

    /** The same with the shared RwLock. */
    @Benchmark
    @OperationsPerInvocation(TASKS * LOCKS_PER_TASK)
    public long rwLockReadMostlyWeftShared() {
        return weft.run(() -> readMostly(RwLock.create(0)));
    }

    private static long readMostly(RwLock<Integer> lock) {
        long[] seen = new long[1];
        List<JoinHandle<Void>> tasks = new ArrayList<>(TASKS);
        for (int t = 0; t < TASKS; t++) {
            tasks.add(Weft.spawn(() -> {
                long sum = 0;
                for (int i = 0; i < LOCKS_PER_TASK; i++) {
                    if (i % 10 == 0) {
                        try (var g = lock.write().await()) {
                            int v = g.get();
                            Weft.yieldNow().await();
                            g.set(v + 1);
                        }
                    } else {
                        try (var g = lock.read().await()) {
                            int v = g.get();
                            Weft.yieldNow().await();
                            sum += v;
                        }
                    }
                }
                seen[0] += sum;
            }));
        }
        for (JoinHandle<Void> h : tasks) {
            h.await();
        }
        try (var g = lock.read().await()) {
            return g.get() + seen[0];
        }
    }

    /** Peer: 1,000 virtual threads, one fair ReentrantReadWriteLock, Thread.yield() while holding it. */
    @Benchmark
    @OperationsPerInvocation(TASKS * LOCKS_PER_TASK)
    public long rwLockReadMostlyVirtualThreadsReentrantReadWriteLock() throws InterruptedException {
        ReentrantReadWriteLock lock = new ReentrantReadWriteLock(true);
        int[] value = new int[1];
        LongAdder seen = new LongAdder();
        List<Thread> threads = new ArrayList<>(TASKS);
        for (int t = 0; t < TASKS; t++) {
            threads.add(Thread.ofVirtual().start(() -> {
                long sum = 0;
                for (int i = 0; i < LOCKS_PER_TASK; i++) {
                    if (i % 10 == 0) {
                        lock.writeLock().lock();
                        try {
                            int v = value[0];
                            Thread.yield();
                            value[0] = v + 1;
                        } finally {
                            lock.writeLock().unlock();
                        }
                    } else {
                        lock.readLock().lock();
                        try {
                            int v = value[0];
                            Thread.yield();
                            sum += v;
                        } finally {
                            lock.readLock().unlock();
                        }
                    }
                }
                seen.add(sum);
            }));
        }
        for (Thread th : threads) {
            th.join();
        }
        return value[0] + seen.sum();
    }
}
