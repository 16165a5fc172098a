package io.weft.bench;

import io.weft.Context;
import io.weft.Future;
import io.weft.JoinHandle;
import io.weft.LocalExecutor;
import io.weft.Poll;
import io.weft.Waker;
import io.weft.Weft;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * Bytes of heap per suspended task: N weft coroutine tasks suspended in
 * {@code gate.await()} versus N virtual threads parked in
 * {@code LockSupport.park()}. Heap is measured after full GCs, before the
 * tasks exist and while all of them are suspended; the arrays that hold the
 * handles / threads and the gate's wakers are allocated before the first
 * measurement, so they are not counted. Then all are released and must all
 * complete.
 *
 * <pre>
 * java --add-exports java.base/jdk.internal.vm=ALL-UNNAMED --enable-native-access=ALL-UNNAMED \
 *      -Xms4g -Xmx4g -XX:+UseParallelGC -cp weft-bench/target/benchmarks.jar io.weft.bench.MemoryPerTask [N] [weft|vt|both|cont]
 * </pre>
 * {@code cont} measures the floor under any continuation-based task: bare
 * JDK continuations, each suspended one call below its entry.
 * Add {@code -Dhistogram=true} to print where the bytes are (the class
 * histogram while the tasks are suspended; that takes an extra full GC).
 * <pre>
 * </pre>
 */
public final class MemoryPerTask {
    private MemoryPerTask() {
    }

    private static final MemoryMXBean MEM = ManagementFactory.getMemoryMXBean();

    /** Heap in use after GCs, once it has settled (two readings within 64 KiB, or 10 rounds). */
    static long usedAfterGc() {
        long prev = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            long used = MEM.getHeapMemoryUsage().getUsed();
            if (Math.abs(prev - used) < 64 * 1024 && i >= 2) {
                return used;
            }
            prev = used;
        }
        return prev;
    }

    /**
     * A future pending until {@link #open()}: every poll while closed stores
     * the waker in a preallocated array. One thread only (the executor's).
     */
    static final class Gate implements Future<Void> {
        final Waker[] wakers;
        int count;
        boolean open;

        Gate(int capacity) {
            wakers = new Waker[capacity];
        }

        @Override
        public Poll<Void> poll(Context cx) {
            if (open) {
                return Poll.ready(null);
            }
            wakers[count++] = cx.waker();
            return Poll.pending();
        }

        void open() {
            open = true;
            for (int i = 0; i < count; i++) {
                wakers[i].wake();
                wakers[i] = null;
            }
        }
    }

    /** With -Dhistogram=true: the top of the heap's class histogram, printed while all tasks are suspended. */
    static final boolean HISTOGRAM = Boolean.getBoolean("histogram");

    static void histogram(String label) {
        if (!HISTOGRAM) {
            return;
        }
        try {
            var server = ManagementFactory.getPlatformMBeanServer();
            var name = new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand");
            String h = (String) server.invoke(name, "gcClassHistogram", new Object[] {new String[0]},
                    new String[] {String[].class.getName()});
            System.out.println("class histogram while suspended: " + label);
            h.lines().limit(14).forEach(l -> System.out.println("  " + l));
        } catch (Exception e) {
            System.out.println("class histogram unavailable: " + e);
        }
    }

    record Result(String what, int n, long before, long during, long after, long suspendNanos, long releaseNanos,
                  int completed) {
        double bytesPerTask() {
            return (double) (during - before) / n;
        }
    }

    static Gate gate;

    static Result weft(int n, boolean measured) {
        try (LocalExecutor ex = LocalExecutor.create()) {
            return ex.run(() -> {
                gate = new Gate(n);
                @SuppressWarnings("unchecked")
                JoinHandle<Integer>[] hs = new JoinHandle[n];
                long before = usedAfterGc();
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    hs[i] = Weft.spawn(MemoryPerTask::gated);
                }
                Weft.yieldNow().await(); // the root goes behind all n tasks: each runs until it suspends
                long t1 = System.nanoTime();
                if (gate.count != n) {
                    throw new IllegalStateException("only " + gate.count + " of " + n + " tasks suspended");
                }
                long during = usedAfterGc();
                if (measured) {
                    histogram("weft");
                }
                long t2 = System.nanoTime();
                gate.open();
                int done = 0;
                for (JoinHandle<Integer> h : hs) {
                    done += h.await();
                }
                long t3 = System.nanoTime();
                java.util.Arrays.fill(hs, null);
                gate = null;
                long after = usedAfterGc();
                return new Result("weft coroutine task (gate.await())", n, before, during, after, t1 - t0, t3 - t2, done);
            });
        }
    }

    private static int gated() {
        gate.await();
        return 1;
    }

    static volatile boolean released;

    private static void parked() {
        while (!released) {
            LockSupport.park();
        }
    }

    static Result virtualThreads(int n, boolean measured) throws InterruptedException {
        released = false;
        Thread[] ts = new Thread[n];
        long before = usedAfterGc();
        long t0 = System.nanoTime();
        Thread.Builder b = Thread.ofVirtual();
        for (int i = 0; i < n; i++) {
            ts[i] = b.start(MemoryPerTask::parked);
        }
        for (Thread t : ts) { // wait until every one is parked
            while (t.getState() != Thread.State.WAITING) {
                Thread.onSpinWait();
                Thread.yield();
            }
        }
        long t1 = System.nanoTime();
        long during = usedAfterGc();
        if (measured) {
            histogram("virtual threads");
        }
        long t2 = System.nanoTime();
        released = true;
        for (Thread t : ts) {
            LockSupport.unpark(t);
        }
        int done = 0;
        for (Thread t : ts) {
            t.join();
            if (!t.isAlive()) {
                done++;
            }
        }
        long t3 = System.nanoTime();
        java.util.Arrays.fill(ts, null);
        long after = usedAfterGc();
        return new Result("virtual thread (LockSupport.park())", n, before, during, after, t1 - t0, t3 - t2, done);
    }

    static final jdk.internal.vm.ContinuationScope BARE = new jdk.internal.vm.ContinuationScope("bare");

    private static void bareBody() {
        jdk.internal.vm.Continuation.yield(BARE);
    }

    /**
     * Not a peer: the floor under any task built on the JDK's continuation,
     * one bare {@code Continuation} suspended in a method its entry calls
     * (no task object, no waker, no future), each resumed to its end after.
     */
    static Result bareContinuations(int n, boolean measured) {
        jdk.internal.vm.Continuation[] cs = new jdk.internal.vm.Continuation[n];
        long before = usedAfterGc();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            cs[i] = new jdk.internal.vm.Continuation(BARE, MemoryPerTask::bareBody);
            cs[i].run();
        }
        long t1 = System.nanoTime();
        long during = usedAfterGc();
        if (measured) {
            histogram("bare continuations");
        }
        long t2 = System.nanoTime();
        int done = 0;
        for (jdk.internal.vm.Continuation c : cs) {
            c.run();
            if (c.isDone()) {
                done++;
            }
        }
        long t3 = System.nanoTime();
        java.util.Arrays.fill(cs, null);
        long after = usedAfterGc();
        return new Result("bare JDK Continuation (the floor)", n, before, during, after, t1 - t0, t3 - t2, done);
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 1_000_000;
        String which = args.length > 1 ? args[1] : "both";
        System.out.printf(Locale.ROOT, "MemoryPerTask: %,d suspended tasks; java %s; GC %s; max heap %d MiB; %d CPUs%n",
                n, System.getProperty("java.version"),
                ManagementFactory.getGarbageCollectorMXBeans().stream().map(g -> g.getName()).toList(),
                Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors());

        List<Result> rs = new ArrayList<>();
        // Warm-up rounds of each (class loading, JIT of the spawn and suspend paths): a task frozen
        // while its frames are still interpreted has a bigger stack chunk than one frozen from compiled code.
        int warm = Math.min(n, 100_000);
        if (which.equals("both") || which.equals("weft")) {
            for (int i = 0; i < 3; i++) {
                weft(warm, false);
            }
            rs.add(weft(n, true));
        }
        if (which.equals("both") || which.equals("vt")) {
            for (int i = 0; i < 3; i++) {
                virtualThreads(warm, false);
            }
            rs.add(virtualThreads(n, true));
        }

        if (which.equals("cont")) {
            for (int i = 0; i < 3; i++) {
                bareContinuations(warm, false);
            }
            rs.add(bareContinuations(n, true));
        }

        System.out.println();
        System.out.printf(Locale.ROOT, "%-38s %12s %12s %12s %10s %12s %12s %10s%n",
                "task kind", "heap before", "suspended", "released", "B/task", "suspend ns/t", "release ns/t", "completed");
        for (Result r : rs) {
            System.out.printf(Locale.ROOT, "%-38s %10.1fMB %10.1fMB %10.1fMB %10.1f %12.1f %12.1f %,10d%n",
                    r.what(), r.before() / 1e6, r.during() / 1e6, r.after() / 1e6, r.bytesPerTask(),
                    (double) r.suspendNanos() / r.n(), (double) r.releaseNanos() / r.n(), r.completed());
        }
        if (rs.size() == 2) {
            System.out.printf(Locale.ROOT, "%nbytes per suspended task: weft %.0f B, virtual thread %.0f B; weft / vt = %.2f%n",
                    rs.get(0).bytesPerTask(), rs.get(1).bytesPerTask(), rs.get(0).bytesPerTask() / rs.get(1).bytesPerTask());
        }
        boolean ok = rs.stream().allMatch(r -> r.completed() == r.n());
        System.out.println(ok ? "all tasks completed after release" : "FAILED: not every task completed");
        if (!ok) {
            System.exit(1);
        }
    }
}
