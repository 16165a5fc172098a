package io.weft.bench;

import io.weft.Clock;
import io.weft.JoinHandle;
import io.weft.LocalExecutor;
import io.weft.Waker;
import io.weft.Weft;
import io.weft.time.Timers;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
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
 * {@value #N} concurrent sleeps, each inserted and fired, reported as ns per
 * sleep (run with {@code -prof gc}: {@code gc.alloc.rate.norm} is bytes per
 * sleep). Each sleep's delay, relative to when it is armed, is
 * {@code delayMs} plus a random 0-10 % (the same delays for every peer), long
 * enough that the timers really are all armed at once.
 *
 * <p><b>Read the figures against the idle floor.</b> An invocation lasts at
 * least the longest delay (~1.1 x {@code delayMs}), so every wall-clock figure
 * holds about {@code 1.1 x delayMs / N} of waiting (1,100 ns per sleep at
 * the default 1,000 ms); {@link #idleFloor} measures that floor alone. Cost of
 * a sleep = figure - floor. {@link #weftWheelOnly} has no floor: the wheel on a
 * paused clock, without tasks.
 *
 * <ul>
 *   <li>{@code weftSleepTasks}: one executor thread, N coroutine tasks each
 *       {@code Weft.sleep(d).await()}, joined by the root (spawn, continuation,
 *       suspend, timer, wake, resume, join).</li>
 *   <li>{@code virtualThreadSleep}: N virtual threads each {@code Thread.sleep(d)}, joined.</li>
 *   <li>{@code scheduledThreadPool}: one {@link ScheduledThreadPoolExecutor}
 *       thread (a binary heap), N {@code schedule(r, d)}, a latch.</li>
 *   <li>{@code weftWheelOnly}: N {@link Timers#add} with a shared waker, then
 *       the loop a paused executor would run (jump to {@code nextDeadline},
 *       {@code fire}) until all fired.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {
        "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED",
        "--enable-native-access=ALL-UNNAMED",
        "-Xms4g", "-Xmx4g"})
public class TimerBench {
    static final int N = 1_000_000;

    /** The base delay of each sleep, in ms; each gets base + random(0..10 %). */
    @Param({"1000"})
    public int delayMs;

    private Duration[] delays;
    private long[] delayNanos;
    private LocalExecutor weft;
    private ScheduledThreadPoolExecutor stpe;
    private Thread[] threads;
    private JoinHandle<?>[] handles;

    @Setup(Level.Trial)
    public void setup() {
        Random rnd = new Random(17);
        delays = new Duration[N];
        delayNanos = new long[N];
        long base = TimeUnit.MILLISECONDS.toNanos(delayMs);
        for (int i = 0; i < N; i++) {
            delayNanos[i] = base + (long) (rnd.nextDouble() * base / 10);
            delays[i] = Duration.ofNanos(delayNanos[i]);
        }
        weft = LocalExecutor.create();
        stpe = new ScheduledThreadPoolExecutor(1);
        stpe.prestartAllCoreThreads();
        threads = new Thread[N];
        handles = new JoinHandle<?>[N];
        Tenure.now();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        weft.close();
        stpe.shutdownNow();
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int weftSleepTasks() {
        return weft.run(() -> {
            JoinHandle<?>[] hs = handles;
            Duration[] ds = delays;
            for (int i = 0; i < N; i++) {
                Duration d = ds[i];
                hs[i] = Weft.spawn(() -> Weft.sleep(d).await());
            }
            int n = 0;
            for (int i = 0; i < N; i++) {
                hs[i].await();
                hs[i] = null;
                n++;
            }
            return n;
        });
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int virtualThreadSleep() throws InterruptedException {
        Thread[] ts = threads;
        Duration[] ds = delays;
        for (int i = 0; i < N; i++) {
            Duration d = ds[i];
            ts[i] = Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(d);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        int n = 0;
        for (int i = 0; i < N; i++) {
            ts[i].join();
            ts[i] = null;
            n++;
        }
        return n;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long scheduledThreadPool() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(N);
        Runnable r = done::countDown;
        long[] ds = delayNanos;
        for (int i = 0; i < N; i++) {
            stpe.schedule(r, ds[i], TimeUnit.NANOSECONDS);
        }
        done.await();
        return done.getCount();
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long weftWheelOnly() {
        Clock.Paused clock = Clock.paused();
        Timers timers = new Timers(clock);
        long[] fired = new long[1];
        Waker w = () -> fired[0]++;
        long[] ds = delayNanos;
        for (int i = 0; i < N; i++) {
            timers.add(ds[i], w);
        }
        while (!timers.isEmpty()) {
            clock.advanceTo(timers.nextDeadline());
            timers.fire(clock.nanoTime());
        }
        return fired[0];
    }

    /** The floor of the wall-clock peers: just waiting for the longest delay, per sleep. */
    @Benchmark
    @OperationsPerInvocation(N)
    public long idleFloor() throws InterruptedException {
        long longest = TimeUnit.MILLISECONDS.toNanos(delayMs) * 11 / 10;
        Thread.sleep(Duration.ofNanos(longest));
        return longest;
    }
}
