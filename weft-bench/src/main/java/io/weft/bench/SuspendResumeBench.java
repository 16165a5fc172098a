package io.weft.bench;

import io.weft.LocalExecutor;
import io.weft.Weft;
import java.util.concurrent.TimeUnit;
import jdk.internal.vm.Continuation;
import jdk.internal.vm.ContinuationScope;
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
 * ns per suspend + resume, {@value #N} of them in a loop inside one task (one
 * continuation, one virtual thread) per invocation; the cost of creating that
 * task is amortized over N.
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
public class SuspendResumeBench {
    static final int N = 100_000;

    static final ContinuationScope SCOPE = new ContinuationScope("bench");

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

    /** weft: {@code Weft.yieldNow().await()} N times in one coroutine task (through the executor's run queue). */
    @Benchmark
    @OperationsPerInvocation(N)
    public int weftYieldNow() {
        return weft.run(() -> {
            int i = 0;
            for (; i < N; i++) {
                Weft.yieldNow().await();
            }
            return i;
        });
    }

    /** The floor: a raw {@code jdk.internal.vm.Continuation} yielding N times, resumed by a plain loop. */
    @Benchmark
    @OperationsPerInvocation(N)
    public int rawContinuation() {
        int[] count = new int[1];
        Continuation c = new Continuation(SCOPE, () -> {
            for (int i = 0; i < N; i++) {
                count[0]++;
                Continuation.yield(SCOPE);
            }
        });
        int resumes = 0;
        while (!c.isDone()) {
            c.run();
            resumes++;
        }
        return resumes + count[0];
    }

    /** A virtual thread calling {@code Thread.yield()} N times (default scheduler; it is alone, so it remounts at once). */
    @Benchmark
    @OperationsPerInvocation(N)
    public int vtThreadYield() throws InterruptedException {
        return vtYield();
    }

    /** As {@link #vtThreadYield} with the virtual-thread scheduler limited to one carrier. */
    @Benchmark
    @OperationsPerInvocation(N)
    @Fork(value = 1, jvmArgsAppend = {
            "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED",
            "--enable-native-access=ALL-UNNAMED",
            "-Xms2g", "-Xmx2g",
            "-Djdk.virtualThreadScheduler.parallelism=1",
            "-Djdk.virtualThreadScheduler.maxPoolSize=1"})
    public int vtThreadYield1Carrier() throws InterruptedException {
        return vtYield();
    }

    private static int vtYield() throws InterruptedException {
        int[] count = new int[1];
        Thread t = Thread.ofVirtual().start(() -> {
            for (int i = 0; i < N; i++) {
                count[0]++;
                Thread.yield();
            }
        });
        t.join();
        return count[0];
    }
}
