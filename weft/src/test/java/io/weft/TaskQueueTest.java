package io.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Task queues: validation, ownership, counters, shares and latency. */
class TaskQueueTest {

    @Test
    void sharesAndLatencyValidation() {
        assertThatThrownBy(() -> Shares.fixed(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0")
                .hasMessageContaining("between 1 and 1000");
        assertThatThrownBy(() -> Shares.fixed(1001))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1001")
                .hasMessageContaining("between 1 and 1000");
        assertThatThrownBy(() -> Shares.fixed(-5)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Shares.fixed(1).current()).isEqualTo(1);
        assertThat(Shares.fixed(1000).current()).isEqualTo(1000);
        assertThat(Shares.dynamic(() -> 5000).current()).isEqualTo(1000);
        assertThat(Shares.dynamic(() -> -1).current()).isEqualTo(1);

        assertThatThrownBy(() -> Latency.matters(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("positive");
        assertThatThrownBy(() -> Latency.matters(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Latency.matters(null)).isInstanceOf(NullPointerException.class);
        assertThat(Latency.matters(Duration.ofMillis(1)).nanos()).isEqualTo(1_000_000);
        assertThat(Latency.notImportant().isImportant()).isFalse();
    }

    @Test
    void createTaskQueueRejectsNullArguments() {
        try (var ex = LocalExecutor.create()) {
            ex.run(() -> {
                assertThatThrownBy(() -> Weft.createTaskQueue(null, Shares.fixed(1), Latency.notImportant()))
                        .isInstanceOf(NullPointerException.class);
                assertThatThrownBy(() -> Weft.createTaskQueue("q", null, Latency.notImportant()))
                        .isInstanceOf(NullPointerException.class);
                assertThatThrownBy(() -> Weft.createTaskQueue("q", Shares.fixed(1), null))
                        .isInstanceOf(NullPointerException.class);
                return null;
            });
        }
    }

    @Test
    void spawnIntoAQueueOfAnotherExecutorIsRejected() {
        try (var a = LocalExecutor.create(); var b = LocalExecutor.create()) {
            TaskQueueHandle qa = a.run(() -> Weft.createTaskQueue("of-a", Shares.fixed(10), Latency.notImportant()));
            TaskQueueHandle foreign = new TaskQueueHandle() {
                @Override
                public String name() {
                    return "fake";
                }

                @Override
                public TaskQueueStats stats() {
                    return null;
                }
            };
            b.run(() -> {
                assertThatThrownBy(() -> Weft.spawnInto(qa, () -> 1))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("of-a")
                        .hasMessageContaining("another executor");
                assertThatThrownBy(() -> Weft.spawnInto(foreign, () -> 1))
                        .isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> Weft.spawnInto(null, () -> 1))
                        .isInstanceOf(NullPointerException.class);
                return null;
            });
            assertThat(b.stats().tasksSpawned()).as("only the root").isEqualTo(1);
            // the queue still works on its own executor
            assertThat(a.run(() -> Weft.spawnInto(qa, () -> 7).await())).isEqualTo(7);
        }
    }

    @Test
    void statsCountSpawnedAndCompletedPerQueue() {
        try (var ex = LocalExecutor.builder().onUnobservedFailure((n, e) -> { }).build()) {
            TaskQueueHandle[] qs = ex.run(() -> {
                var q1 = Weft.createTaskQueue("one", Shares.fixed(100), Latency.notImportant());
                var q2 = Weft.createTaskQueue("two", Shares.fixed(500), Latency.matters(Duration.ofMillis(5)));
                List<JoinHandle<Integer>> hs = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    int k = i;
                    hs.add(Weft.spawnInto(q1, () -> {
                        Weft.yieldNow().await();
                        return k;
                    }));
                }
                for (int i = 0; i < 3; i++) {
                    hs.add(Weft.spawnInto(q2, () -> {
                        throw new RuntimeException("fails");
                    }));
                }
                var aborted = Weft.spawnInto(q2, () -> 0);
                aborted.abort();
                assertThat(q1.stats().tasksSpawned()).isEqualTo(5);
                assertThat(q1.stats().tasksCompleted()).isZero();
                for (var h : hs) {
                    try {
                        h.await();
                    } catch (TaskFailedException ignored) {
                        // counted as completed
                    }
                }
                assertThatThrownBy(aborted::await).isInstanceOf(TaskCancelledException.class);
                return new TaskQueueHandle[] {q1, q2};
            });
            TaskQueueStats s1 = qs[0].stats();
            TaskQueueStats s2 = qs[1].stats();
            assertThat(s1.name()).isEqualTo("one");
            assertThat(s1.shares()).isEqualTo(100);
            assertThat(s1.tasksSpawned()).isEqualTo(5);
            assertThat(s1.tasksCompleted()).isEqualTo(5);
            assertThat(s1.polls()).isEqualTo(10); // each task: one poll, yield, one more
            assertThat(s2.name()).isEqualTo("two");
            assertThat(s2.shares()).isEqualTo(500);
            assertThat(s2.tasksSpawned()).isEqualTo(4);
            assertThat(s2.tasksCompleted()).isEqualTo(4);
            ExecutorStats es = ex.stats();
            assertThat(es.queues()).extracting(TaskQueueStats::name).containsExactly("default", "one", "two");
            assertThat(es.queues().get(0).tasksSpawned()).isEqualTo(1); // the root
            assertThat(es.tasksSpawned()).isEqualTo(10);
            assertThat(es.tasksCompleted()).isEqualTo(10);
            assertThat(es.polls()).isEqualTo(es.queues().stream().mapToLong(TaskQueueStats::polls).sum());
        }
    }

    /**
     * Whether the 100-share queue has had more than 20 slices and the two
     * queues' vruntimes are within one of its 5 ms slices (50 ms of
     * vruntime), or the run has gone on 5 s. A slice stretched by the
     * machine (the thread off its CPU, a GC) charges its queue more, and
     * the scheduler evens that out over the next slices: stopping before it
     * has would measure the stretch, not the shares, and on a loaded machine
     * fewer, longer slices fit in the same time.
     */
    private static boolean caughtUp(TaskQueueHandle q1, TaskQueueHandle q2) {
        long apart = Math.abs(q1.stats().vruntime() - q2.stats().vruntime());
        return (apart <= Duration.ofMillis(50).toNanos() && q1.stats().slices() > 20)
                || q1.stats().runtimeNanos() + q2.stats().runtimeNanos() >= Duration.ofSeconds(5).toNanos();
    }

    @Test
    void cpuIsSharedInProportionToShares() {
        final long target = Duration.ofMillis(1200).toNanos();
        try (var ex = LocalExecutor.builder().preemptTimer(Duration.ofMillis(5)).build()) {
            long[] runtimes = ex.run(() -> {
                var q1 = Weft.createTaskQueue("s100", Shares.fixed(100), Latency.notImportant());
                var q2 = Weft.createTaskQueue("s300", Shares.fixed(300), Latency.notImportant());
                AtomicBoolean stop = new AtomicBoolean();
                Runnable spin = () -> {
                    long x = 0;
                    while (!stop.get()) {
                        for (int i = 0; i < 1000; i++) {
                            x += i ^ x;
                        }
                        if (q1.stats().runtimeNanos() + q2.stats().runtimeNanos() >= target && caughtUp(q1, q2)) {
                            stop.set(true);
                        }
                        Weft.yieldIfNeeded();
                    }
                    return;
                };
                var h1 = Weft.spawnInto(q1, () -> {
                    spin.run();
                    return null;
                });
                var h2 = Weft.spawnInto(q2, () -> {
                    spin.run();
                    return null;
                });
                h1.await();
                h2.await();
                return new long[] {q1.stats().runtimeNanos(), q2.stats().runtimeNanos(),
                        q1.stats().slices(), q2.stats().slices()};
            });
            double ratio = (double) runtimes[1] / runtimes[0];
            assertThat(runtimes[2]).as("slices of q1").isGreaterThan(20);
            assertThat(ratio).as("runtime q2/q1 (q1 %d ns, q2 %d ns)", runtimes[0], runtimes[1])
                    .isBetween(2.7, 3.3);
        }
    }

    @Test
    void latencySensitiveQueueWokenDuringACpuBoundSliceRunsWithinItsBound() {
        final long busyNanos = Duration.ofMillis(200).toNanos();
        // A long preempt timer: only the latency bound can end the CPU-bound slice early.
        try (var ex = LocalExecutor.builder().preemptTimer(Duration.ofSeconds(10)).build()) {
            List<String> order = new ArrayList<>();
            AtomicLong woke = new AtomicLong();
            AtomicLong preemptSeenAfter = new AtomicLong(-1);
            ex.run(() -> {
                var fast = Weft.createTaskQueue("fast", Shares.fixed(100), Latency.matters(Duration.ofMillis(1)));
                var slow = Weft.createTaskQueue("slow", Shares.fixed(1000), Latency.notImportant());
                var gate = new Probes.Gate<Void>();
                var latencyTask = Weft.spawnInto(fast, () -> {
                    gate.await();
                    order.add("latency task ran");
                    return null;
                });
                var cpuTask = Weft.spawnInto(slow, () -> {
                    order.add("cpu start");
                    long start = System.nanoTime();
                    assertThat(Weft.needPreempt()).isFalse();
                    gate.open(null); // an owner-thread wake of the latency-sensitive queue
                    woke.set(System.nanoTime());
                    boolean first = true;
                    while (System.nanoTime() - start < busyNanos) {
                        if (first && Weft.needPreempt()) {
                            preemptSeenAfter.set(System.nanoTime() - woke.get());
                            first = false;
                        }
                        Weft.yieldIfNeeded();
                    }
                    order.add("cpu end");
                    return null;
                });
                latencyTask.await();
                cpuTask.await();
                return null;
            });
            assertThat(order).containsExactly("cpu start", "latency task ran", "cpu end");
            assertThat(preemptSeenAfter.get()).as("needPreempt became true after the wake")
                    .isNotNegative()
                    .isLessThan(Duration.ofMillis(100).toNanos());
        }
    }

    /** Spins {@code nanos} of CPU in the current task, yielding when the scheduler asks. */
    private static void spin(long nanos) {
        long until = System.nanoTime() + nanos;
        while (System.nanoTime() - until < 0) {
            Weft.yieldIfNeeded();
        }
    }

    /**
     * A queue that ran alone and then went idle gets no credit against one
     * that slept meanwhile, nor the other way round: once the executor was
     * idle (every queue empty), the two share the CPU again at once. Without
     * the floor kept across idle moments, the queue that had slept woke with
     * its old vruntime, and the other waited for it to use as much CPU as the
     * first had alone (300 ms here), longer than the 150 ms spin below.
     */
    @Test
    void aQueueThatRanAloneIsNotStarvedAfterTheExecutorWasIdle() {
        try (var ex = LocalExecutor.builder().preemptTimer(Duration.ofMillis(5)).build()) {
            long[] t = ex.run(() -> {
                var b = Weft.createTaskQueue("b", Shares.fixed(1000), Latency.notImportant());
                var alone = Weft.spawnInto(b, () -> {
                    spin(Duration.ofMillis(300).toNanos()); // b alone: the default queue sleeps meanwhile
                    return null;
                });
                // Nothing wakes the default queue while b runs; b ends, every queue is idle, then the timer fires.
                Weft.sleep(Duration.ofMillis(400)).await();
                alone.await();
                AtomicLong ranAt = new AtomicLong();
                var marker = Weft.spawnInto(b, () -> {
                    ranAt.set(System.nanoTime());
                    return null;
                });
                spin(Duration.ofMillis(150).toNanos()); // equal shares: b runs within a slice or two
                long spinEnd = System.nanoTime();
                marker.await();
                return new long[] {ranAt.get(), spinEnd};
            });
            assertThat(t[0]).as("the marker in b ran during the default queue's spin").isLessThan(t[1]);
        }
    }

    /**
     * A latency bound too large for the clock (up to Long.MAX_VALUE ns, or
     * ChronoUnit.FOREVER) is taken as the longest one, never wrapped: its
     * queue's wake does not stretch the running slice for ever (a yielding
     * CPU task starved every other queue), and FOREVER is no ArithmeticException.
     */
    @Test
    void aHugeLatencyBoundNeitherWrapsNorThrows() {
        assertThat(Latency.matters(java.time.temporal.ChronoUnit.FOREVER.getDuration()).isImportant()).isTrue();
        assertThat(Latency.matters(Duration.ofNanos(Long.MAX_VALUE)).isImportant()).isTrue();
        try (var ex = LocalExecutor.builder().preemptTimer(Duration.ofMillis(5)).build()) {
            long[] t = ex.run(() -> {
                var huge = Weft.createTaskQueue("huge", Shares.fixed(1000), Latency.matters(Duration.ofNanos(Long.MAX_VALUE - 1)));
                var cpu = Weft.createTaskQueue("cpu", Shares.fixed(1000), Latency.notImportant());
                var third = Weft.createTaskQueue("third", Shares.fixed(1000), Latency.notImportant());
                AtomicLong ranAt = new AtomicLong();
                AtomicLong cpuEnd = new AtomicLong();
                var gate = new Probes.Gate<Void>();
                var woken = Weft.spawnInto(huge, () -> gate.await());
                var busy = Weft.spawnInto(cpu, () -> {
                    gate.open(null); // wakes the huge-latency queue during this slice
                    Weft.spawnInto(third, () -> {
                        ranAt.set(System.nanoTime());
                        return null;
                    });
                    spin(Duration.ofMillis(300).toNanos());
                    cpuEnd.set(System.nanoTime());
                    return null;
                });
                busy.await();
                woken.await();
                return new long[] {ranAt.get(), cpuEnd.get()};
            });
            assertThat(t[0]).as("the third queue ran while the CPU task spun").isNotZero().isLessThan(t[1]);
        }
    }

    /**
     * metrics() and stats() from another thread while the loop creates
     * queues: a stale answer, never an exception (the queue list was an
     * ArrayList that other threads walked while the loop added to it:
     * ConcurrentModificationException).
     */
    @Test
    void metricsAndStatsFromAnotherThreadWhileQueuesAreCreated() throws Exception {
        try (var ex = LocalExecutor.builder().start()) {
            var maker = ex.spawn(() -> {
                for (int i = 0; i < 20_000; i++) {
                    Weft.createTaskQueue("q" + i, Shares.fixed(10), Latency.notImportant());
                    if (i % 100 == 0) {
                        Weft.yieldNow().await();
                    }
                }
                return null;
            });
            int reads = 0;
            while (!maker.isFinished()) {
                ex.metrics();
                ex.stats();
                reads++;
            }
            maker.await();
            assertThat(reads).isPositive();
            assertThat(ex.stats().queues()).hasSize(20_001);
        }
    }
}
