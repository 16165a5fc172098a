package io.weft.bench;

import io.weft.JoinHandle;
import io.weft.LocalExecutorPool;
import java.util.concurrent.CountDownLatch;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Work submitted from a thread that is not the executor's: {@value #N} small
 * tasks handed to one worker thread, reported as ns per task, beside the
 * JDK's two ways to do the same on one worker thread.
 *
 * <ul>
 *   <li>{@code *Execute}: fire and count: each task counts a latch down; the
 *       benchmark thread waits for the latch. weft: {@code pool.spawnOn(0,
 *       body)} on a pool of one executor (the handle is dropped);
 *       ForkJoinPool(1).execute; a single-thread ExecutorService's
 *       execute.</li>
 *   <li>{@code *SubmitAndJoin}: each submission's handle is kept and all are
 *       joined in order: {@code spawnOn} + {@code JoinHandle.await()};
 *       {@code ExecutorService.submit} + {@code Future.get()};
 *       {@code ForkJoinPool.submit} + {@code join()}.</li>
 * </ul>
 * The worker parks when it runs dry in every peer, so both the submission
 * road (weft: the remote queue and its unpark; JDK: the pool's queue) and the
 * wake-ups are in the figure.
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
public class SubmitBench {
    static final int N = 10_000;

    private LocalExecutorPool pool;
    private ForkJoinPool fjp1;
    private ExecutorService single;

    @Setup(Level.Trial)
    public void setup() {
        pool = LocalExecutorPool.builder().name("submit").executors(1).build();
        fjp1 = new ForkJoinPool(1);
        single = Executors.newSingleThreadExecutor();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
        fjp1.shutdownNow();
        single.shutdownNow();
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void weftExecute() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(N);
        for (int i = 0; i < N; i++) {
            pool.spawnOn(0, () -> {
                done.countDown();
                return null;
            });
        }
        done.await();
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void forkJoinExecute() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(N);
        for (int i = 0; i < N; i++) {
            fjp1.execute(done::countDown);
        }
        done.await();
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void executorServiceExecute() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(N);
        for (int i = 0; i < N; i++) {
            single.execute(done::countDown);
        }
        done.await();
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long weftSubmitAndJoin() {
        @SuppressWarnings("unchecked")
        JoinHandle<Integer>[] hs = new JoinHandle[N];
        for (int i = 0; i < N; i++) {
            int k = i;
            hs[i] = pool.spawnOn(0, () -> k & 1);
        }
        long sum = 0;
        for (JoinHandle<Integer> h : hs) {
            sum += h.await();
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long executorServiceSubmitAndJoin() throws InterruptedException, ExecutionException {
        @SuppressWarnings("unchecked")
        java.util.concurrent.Future<Integer>[] fs = new java.util.concurrent.Future[N];
        for (int i = 0; i < N; i++) {
            int k = i;
            fs[i] = single.submit(() -> k & 1);
        }
        long sum = 0;
        for (java.util.concurrent.Future<Integer> f : fs) {
            sum += f.get();
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long forkJoinSubmitAndJoin() {
        @SuppressWarnings("unchecked")
        java.util.concurrent.ForkJoinTask<Integer>[] fs = new java.util.concurrent.ForkJoinTask[N];
        for (int i = 0; i < N; i++) {
            int k = i;
            fs[i] = fjp1.submit(() -> k & 1);
        }
        long sum = 0;
        for (java.util.concurrent.ForkJoinTask<Integer> f : fs) {
            sum += f.join();
        }
        return sum;
    }
}
