package io.weft.bench.fs;

import com.sun.nio.file.ExtendedOpenOption;
import io.weft.Driver;
import io.weft.JoinHandle;
import io.weft.LocalExecutor;
import io.weft.Weft;
import io.weft.bench.Args;
import io.weft.bench.Histogram;
import io.weft.fs.DmaFile;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Random 4 KiB reads with O_DIRECT, as {@code fio --rw=randread --direct=1
 * --bs=4k --iodepth=32} does, for a warm-up and then a measured time:
 * <ul>
 *   <li>{@code --engine weft}: one executor (pinned with {@code --pin}, on
 *       {@code --driver}), {@code --depth} tasks each awaiting
 *       {@link DmaFile#readAt} in a loop;
 *   <li>{@code --engine threads}: the JDK peer, {@code --depth} platform
 *       threads of a fixed pool, each calling {@link FileChannel#read(ByteBuffer, long)}
 *       on one channel opened with {@link ExtendedOpenOption#DIRECT};
 *   <li>{@code --engine virtual}: the same with one virtual thread each.
 * </ul>
 * Offsets are uniform over the file's whole blocks. A read counts when it
 * started after the warm-up and ended before the deadline. Prints a human line
 * and {@code RESULT iops=... p50_us=... p99_us=...}.
 *
 * <pre>
 * taskset -c 0 java --add-exports java.base/jdk.internal.vm=ALL-UNNAMED --enable-native-access=ALL-UNNAMED \
 *      -cp weft-bench/target/benchmarks.jar io.weft.bench.fs.DmaRandomRead --file F \
 *      [--engine weft|threads|virtual] [--driver uring|epoll|nio] [--pin 0] [--depth 32] [--bs 4096]
 *      [--warmup 2] [--duration 10]
 * </pre>
 */
public final class DmaRandomRead {
    private DmaRandomRead() {
    }

    /** What every reader shares: the file's block count and the time window. */
    private record Plan(long blocks, int bs, long measureFrom, long end) {
        long offset(SplittableRandom rnd) {
            return rnd.nextLong(blocks) * bs;
        }
    }

    public static void main(String[] argv) throws Exception {
        Args a = Args.parse(argv, Set.of("file", "engine", "driver", "pin", "depth", "bs", "warmup", "duration"));
        Path file = Path.of(a.get("file", "randread.dat"));
        String engine = a.get("engine", "weft");
        int depth = a.getInt("depth", 32);
        int bs = a.getInt("bs", DmaFile.ALIGNMENT);
        long blocks = Files.size(file) / bs;
        if (blocks == 0) {
            throw new IllegalArgumentException(file + " is smaller than one " + bs + "-byte block");
        }
        long start = System.nanoTime();
        long measureFrom = start + (long) (a.getDouble("warmup", 2) * 1e9);
        Plan plan = new Plan(blocks, bs, measureFrom, measureFrom + (long) (a.getDouble("duration", 10) * 1e9));

        List<Histogram> hs = switch (engine) {
            case "weft" -> weft(file, plan, depth, a.get("driver", null), a.getInt("pin", -1));
            case "threads" -> threads(file, plan, depth, Executors.newFixedThreadPool(depth));
            case "virtual" -> threads(file, plan, depth, Executors.newVirtualThreadPerTaskExecutor());
            default -> throw new IllegalArgumentException("--engine " + engine + ": expected weft, threads or virtual");
        };
        Histogram all = new Histogram();
        hs.forEach(all::add);
        double seconds = (plan.end - plan.measureFrom) / 1e9;
        double iops = all.count() / seconds;
        System.out.printf(Locale.ROOT, "randread %s: %s, depth %d, %d B, %.1f s: %.0f IOPS, %s%n",
                engine, file, depth, bs, seconds, iops, all.summary());
        System.out.printf(Locale.ROOT, "RESULT iops=%.0f p50_us=%.1f p99_us=%.1f max_us=%.1f%n",
                iops, all.percentile(0.5) / 1e3, all.percentile(0.99) / 1e3, all.max() / 1e3);
    }

    private static List<Histogram> weft(Path file, Plan plan, int depth, String driver, int pin) {
        LocalExecutor.Builder b = LocalExecutor.builder().name("randread");
        if (driver != null) {
            b.driver(Driver.valueOf(driver.toUpperCase(Locale.ROOT).replace("IO_URING", "URING")));
        }
        if (pin >= 0) {
            b.pinTo(pin);
        }
        try (LocalExecutor ex = b.build(); Arena arena = Arena.ofShared()) {
            return ex.run(() -> {
                System.out.println("randread weft: driver " + Weft.current().driver());
                SplittableRandom rnd = new SplittableRandom(42); // one thread: shared by the tasks
                try (DmaFile f = DmaFile.open(file, StandardOpenOption.READ).await()) {
                    List<JoinHandle<Histogram>> tasks = new ArrayList<>();
                    for (int t = 0; t < depth; t++) {
                        MemorySegment buf = DmaFile.allocate(arena, plan.bs);
                        tasks.add(Weft.spawn(() -> {
                            Histogram h = new Histogram();
                            for (;;) {
                                long t0 = System.nanoTime();
                                if (t0 >= plan.end) {
                                    return h;
                                }
                                int n = f.readAt(buf, plan.offset(rnd)).await();
                                long t1 = System.nanoTime();
                                if (n != plan.bs) {
                                    throw new IllegalStateException("short read: " + n);
                                }
                                if (t0 >= plan.measureFrom && t1 <= plan.end) {
                                    h.record(t1 - t0);
                                }
                            }
                        }));
                    }
                    List<Histogram> hs = new ArrayList<>();
                    for (JoinHandle<Histogram> t : tasks) {
                        hs.add(t.await());
                    }
                    return hs;
                }
            });
        }
    }

    private static List<Histogram> threads(Path file, Plan plan, int depth, ExecutorService pool)
            throws IOException, InterruptedException, java.util.concurrent.ExecutionException {
        try (pool; FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, ExtendedOpenOption.DIRECT)) {
            List<Future<Histogram>> tasks = new ArrayList<>();
            for (int t = 0; t < depth; t++) {
                long seed = 42 + t;
                tasks.add(pool.submit(() -> {
                    // aligned as O_DIRECT needs; alignedSlice may leave more than bs, so cut it to bs
                    ByteBuffer buf = ByteBuffer.allocateDirect(plan.bs + DmaFile.ALIGNMENT)
                            .alignedSlice(DmaFile.ALIGNMENT).limit(plan.bs).slice();
                    SplittableRandom rnd = new SplittableRandom(seed);
                    Histogram h = new Histogram();
                    for (;;) {
                        long t0 = System.nanoTime();
                        if (t0 >= plan.end) {
                            return h;
                        }
                        int n = ch.read(buf.clear(), plan.offset(rnd));
                        long t1 = System.nanoTime();
                        if (n != plan.bs) {
                            throw new IllegalStateException("short read: " + n);
                        }
                        if (t0 >= plan.measureFrom && t1 <= plan.end) {
                            h.record(t1 - t0);
                        }
                    }
                }));
            }
            List<Histogram> hs = new ArrayList<>();
            for (Future<Histogram> t : tasks) {
                hs.add(t.get());
            }
            return hs;
        }
    }
}
