package io.weft.examples;

import io.weft.JoinHandle;
import io.weft.Latency;
import io.weft.LocalExecutor;
import io.weft.Shares;
import io.weft.TaskCancelledException;
import io.weft.TaskQueueHandle;
import io.weft.Weft;
import io.weft.sync.Channel;
import io.weft.sync.ChannelClosedException;
import io.weft.sync.Receiver;
import io.weft.sync.Sender;
import io.weft.time.Interval;
import io.weft.time.TimedOutException;
import io.weft.time.Timeout;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A short tour of weft: a million tasks, two task queues sharing the CPU
 * 1:3, an aborted task that runs its {@code finally}, timers, a channel, and
 * the same work on one executor and on a pool of one executor per CPU.
 */
public final class Tour {
    public static void main(String[] args) {
        try (LocalExecutor ex = LocalExecutor.builder().name("tour").preemptTimer(Duration.ofMillis(5)).build()) {
            ex.run(() -> {
                millionTasks();
                sharesOneToThree();
                abortRunsFinally();
                timers();
                channel();
                return null;
            });
            var s = ex.stats();
            System.out.printf("%nexecutor '%s': %,d tasks spawned, %,d completed, %,d polls%n",
                    s.name(), s.tasksSpawned(), s.tasksCompleted(), s.polls());
        }
        pool();
    }

    /**
     * The same CPU-bound work (counting primes in ranges, a task per range)
     * on one executor, then on a pool with one executor per usable CPU, each
     * pinned by maxSpread; the pool prints where each executor runs.
     */
    static void pool() {
        int cpus = Runtime.getRuntime().availableProcessors();
        for (int executors : new int[] {1, cpus}) {
            try (var pool = io.weft.LocalExecutorPool.builder().name("tour-pool").executors(executors)
                    .placement(io.weft.Placement.maxSpread()).build()) {
                long t0 = System.nanoTime();
                java.util.List<JoinHandle<Long>> parts = new java.util.ArrayList<>();
                int ranges = 64;
                for (int r = 0; r < ranges; r++) {
                    int from = r * 20_000;
                    parts.add(pool.spawnOn(r % pool.size(), () -> primes(from, from + 20_000)));
                }
                long total = 0;
                for (JoinHandle<Long> h : parts) {
                    total += h.await(); // main waits; each range runs on its executor
                }
                long ms = (System.nanoTime() - t0) / 1_000_000;
                StringBuilder where = new StringBuilder();
                for (int[] c : pool.cpus()) {
                    where.append(where.isEmpty() ? "" : ", ").append(java.util.Arrays.toString(c));
                }
                System.out.printf("7. %,d primes below %,d on %d executor(s) (CPUs %s) in %d ms%n",
                        total, ranges * 20_000, executors, where, ms);
            }
        }
    }

    /** Primes in [from, to), by trial division, yielding now and then so the executor stays responsive. */
    private static long primes(int from, int to) {
        long n = 0;
        for (int k = Math.max(2, from); k < to; k++) {
            boolean prime = true;
            for (int d = 2; (long) d * d <= k; d++) {
                if (k % d == 0) {
                    prime = false;
                    break;
                }
            }
            if (prime) {
                n++;
            }
            Weft.yieldIfNeeded();
        }
        return n;
    }

    /**
     * Spawn a million coroutine tasks and join them all, three rounds. The
     * first round is a cold JVM's: the JIT compiles the spawn and poll paths
     * while it runs, and the collector copies the million tasks, all alive
     * at once (a spawned task runs once its spawner suspends); the third is
     * nearer the steady state a long-running server sees. BENCHMARKS.md has
     * both, beside ForkJoinPool and virtual threads.
     */
    static void millionTasks() {
        int n = 1_000_000;
        System.out.println("1. a million tasks, three rounds: the first is a cold JVM's (JIT, GC), the third"
                + " nearer the steady state");
        for (int round = 1; round <= 3; round++) {
            long t0 = System.nanoTime();
            @SuppressWarnings("unchecked")
            JoinHandle<Integer>[] hs = new JoinHandle[n];
            for (int i = 0; i < n; i++) {
                int k = i;
                hs[i] = Weft.spawn(() -> k & 1);
            }
            long sum = 0;
            for (JoinHandle<Integer> h : hs) {
                sum += h.await();
            }
            long t1 = System.nanoTime();
            System.out.printf("   round %d: spawned and joined %,d tasks in %d ms (%.0f ns/task%s, sum %,d)%n",
                    round, n, (t1 - t0) / 1_000_000, (t1 - t0) / (double) n,
                    round == 1 ? ", cold" : round == 3 ? ", warm" : "", sum);
        }
    }

    /** Two queues with shares 100 and 300, each with a CPU-bound task: they split the CPU 1:3. */
    static void sharesOneToThree() {
        TaskQueueHandle small = Weft.createTaskQueue("small", Shares.fixed(100), Latency.notImportant());
        TaskQueueHandle big = Weft.createTaskQueue("big", Shares.fixed(300), Latency.notImportant());
        AtomicBoolean stop = new AtomicBoolean();
        long[] work = new long[2];
        JoinHandle<Void> a = Weft.spawnInto(small, () -> spin(stop, work, 0));
        JoinHandle<Void> b = Weft.spawnInto(big, () -> spin(stop, work, 1));
        long until = System.nanoTime() + 1_000_000_000L;
        while (System.nanoTime() < until) {
            Weft.sleep(Duration.ofMillis(50)).await();
        }
        stop.set(true);
        a.await();
        b.await();
        long rs = small.stats().runtimeNanos();
        long rb = big.stats().runtimeNanos();
        System.out.printf("2. queues with shares 100 and 300 ran %d ms and %d ms of CPU: ratio 1:%.2f%n",
                rs / 1_000_000, rb / 1_000_000, rb / (double) rs);
    }

    private static Void spin(AtomicBoolean stop, long[] work, int slot) {
        while (!stop.get()) {
            work[slot]++;
            Weft.yieldIfNeeded();
        }
        return null;
    }

    /** A task suspended in a long sleep is aborted: its finally block runs, its handle says cancelled. */
    static void abortRunsFinally() {
        StringBuilder log = new StringBuilder();
        JoinHandle<Void> sleeper = Weft.spawn(() -> {
            try {
                log.append("sleeping; ");
                Weft.sleep(Duration.ofHours(1)).await();
                log.append("woke up?! ");
            } finally {
                log.append("finally ran");
            }
        });
        Weft.yieldNow().await(); // let it start and suspend
        sleeper.abort();
        try {
            sleeper.await();
        } catch (TaskCancelledException e) {
            log.append("; await says: cancelled");
        }
        System.out.println("3. aborted a sleeping task: " + log);
    }

    /** An interval ticking every 20 ms, and a timeout that cuts a slow task short (its finally runs). */
    static void timers() {
        Interval every20 = Interval.every(Duration.ofMillis(20));
        long start = System.nanoTime();
        StringBuilder ticks = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            every20.tick().await();
            ticks.append(i == 0 ? "" : ", ").append((System.nanoTime() - start) / 1_000_000).append(" ms");
        }
        System.out.println("4. an interval of 20 ms ticked at " + ticks);

        StringBuilder log = new StringBuilder();
        JoinHandle<String> slow = Weft.spawn(() -> {
            try {
                Weft.sleep(Duration.ofHours(1)).await();
                return "done";
            } finally {
                log.append("slow task's finally ran");
            }
        });
        long t0 = System.nanoTime();
        try {
            Timeout.of(Duration.ofMillis(30), slow).await();
        } catch (TimedOutException e) {
            long late = System.nanoTime() - t0;
            try {
                slow.await(); // the timeout aborted it: this waits until it has unwound
            } catch (TaskCancelledException cancelled) {
                log.append(", and it reports cancelled");
            }
            System.out.printf("5. a 30 ms timeout cut a one-hour task short after %d ms: %s%n",
                    late / 1_000_000, log);
        }
    }

    /** A producer and a consumer task through a bounded channel: backpressure, then end of stream. */
    static void channel() {
        Channel<Integer> ch = Channel.localBounded(4);
        Sender<Integer> tx = ch.sender();
        Receiver<Integer> rx = ch.receiver();
        JoinHandle<Void> producer = Weft.spawn(() -> {
            try (tx) {
                for (int i = 1; i <= 1000; i++) {
                    tx.send(i).await(); // suspends while 4 values wait
                }
            }
        });
        long sum = 0;
        int received = 0;
        try {
            for (;;) {
                sum += rx.recv().await();
                received++;
            }
        } catch (ChannelClosedException endOfStream) {
            producer.await();
        }
        System.out.printf("6. a consumer received %,d values (sum %,d) through a channel of 4 slots, then the end of the stream%n",
                received, sum);
    }
}
