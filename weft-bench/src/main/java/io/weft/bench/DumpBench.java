package io.weft.bench;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.weft.LocalExecutor;
import io.weft.StealingExecutor;
import io.weft.TaskInfo;
import io.weft.Weft;
import io.weft.sync.Notify;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * ms to dump {@value #N} suspended tasks with the stack where each waits,
 * asked from another thread: weft's {@code dumpTasks()} on a LocalExecutor
 * and on a StealingExecutor of 2 workers, beside the JDK's thread dump of
 * {@value #N} parked virtual threads ({@code HotSpotDiagnosticMXBean.dumpThreads},
 * what {@code jcmd Thread.dump_to_file} runs), each task or thread three
 * frames deep in the program's own code.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {
        "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED",
        "--enable-native-access=ALL-UNNAMED", "-Dweft.jmx=false",
        "-Xms2g", "-Xmx2g"})
public class DumpBench {
    static final int N = 10_000;

    private LocalExecutor local;
    private StealingExecutor stealing;
    private final Notify gate = Notify.create();
    private final CountDownLatch latch = new CountDownLatch(1);
    private Thread[] virtualThreads;
    private Path dir;
    private int file;

    static void a(Notify gate) {
        b(gate);
    }

    static void b(Notify gate) {
        c(gate);
    }

    static void c(Notify gate) {
        gate.notified().await();
    }

    static void a(CountDownLatch l) throws InterruptedException {
        b(l);
    }

    static void b(CountDownLatch l) throws InterruptedException {
        c(l);
    }

    static void c(CountDownLatch l) throws InterruptedException {
        l.await();
    }

    @Setup(Level.Trial)
    public void setup() throws Exception {
        local = LocalExecutor.builder().name("dump-local").start();
        stealing = StealingExecutor.builder().name("dump-steal").workers(2).build();
        for (int i = 0; i < N; i++) {
            local.spawn(() -> {
                a(gate);
                return null;
            });
            stealing.spawn(() -> {
                a(gate);
                return null;
            });
        }
        virtualThreads = new Thread[N];
        for (int i = 0; i < N; i++) {
            virtualThreads[i] = Thread.ofVirtual().start(() -> {
                try {
                    a(latch);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        while (suspended(local.dumpTasks()) < N || suspended(stealing.dumpTasks()) < N) {
            Thread.sleep(10); // setup only: wait for every task to reach its await
        }
        dir = Files.createTempDirectory("dumpbench");
        Tenure.now();
    }

    private static long suspended(List<TaskInfo> tasks) {
        return tasks.stream().filter(t -> t.state() == TaskInfo.State.SUSPENDED && t.stack().length > 0).count();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        gate.notifyWaiters();
        latch.countDown();
        local.close();
        stealing.close();
        for (Thread t : virtualThreads) {
            t.join();
        }
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    /** weft: every task of a LocalExecutor, asked from the benchmark thread (the loop answers between polls). */
    @Benchmark
    public int weftLocal() {
        return local.dumpTasks().size();
    }

    /** weft: every task of a StealingExecutor of 2 workers (each worker lists its own). */
    @Benchmark
    public int weftStealing() {
        return stealing.dumpTasks().size();
    }

    /** weft: the same as text, as an operator gets it. */
    @Benchmark
    public int weftLocalText() {
        return TaskInfo.toText(local.dumpTasks()).length();
    }

    /** The JDK: a plain-text thread dump of the process, with its parked virtual threads. */
    @Benchmark
    public long virtualThreadDump() throws IOException {
        Path out = dir.resolve("dump-" + file++ + ".txt");
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                .dumpThreads(out.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.TEXT_PLAIN);
        long size = Files.size(out);
        Files.delete(out);
        return size;
    }
}
