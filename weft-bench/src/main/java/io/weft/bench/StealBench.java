package io.weft.bench;

import io.weft.Context;
import io.weft.Future;
import io.weft.Futures;
import io.weft.JoinHandle;
import io.weft.Poll;
import io.weft.StealingExecutor;
import io.weft.Weft;
import io.weft.sync.Oneshot;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * tokio's {@code benches/rt_multi_threaded.rs} shapes, with its constants, on
 * 2 workers, ns per operation: weft's {@link StealingExecutor} beside
 * {@code ForkJoinPool(2)} with {@code CompletableFuture} and virtual threads
 * (scheduler parallelism 2, set for the fork).
 * <ul>
 *   <li>{@code spawnManyLocal}: one task spawns 10,000 that each count down
 *       a shared counter, and waits for the last (per spawned task);</li>
 *   <li>{@code spawnManyRemoteIdle}: 10,000 spawns from outside, then every
 *       handle awaited (per spawned task);</li>
 *   <li>{@code yieldMany}: 100 tasks x 1,000 yields (per yield);</li>
 *   <li>{@code pingPong}: 1,000 tasks, each spawning a partner and trading
 *       two oneshots with it (per pair);</li>
 *   <li>{@code chainedSpawn}: a chain of 1,000 spawns, each spawning the
 *       next (per spawn).</li>
 * </ul>
 * Each weft shape also runs with poll-based tasks ({@code ...WeftPoll}:
 * a {@link Future} spawned as a task, no continuation), the shape tokio's
 * own figures have (a Rust {@code async} block is a state machine, not a
 * stack): the difference between a shape's two weft rows is what the
 * continuations cost, the rest is the scheduler's.
 * ForkJoinPool's yield is a task that submits itself again, and its
 * ping-pong a task whose value comes back through a second, asynchronous
 * stage; virtual threads use {@code Thread.yield()} and two
 * {@link SynchronousQueue}s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
        "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED",
        "--enable-native-access=ALL-UNNAMED",
        "-Djdk.virtualThreadScheduler.parallelism=2"})
public class StealBench {
    static final int SPAWNS = 10_000;
    static final int YIELD_TASKS = 100;
    static final int YIELDS = 1_000;
    static final int PINGS = 1_000;
    static final int CHAIN = 1_000;
    static final Poll<Void> READY = Poll.ready(null);
    static final Future<Integer> ONE = Futures.ready(1);

    private StealingExecutor weft;
    private ForkJoinPool fjp;
    private ExecutorService vts;

    @Setup(Level.Trial)
    public void setup() {
        weft = StealingExecutor.builder().workers(2).name("steal-bench").build();
        fjp = new ForkJoinPool(2);
        vts = Executors.newVirtualThreadPerTaskExecutor();
        Tenure.now();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        weft.close();
        fjp.shutdown();
        vts.close();
    }

    // ---- spawn_many_local ----

    @Benchmark
    @OperationsPerInvocation(SPAWNS)
    public int spawnManyLocalWeft() {
        return weft.blockOn(() -> {
            AtomicInteger left = new AtomicInteger(SPAWNS);
            Oneshot<Integer> done = Oneshot.create();
            for (int i = 0; i < SPAWNS; i++) {
                Weft.spawn(() -> {
                    if (left.decrementAndGet() == 0) {
                        done.send(1);
                    }
                    return null;
                });
            }
            return done.recv().await();
        });
    }

    /** The same with poll-based tasks (no continuation: the shape of a Rust async block). */
    @Benchmark
    @OperationsPerInvocation(SPAWNS)
    public int spawnManyLocalWeftPoll() {
        return weft.blockOn(() -> {
            AtomicInteger left = new AtomicInteger(SPAWNS);
            Oneshot<Integer> done = Oneshot.create();
            for (int i = 0; i < SPAWNS; i++) {
                Weft.spawn(cx -> {
                    if (left.decrementAndGet() == 0) {
                        done.send(1);
                    }
                    return READY;
                });
            }
            return done.recv().await();
        });
    }

    @Benchmark
    @OperationsPerInvocation(SPAWNS)
    public int spawnManyLocalForkJoin() {
        return CompletableFuture.supplyAsync(() -> {
            AtomicInteger left = new AtomicInteger(SPAWNS);
            CompletableFuture<Integer> done = new CompletableFuture<>();
            for (int i = 0; i < SPAWNS; i++) {
                CompletableFuture.runAsync(() -> {
                    if (left.decrementAndGet() == 0) {
                        done.complete(1);
                    }
                }, fjp);
            }
            return done.join();
        }, fjp).join();
    }

    @Benchmark
    @OperationsPerInvocation(SPAWNS)
    public int spawnManyLocalVirtualThreads() throws Exception {
        return vts.submit(() -> {
            CountDownLatch left = new CountDownLatch(SPAWNS);
            for (int i = 0; i < SPAWNS; i++) {
                Thread.ofVirtual().start(left::countDown);
            }
            left.await();
            return 1;
        }).get();
    }

    // ---- spawn_many_remote_idle ----

    @Benchmark
    @OperationsPerInvocation(SPAWNS)
    public long spawnManyRemoteIdleWeft() {
        List<JoinHandle<Integer>> hs = new ArrayList<>(SPAWNS);
        for (int i = 0; i < SPAWNS; i++) {
            hs.add(weft.spawn(() -> 1));
        }
        long s = 0;
        for (JoinHandle<Integer> h : hs) {
            s += h.await();
        }
        return s;
    }

    @Benchmark
    @OperationsPerInvocation(SPAWNS)
    public long spawnManyRemoteIdleWeftPoll() {
        List<JoinHandle<Integer>> hs = new ArrayList<>(SPAWNS);
        for (int i = 0; i < SPAWNS; i++) {
            hs.add(weft.spawn(ONE));
        }
        long s = 0;
        for (JoinHandle<Integer> h : hs) {
            s += h.await();
        }
        return s;
    }

    @Benchmark
    @OperationsPerInvocation(SPAWNS)
    public long spawnManyRemoteIdleForkJoin() {
        List<CompletableFuture<Integer>> fs = new ArrayList<>(SPAWNS);
        for (int i = 0; i < SPAWNS; i++) {
            fs.add(CompletableFuture.supplyAsync(() -> 1, fjp));
        }
        long s = 0;
        for (CompletableFuture<Integer> f : fs) {
            s += f.join();
        }
        return s;
    }

    @Benchmark
    @OperationsPerInvocation(SPAWNS)
    public long spawnManyRemoteIdleVirtualThreads() throws InterruptedException {
        List<Thread> ts = new ArrayList<>(SPAWNS);
        for (int i = 0; i < SPAWNS; i++) {
            ts.add(Thread.ofVirtual().start(() -> { }));
        }
        for (Thread t : ts) {
            t.join();
        }
        return ts.size();
    }

    // ---- yield_many ----

    @Benchmark
    @OperationsPerInvocation(YIELD_TASKS * YIELDS)
    public int yieldManyWeft() {
        return weft.blockOn(() -> {
            List<JoinHandle<Void>> hs = new ArrayList<>(YIELD_TASKS);
            for (int t = 0; t < YIELD_TASKS; t++) {
                hs.add(Weft.spawn(() -> {
                    for (int i = 0; i < YIELDS; i++) {
                        Weft.yieldNow().await();
                    }
                    return null;
                }));
            }
            for (JoinHandle<Void> h : hs) {
                h.await();
            }
            return hs.size();
        });
    }

    /** A poll-based task that wakes itself and returns pending YIELDS times (tokio's yield_now). */
    @Benchmark
    @OperationsPerInvocation(YIELD_TASKS * YIELDS)
    public int yieldManyWeftPoll() {
        return weft.blockOn(() -> {
            List<JoinHandle<Void>> hs = new ArrayList<>(YIELD_TASKS);
            for (int t = 0; t < YIELD_TASKS; t++) {
                hs.add(Weft.spawn(new Future<Void>() {
                    int left = YIELDS;

                    @Override
                    public Poll<Void> poll(Context cx) {
                        if (--left == 0) {
                            return READY;
                        }
                        cx.waker().wake();
                        return Poll.pending();
                    }
                }));
            }
            for (JoinHandle<Void> h : hs) {
                h.await();
            }
            return hs.size();
        });
    }

    /** A task that submits itself again YIELDS times: ForkJoinPool's yield. */
    @Benchmark
    @OperationsPerInvocation(YIELD_TASKS * YIELDS)
    public int yieldManyForkJoin() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(YIELD_TASKS);
        for (int t = 0; t < YIELD_TASKS; t++) {
            fjp.execute(new Runnable() {
                int left = YIELDS;

                @Override
                public void run() {
                    if (--left == 0) {
                        done.countDown();
                    } else {
                        fjp.execute(this);
                    }
                }
            });
        }
        done.await();
        return YIELD_TASKS;
    }

    @Benchmark
    @OperationsPerInvocation(YIELD_TASKS * YIELDS)
    public int yieldManyVirtualThreads() throws InterruptedException {
        List<Thread> ts = new ArrayList<>(YIELD_TASKS);
        for (int t = 0; t < YIELD_TASKS; t++) {
            ts.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < YIELDS; i++) {
                    Thread.yield();
                }
            }));
        }
        for (Thread t : ts) {
            t.join();
        }
        return ts.size();
    }

    // ---- ping_pong ----

    @Benchmark
    @OperationsPerInvocation(PINGS)
    public int pingPongWeft() {
        return weft.blockOn(() -> {
            AtomicInteger left = new AtomicInteger(PINGS);
            Oneshot<Integer> done = Oneshot.create();
            for (int i = 0; i < PINGS; i++) {
                Weft.spawn(() -> {
                    Oneshot<Integer> ping = Oneshot.create();
                    Oneshot<Integer> pong = Oneshot.create();
                    Weft.spawn(() -> {
                        pong.send(ping.recv().await());
                        return null;
                    });
                    ping.send(1);
                    pong.recv().await();
                    if (left.decrementAndGet() == 0) {
                        done.send(1);
                    }
                    return null;
                });
            }
            return done.recv().await();
        });
    }

    /** The same with poll-based tasks: the partner maps its oneshot into the other. */
    @Benchmark
    @OperationsPerInvocation(PINGS)
    public int pingPongWeftPoll() {
        return weft.blockOn(() -> {
            AtomicInteger left = new AtomicInteger(PINGS);
            Oneshot<Integer> done = Oneshot.create();
            for (int i = 0; i < PINGS; i++) {
                Weft.spawn(new Future<Void>() {
                    Future<Integer> pong;

                    @Override
                    public Poll<Void> poll(Context cx) {
                        if (pong == null) {
                            Oneshot<Integer> ping = Oneshot.create();
                            Oneshot<Integer> back = Oneshot.create();
                            Weft.spawn(ping.recv().map(v -> {
                                back.send(v);
                                return null;
                            }));
                            ping.send(1);
                            pong = back.recv();
                        }
                        if (!pong.poll(cx).isReady()) {
                            return Poll.pending();
                        }
                        if (left.decrementAndGet() == 0) {
                            done.send(1);
                        }
                        return READY;
                    }
                });
            }
            return done.recv().await();
        });
    }

    @Benchmark
    @OperationsPerInvocation(PINGS)
    public int pingPongForkJoin() {
        AtomicInteger left = new AtomicInteger(PINGS);
        CompletableFuture<Integer> done = new CompletableFuture<>();
        for (int i = 0; i < PINGS; i++) {
            fjp.execute(() -> {
                CompletableFuture<Integer> ping = new CompletableFuture<>();
                CompletableFuture<Integer> pong = ping.thenApplyAsync(v -> v, fjp);
                ping.complete(1);
                pong.thenRun(() -> {
                    if (left.decrementAndGet() == 0) {
                        done.complete(1);
                    }
                });
            });
        }
        return done.join();
    }

    @Benchmark
    @OperationsPerInvocation(PINGS)
    public int pingPongVirtualThreads() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(PINGS);
        for (int i = 0; i < PINGS; i++) {
            Thread.ofVirtual().start(() -> {
                SynchronousQueue<Integer> ping = new SynchronousQueue<>();
                SynchronousQueue<Integer> pong = new SynchronousQueue<>();
                Thread.ofVirtual().start(() -> {
                    try {
                        pong.put(ping.take());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                try {
                    ping.put(1);
                    pong.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                done.countDown();
            });
        }
        done.await();
        return PINGS;
    }

    // ---- chained_spawn ----

    @Benchmark
    @OperationsPerInvocation(CHAIN)
    public int chainedSpawnWeft() {
        return weft.blockOn(() -> {
            Oneshot<Integer> done = Oneshot.create();
            Weft.spawn(() -> chainWeft(done, CHAIN));
            return done.recv().await();
        });
    }

    static Void chainWeft(Oneshot<Integer> done, int n) {
        if (n == 0) {
            done.send(1);
        } else {
            Weft.spawn(() -> chainWeft(done, n - 1));
        }
        return null;
    }

    @Benchmark
    @OperationsPerInvocation(CHAIN)
    public int chainedSpawnWeftPoll() {
        return weft.blockOn(() -> {
            Oneshot<Integer> done = Oneshot.create();
            Weft.spawn(chainWeftPoll(done, CHAIN));
            return done.recv().await();
        });
    }

    static Future<Void> chainWeftPoll(Oneshot<Integer> done, int n) {
        return cx -> {
            if (n == 0) {
                done.send(1);
            } else {
                Weft.spawn(chainWeftPoll(done, n - 1));
            }
            return READY;
        };
    }

    @Benchmark
    @OperationsPerInvocation(CHAIN)
    public int chainedSpawnForkJoin() {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        fjp.execute(() -> chainForkJoin(done, CHAIN));
        return done.join();
    }

    private void chainForkJoin(CompletableFuture<Integer> done, int n) {
        if (n == 0) {
            done.complete(1);
        } else {
            fjp.execute(() -> chainForkJoin(done, n - 1));
        }
    }

    @Benchmark
    @OperationsPerInvocation(CHAIN)
    public int chainedSpawnVirtualThreads() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        Thread.ofVirtual().start(() -> chainVirtual(done, CHAIN));
        done.await();
        return 1;
    }

    private static void chainVirtual(CountDownLatch done, int n) {
        if (n == 0) {
            done.countDown();
        } else {
            Thread.ofVirtual().start(() -> chainVirtual(done, n - 1));
        }
    }
}
