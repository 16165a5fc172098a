package io.weft.bench;

import io.weft.JoinHandle;
import io.weft.LocalExecutor;
import io.weft.StealingExecutor;
import io.weft.Weft;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;

/**
 * What a newcomer's first program sees: a burst of a million tasks in a
 * fresh, plain JVM (default G1, no tuning, no warm-up), round after round,
 * each round's time printed, so the first round (JIT and heap still cold)
 * shows beside the steady state. One mode per JVM, so that every mode's
 * first round is a first round:
 * <ul>
 *   <li>{@code yield-weft}: 1,000,000 {@code Weft.spawn} tasks on one
 *       LocalExecutor, each {@code Weft.yieldNow().await()} once (all
 *       suspended at once), then joined;</li>
 *   <li>{@code yield-vt}: 1,000,000 virtual threads, each
 *       {@code Thread.yield()} once, then joined;</li>
 *   <li>{@code spawn-weft}: 1,000,000 {@code Weft.spawn(() -> i)}, then
 *       joined;</li>
 *   <li>{@code spawn-fjp}: 1,000,000 {@code CompletableFuture.supplyAsync}
 *       on a {@code ForkJoinPool(1)}, then joined;</li>
 *   <li>{@code spawn-steal1}, {@code spawn-steal2}: {@code spawn-weft} in a
 *       task of a StealingExecutor of 1 or 2 workers;
 *       {@code spawn-fjp2}: {@code spawn-fjp} on a {@code ForkJoinPool(2)}.</li>
 * </ul>
 * <pre>
 * java --add-exports java.base/jdk.internal.vm=ALL-UNNAMED --enable-native-access=ALL-UNNAMED -Xmx4g \
 *      -cp weft-bench/target/benchmarks.jar io.weft.bench.FirstBurst yield-weft [rounds] [tasks]
 * </pre>
 * Prints one line per round: {@code <mode> round <i>: <ms> ms, <ns> ns/task}.
 */
public final class FirstBurst {
    private FirstBurst() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "yield-weft";
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 1_000_000;
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            long sum = switch (mode) {
                case "yield-weft" -> weft(n, true);
                case "spawn-weft" -> weft(n, false);
                case "yield-vt" -> virtualThreads(n);
                case "spawn-fjp" -> forkJoin(n, 1);
                case "spawn-fjp2" -> forkJoin(n, 2);
                case "spawn-steal1" -> stealing(n, 1);
                case "spawn-steal2" -> stealing(n, 2);
                default -> throw new IllegalArgumentException("unknown mode " + mode
                        + " (yield-weft, yield-vt, spawn-weft, spawn-fjp, spawn-fjp2, spawn-steal1, spawn-steal2)");
            };
            long t = System.nanoTime() - t0;
            if (sum != (long) n * (n - 1) / 2) {
                throw new AssertionError(mode + ": wrong sum " + sum);
            }
            System.out.printf(Locale.ROOT, "%s round %d: %.0f ms, %.0f ns/task%n", mode, r, t / 1e6, (double) t / n);
        }
    }

    static long weft(int n, boolean yield) {
        try (LocalExecutor ex = LocalExecutor.create()) {
            return ex.run(() -> spawnAndJoin(n, yield));
        }
    }

    static long stealing(int n, int workers) {
        try (StealingExecutor ex = StealingExecutor.builder().workers(workers).build()) {
            return ex.blockOn(() -> spawnAndJoin(n, false));
        }
    }

    /** In a task: n tasks spawned (each yielding once, if asked), then joined; the sum of their values. */
    private static long spawnAndJoin(int n, boolean yield) {
        List<JoinHandle<Integer>> hs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int v = i;
            hs.add(yield ? Weft.spawn(() -> {
                Weft.yieldNow().await();
                return v;
            }) : Weft.spawn(() -> v));
        }
        long s = 0;
        for (JoinHandle<Integer> h : hs) {
            s += h.await();
        }
        return s;
    }

    static long virtualThreads(int n) throws InterruptedException {
        List<Thread> ts = new ArrayList<>(n);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            int v = i;
            ts.add(Thread.ofVirtual().start(() -> {
                Thread.yield();
                out[v] = v;
            }));
        }
        long s = 0;
        for (int i = 0; i < n; i++) {
            ts.get(i).join();
            s += out[i];
        }
        return s;
    }

    static long forkJoin(int n, int parallelism) {
        ForkJoinPool pool = new ForkJoinPool(parallelism);
        try {
            List<CompletableFuture<Integer>> fs = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int v = i;
                fs.add(CompletableFuture.supplyAsync(() -> v, pool));
            }
            long s = 0;
            for (CompletableFuture<Integer> f : fs) {
                s += f.join();
            }
            return s;
        } finally {
            pool.shutdown();
        }
    }
}
