package io.weft.bench;

import io.weft.Future;
import io.weft.JoinHandle;
import io.weft.LocalExecutor;
import io.weft.Poll;
import io.weft.Weft;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Spawn + join of {@value #N} empty tasks, reported as ns per task. Each
 * invocation spawns all {@code N} tasks into an array, then joins each in
 * order; all peers do exactly that.
 *
 * <p>{@code -p batch=K} (K divides N) instead spawns K, joins those K, and
 * repeats N/K times: the same N tasks per invocation, with only K live at
 * once (K = 1000 keeps the live tasks in cache; the default K = N is the
 * headline figure).
 *
 * <p>Why N = 100,000: it amortizes the per-invocation cost (weft: one
 * {@code LocalExecutor.run} with its root task and continuation, ~ 1-2 us) to
 * well below 0.1 ns/task, and it keeps one invocation short enough (weft
 * ~ 5-20 ms, virtual threads ~ 100-200 ms) that a 2 s iteration holds many of
 * them. With 1,000,000 a virtual-thread invocation nears a whole iteration
 * and the 1M live handles mostly measure old-generation promotion.
 *
 * <p>"One thread": weft runs everything on the benchmark thread. The JDK
 * peers need a second thread (the submitter and one worker), except
 * {@code vtInVt1Carrier}, where a root virtual thread spawns and joins its
 * children on the same single carrier.
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
public class SpawnJoinBench {
    static final int N = 100_000;

    /** A poll-based future that is ready at once (and allocates nothing when polled). */
    static final Future<Object> READY = cx -> Poll.ready(null);

    /** Tasks live at once: spawn {@code batch}, join them, repeat until N. */
    @Param({"100000"})
    public int batch;

    private LocalExecutor weft;
    private ForkJoinPool fjp1;
    private ExecutorService single;

    @Setup(Level.Trial)
    public void setup() {
        if (batch <= 0 || N % batch != 0) {
            throw new IllegalArgumentException("batch " + batch + " must divide N = " + N);
        }
        weft = LocalExecutor.create();
        fjp1 = new ForkJoinPool(1);
        single = Executors.newSingleThreadExecutor();
        Tenure.now();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        weft.close();
        fjp1.shutdown();
        single.shutdown();
        fjp1.awaitTermination(10, TimeUnit.SECONDS);
        single.awaitTermination(10, TimeUnit.SECONDS);
    }

    /** weft: coroutine tasks ({@code Weft.spawn(Callable)}), joined with {@code await()}. */
    @Benchmark
    @OperationsPerInvocation(N)
    public int weftCoroutine() {
        int k = batch;
        return weft.run(() -> {
            @SuppressWarnings("unchecked")
            JoinHandle<Object>[] hs = new JoinHandle[k];
            int n = 0;
            for (int r = N / k; r > 0; r--) {
                for (int i = 0; i < k; i++) {
                    hs[i] = Weft.spawn(() -> null);
                }
                for (JoinHandle<Object> h : hs) {
                    if (h.await() == null) {
                        n++;
                    }
                }
            }
            return n;
        });
    }

    /** weft: poll-based tasks ({@code Weft.spawn(Future)}) of an already-ready future: no continuation. */
    @Benchmark
    @OperationsPerInvocation(N)
    public int weftPollFuture() {
        int k = batch;
        return weft.run(() -> {
            @SuppressWarnings("unchecked")
            JoinHandle<Object>[] hs = new JoinHandle[k];
            int n = 0;
            for (int r = N / k; r > 0; r--) {
                for (int i = 0; i < k; i++) {
                    hs[i] = Weft.spawn(READY);
                }
                for (JoinHandle<Object> h : hs) {
                    if (h.await() == null) {
                        n++;
                    }
                }
            }
            return n;
        });
    }

    /** Virtual threads on the default scheduler (2 carriers here), started and joined by the benchmark thread. */
    @Benchmark
    @OperationsPerInvocation(N)
    public int vtDefault() throws InterruptedException {
        return startJoinVirtual(batch);
    }

    /** As {@link #vtDefault}, with the virtual-thread scheduler limited to one carrier. */
    @Benchmark
    @OperationsPerInvocation(N)
    @Fork(value = 1, jvmArgsAppend = {
            "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED",
            "--enable-native-access=ALL-UNNAMED",
            "-Xms2g", "-Xmx2g",
            "-Djdk.virtualThreadScheduler.parallelism=1",
            "-Djdk.virtualThreadScheduler.maxPoolSize=1"})
    public int vt1Carrier() throws InterruptedException {
        return startJoinVirtual(batch);
    }

    /** One carrier, and the spawning/joining is itself a virtual thread: everything on one thread, like weft. */
    @Benchmark
    @OperationsPerInvocation(N)
    @Fork(value = 1, jvmArgsAppend = {
            "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED",
            "--enable-native-access=ALL-UNNAMED",
            "-Xms2g", "-Xmx2g",
            "-Djdk.virtualThreadScheduler.parallelism=1",
            "-Djdk.virtualThreadScheduler.maxPoolSize=1"})
    public int vtInVt1Carrier() throws Exception {
        int[] out = new int[1];
        Exception[] err = new Exception[1];
        Thread root = Thread.ofVirtual().start(() -> {
            try {
                out[0] = startJoinVirtual(batch);
            } catch (Exception e) {
                err[0] = e;
            }
        });
        root.join();
        if (err[0] != null) {
            throw err[0];
        }
        return out[0];
    }

    private static final Runnable EMPTY = () -> { };

    private static int startJoinVirtual(int k) throws InterruptedException {
        Thread[] ts = new Thread[k];
        Thread.Builder b = Thread.ofVirtual();
        int n = 0;
        for (int r = N / k; r > 0; r--) {
            for (int i = 0; i < k; i++) {
                ts[i] = b.start(EMPTY);
            }
            for (Thread t : ts) {
                t.join();
                n++;
            }
        }
        return n;
    }

    /** {@code CompletableFuture.supplyAsync} on a 1-thread ForkJoinPool, joined by the benchmark thread. */
    @Benchmark
    @OperationsPerInvocation(N)
    public int fjp1CompletableFuture() {
        return supplyJoin(fjp1, batch);
    }

    /** As {@link #fjp1CompletableFuture} on the common pool (parallelism = cores - 1 = 1 here). */
    @Benchmark
    @OperationsPerInvocation(N)
    public int fjpCommonCompletableFuture() {
        return supplyJoin(ForkJoinPool.commonPool(), batch);
    }

    private static int supplyJoin(ForkJoinPool pool, int k) {
        @SuppressWarnings("unchecked")
        CompletableFuture<Object>[] fs = new CompletableFuture[k];
        int n = 0;
        for (int r = N / k; r > 0; r--) {
            for (int i = 0; i < k; i++) {
                fs[i] = CompletableFuture.supplyAsync(() -> null, pool);
            }
            for (CompletableFuture<Object> f : fs) {
                if (f.join() == null) {
                    n++;
                }
            }
        }
        return n;
    }

    static final jdk.internal.vm.ContinuationScope SCOPE = new jdk.internal.vm.ContinuationScope("bench");

    /**
     * Not a peer but the floor under {@link #weftCoroutine}: create and run to
     * its end a raw {@code jdk.internal.vm.Continuation} whose body returns at
     * once (never yields), N times; no executor, no join.
     */
    @Benchmark
    @OperationsPerInvocation(N)
    public int rawContinuationCreateRun() {
        int n = 0;
        for (int i = 0; i < N; i++) {
            jdk.internal.vm.Continuation c = new jdk.internal.vm.Continuation(SCOPE, EMPTY);
            c.run();
            if (c.isDone()) {
                n++;
            }
        }
        return n;
    }

    /** {@code Executors.newSingleThreadExecutor()}: submit + {@code Future.get}, from the benchmark thread. */
    @Benchmark
    @OperationsPerInvocation(N)
    public int singleThreadExecutor() throws InterruptedException, ExecutionException {
        int k = batch;
        @SuppressWarnings("unchecked")
        java.util.concurrent.Future<Object>[] fs = new java.util.concurrent.Future[k];
        int n = 0;
        for (int r = N / k; r > 0; r--) {
            for (int i = 0; i < k; i++) {
                fs[i] = single.submit(() -> null);
            }
            for (java.util.concurrent.Future<Object> f : fs) {
                if (f.get() == null) {
                    n++;
                }
            }
        }
        return n;
    }
}
