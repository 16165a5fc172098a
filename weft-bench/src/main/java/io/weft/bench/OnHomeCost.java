package io.weft.bench;

import io.weft.JoinHandle;
import io.weft.StealingExecutor;
import io.weft.Weft;
import io.weft.fs.File;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What a file operation costs a task of another worker of a
 * StealingExecutor than the file's (it runs on the file's worker, as a task
 * there: {@code io.weft.executor.OnHome}) against the same operation from a
 * task on the file's worker: a 4 KiB {@code readAt}, {@code n} times, both
 * workers otherwise idle (so each hop wakes a parked worker, and the answer
 * wakes the caller's). Run:
 * {@code java --add-exports java.base/jdk.internal.vm=ALL-UNNAMED --enable-native-access=ALL-UNNAMED
 * -Dweft.driver=io_uring -cp weft-bench/target/benchmarks.jar io.weft.bench.OnHomeCost [n [spinBeforePark in us]]}.
 */
public final class OnHomeCost {
    private OnHomeCost() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        long spinMicros = args.length > 1 ? Long.parseLong(args[1]) : 0;
        Path p = Files.createTempFile("weft-onhome", ".bin");
        Files.write(p, new byte[4096]);
        try (StealingExecutor ex = StealingExecutor.builder().workers(2).name("onhome")
                .spinBeforePark(java.time.Duration.ofNanos(spinMicros * 1000)).build()) {
            ex.blockOn(() -> {
                try (File f = File.open(p, StandardOpenOption.READ).await()) {
                    for (int round = 0; round < 5; round++) {
                        long local = reads(f, n);
                        String home = Thread.currentThread().getName();
                        AtomicReference<String> started = new AtomicReference<>();
                        JoinHandle<Long> afar = Weft.spawn(() -> {
                            started.set(Thread.currentThread().getName());
                            return reads(f, n);
                        });
                        Weft.spawn(() -> { }); // displaces it from the LIFO slot: the other worker steals it
                        while (started.get() == null) {
                            Thread.onSpinWait(); // holds this worker until the other has started it
                        }
                        long other = afar.await();
                        System.out.printf("round %d: readAt 4 KiB from the file's worker %.2f us, from the other worker"
                                + " %.2f us%s%n", round, local / 1000.0 / n, other / 1000.0 / n,
                                started.get().equals(home) ? " (ran on the file's worker: not a measure)" : "");
                    }
                }
                return null;
            });
        } finally {
            Files.deleteIfExists(p);
        }
    }

    private static long reads(File f, int n) {
        ByteBuffer b = ByteBuffer.allocate(4096);
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            f.readAt(b.clear(), 0).await();
        }
        return System.nanoTime() - t0;
    }
}
