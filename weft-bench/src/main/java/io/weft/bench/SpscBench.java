package io.weft.bench;

import io.weft.LocalExecutor;
import io.weft.sync.Channel;
import io.weft.sync.SpscChannel;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
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
 * Values from one thread to another through a bounded queue of 1,024, ns
 * per value, 1,000,000 values per invocation; every peer parks a side that
 * cannot go on at once (no spinning) and is woken by the other side:
 * <ul>
 *   <li>{@code twoExecutorsWeftSpsc}: {@link SpscChannel} between two
 *       LocalExecutors on two threads, a producer task on one
 *       ({@code send(v).await()}) and a consumer task on the other
 *       ({@code recv().await()}): what a task pays, suspensions and
 *       cross-executor wakes included;</li>
 *   <li>{@code twoThreadsWeftSpsc}: the same channel between two plain
 *       threads ({@code await()} parks the thread): the channel without the
 *       executors;</li>
 *   <li>{@code twoThreadsJctoolsSpscPark}: JCTools' {@link SpscArrayQueue}
 *       behind a park/unpark handshake of our own ({@link ParkingQueue}), with
 *       the full fence per put and per take that such a handshake needs;</li>
 *   <li>{@code twoThreadsArrayBlockingQueue}: {@link ArrayBlockingQueue}
 *       put/take;</li>
 *   <li>{@code twoExecutorsWeftSharedChannel}: weft's lock-based shared
 *       {@code Channel.bounded} between the same two executors, the choice
 *       before the SPSC channel.</li>
 * </ul>
 * The value is one boxed Integer, sent again and again (no allocation per
 * value by the peers). Each invocation starts the producer's thread (and,
 * for the executor rows, its executor); the consumer is the benchmark thread
 * (running its own executor, made once per trial).
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
public class SpscBench {
    static final int VALUES = 1_000_000;
    static final int CAPACITY = 1024;
    static final Integer BOXED = 7;

    private LocalExecutor consumer;

    /**
     * How long each executor spins before it parks ({@code -Dspsc.spinMicros}, default 0: the rows
     * above park at once, as the JCTools handshake does); to see what spinning in the idle loop buys.
     */
    static final long SPIN_MICROS = Long.getLong("spsc.spinMicros", 0);

    static LocalExecutor.Builder executor(String name) {
        return LocalExecutor.builder().name(name).spinBeforePark(java.time.Duration.ofNanos(SPIN_MICROS * 1_000));
    }

    @Setup(Level.Trial)
    public void setup() {
        consumer = executor("spsc-bench-consumer").build();
        Tenure.now();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        consumer.close();
    }

    /** Starts a thread whose own LocalExecutor runs {@code body} as its root task. */
    private static Thread producerExecutor(Runnable body) {
        return Thread.ofPlatform().name("spsc-bench-producer").start(() -> {
            try (LocalExecutor ex = executor("spsc-bench-producer").build()) {
                ex.run(() -> {
                    body.run();
                    return null;
                });
            }
        });
    }

    @Benchmark
    @OperationsPerInvocation(VALUES)
    public long twoExecutorsWeftSpsc() throws InterruptedException {
        SpscChannel<Integer> ch = SpscChannel.create(CAPACITY);
        Thread producer = producerExecutor(() -> {
            for (int i = 0; i < VALUES; i++) {
                ch.sender().send(BOXED).await();
            }
        });
        long sum = consumer.run(() -> {
            long s = 0;
            for (int i = 0; i < VALUES; i++) {
                s += ch.receiver().recv().await();
            }
            return s;
        });
        producer.join();
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(VALUES)
    public long twoThreadsWeftSpsc() throws InterruptedException {
        SpscChannel<Integer> ch = SpscChannel.create(CAPACITY);
        Thread producer = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < VALUES; i++) {
                ch.sender().send(BOXED).await();
            }
        });
        long sum = 0;
        for (int i = 0; i < VALUES; i++) {
            sum += ch.receiver().recv().await();
        }
        producer.join();
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(VALUES)
    public long twoExecutorsWeftSharedChannel() throws InterruptedException {
        Channel<Integer> ch = Channel.bounded(CAPACITY);
        Thread producer = producerExecutor(() -> {
            for (int i = 0; i < VALUES; i++) {
                ch.sender().send(BOXED).await();
            }
        });
        long sum = consumer.run(() -> {
            long s = 0;
            for (int i = 0; i < VALUES; i++) {
                s += ch.receiver().recv().await();
            }
            return s;
        });
        producer.join();
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(VALUES)
    public long twoThreadsJctoolsSpscPark() throws InterruptedException {
        ParkingQueue<Integer> q = ParkingQueue.spsc(CAPACITY);
        Thread producer = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < VALUES; i++) {
                q.put(BOXED);
            }
        });
        long sum = 0;
        for (int i = 0; i < VALUES; i++) {
            sum += q.take();
        }
        producer.join();
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(VALUES)
    public long twoThreadsArrayBlockingQueue() throws InterruptedException {
        ArrayBlockingQueue<Integer> q = new ArrayBlockingQueue<>(CAPACITY);
        Thread producer = Thread.ofPlatform().start(() -> {
            try {
                for (int i = 0; i < VALUES; i++) {
                    q.put(BOXED);
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
}
