package io.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.sync.Channel;
import io.weft.sync.Notify;
import io.weft.sync.Semaphore;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The work-stealing executor: tasks that move between workers, wakes across them, shutdown, refusals. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StealingExecutorTest {

    static StealingExecutor twoWorkers() {
        return StealingExecutor.builder().workers(2).name("steal-test").build();
    }

    @Test
    void twoTasksThatNeedEachOtherRunningAtOnceBothFinish() {
        try (StealingExecutor ex = twoWorkers()) {
            Set2 seen = ex.blockOn(() -> {
                AtomicInteger started = new AtomicInteger();
                Set2 threads = new Set2();
                List<JoinHandle<Void>> hs = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    hs.add(Weft.spawn(() -> {
                        threads.add(Thread.currentThread().getName());
                        started.incrementAndGet();
                        while (started.get() < 2) {
                            Thread.onSpinWait(); // only a second worker can let this end
                        }
                        return null;
                    }));
                }
                for (JoinHandle<Void> h : hs) {
                    h.await();
                }
                return threads;
            });
            assertThat(seen.names).hasSize(2).allMatch(n -> n.startsWith("steal-test-"));
        }
    }

    static final class Set2 {
        final java.util.Set<String> names = ConcurrentHashMap.newKeySet();

        void add(String n) {
            names.add(n);
        }
    }

    /**
     * A coroutine task's frames resume on the thread that froze them: the
     * JIT treats Thread.currentThread() as unchanged across a suspension
     * inside a continuation, so a frame resumed on another thread would see
     * the old one (measured: 78 stale reads in 4 million resumes when tasks
     * moved, and a ReentrantLock left owned by the wrong thread).
     */
    @Test
    void aTaskThatHasStartedStaysOnItsWorkerThreadAcrossAwaits() {
        try (StealingExecutor ex = twoWorkers()) {
            long moved = ex.blockOn(() -> {
                AtomicLong m = new AtomicLong();
                List<JoinHandle<Void>> hs = new ArrayList<>();
                for (int t = 0; t < 200; t++) {
                    hs.add(Weft.spawn(() -> {
                        Thread home = Thread.currentThread();
                        for (int r = 0; r < 2_000; r++) {
                            Weft.yieldNow().await();
                            if (Thread.currentThread() != home) {
                                m.incrementAndGet();
                            }
                        }
                        return null;
                    }));
                }
                for (JoinHandle<Void> h : hs) {
                    h.await();
                }
                return m.get();
            });
            assertThat(moved).isZero();
        }
    }

    @Test
    void spawnsFromFourOutsideThreadsAllRunOnceWithTheirValues() throws Exception {
        StealingExecutor ex = twoWorkers();
        {
            int perThread = 25_000;
            List<Thread> threads = new ArrayList<>();
            AtomicLong sum = new AtomicLong();
            for (int t = 0; t < 4; t++) {
                int base = t * perThread;
                threads.add(Thread.ofPlatform().start(() -> {
                    List<JoinHandle<Integer>> hs = new ArrayList<>(perThread);
                    for (int i = 0; i < perThread; i++) {
                        int v = base + i;
                        hs.add(ex.spawn(() -> v));
                    }
                    for (JoinHandle<Integer> h : hs) {
                        sum.addAndGet(h.await());
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            long n = 4L * perThread;
            assertThat(sum.get()).isEqualTo(n * (n - 1) / 2);
            ex.close();
            assertThat(ex.liveTasks()).isZero();
        }
    }

    @Test
    void aPollBasedFutureSpawnedFromOutsideRunsOnAWorkerAndIsRefusedAfterClose() {
        StealingExecutor ex = twoWorkers();
        Thread test = Thread.currentThread();
        JoinHandle<Thread> ran = ex.spawn(cx -> Poll.ready(Thread.currentThread()));
        assertThat(ran.await()).isNotSameAs(test);
        io.weft.sync.Oneshot<Integer> value = io.weft.sync.Oneshot.create();
        JoinHandle<Integer> waiting = ex.spawn(value.recv());
        value.send(7);
        assertThat(waiting.await()).isEqualTo(7);
        assertThatThrownBy(() -> ex.spawn((Future<Integer>) null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("future");
        ex.close();
        assertThatThrownBy(() -> ex.spawn(Futures.ready(1)))
                .isInstanceOf(RejectedExecutionException.class).hasMessageContaining("shutting down");
    }

    /**
     * The live count is the spawns minus the completions, each worker
     * counting its own: a close that read zero too early would stop the
     * workers with tasks left unfinished.
     */
    @Test
    void aCloseWhileTasksSpawnOnBothWorkersFinishesEveryTaskItCounted() throws Exception {
        for (int round = 0; round < 20; round++) {
            StealingExecutor ex = twoWorkers();
            java.util.Queue<JoinHandle<?>> spawned = new java.util.concurrent.ConcurrentLinkedQueue<>();
            AtomicInteger started = new AtomicInteger();
            for (int r = 0; r < 4; r++) {
                spawned.add(ex.spawn(() -> spawnForever(spawned, started)));
            }
            while (started.get() < 10_000) {
                Thread.onSpinWait();
            }
            ex.close();
            assertThat(ex.liveTasks()).isZero();
            assertThat(spawned).as("round " + round + ": every task spawned before the close ended")
                    .allMatch(JoinHandle::isFinished);
        }
    }

    /**
     * The same with children that wait for good, so that they pile up as
     * residents and new ones are handed from one worker to the other before
     * their first run: a close still ends every one (their finally blocks
     * run), wherever it was handed.
     */
    @Test
    void aCloseWhileWaitingTasksAreHandedBetweenWorkersEndsEveryOne() throws Exception {
        for (int round = 0; round < 10; round++) {
            StealingExecutor ex = twoWorkers();
            java.util.Queue<JoinHandle<?>> spawned = new java.util.concurrent.ConcurrentLinkedQueue<>();
            AtomicInteger started = new AtomicInteger();
            AtomicInteger finallies = new AtomicInteger();
            io.weft.sync.CancellationToken never = io.weft.sync.CancellationToken.create();
            spawned.add(ex.spawn(() -> {
                while (true) {
                    spawned.add(Weft.spawn(() -> {
                        started.incrementAndGet();
                        try {
                            never.cancelled().await();
                        } finally {
                            finallies.incrementAndGet();
                        }
                        return null;
                    }));
                    Weft.yieldNow().await();
                }
            }));
            // Until 2,000 have started and both workers have some (yielding: with two CPUs, this thread spinning
            // and one worker spawning can keep the other worker's thread off a CPU for a while), at most 10 s.
            long deadline = System.nanoTime() + 10_000_000_000L;
            while ((started.get() < 2_000 || ex.metrics().stream().anyMatch(m -> m.tasksAlive() == 0))
                    && System.nanoTime() < deadline) {
                Thread.yield();
            }
            assertThat(ex.metrics()).as("waiting tasks live on both workers").hasSize(2)
                    .allMatch(m -> m.tasksAlive() > 0);
            ex.close();
            assertThat(ex.liveTasks()).isZero();
            assertThat(spawned).as("round " + round + ": every task spawned before the close ended")
                    .allMatch(JoinHandle::isFinished);
            assertThat(finallies.get()).as("every waiting task ran its finally").isEqualTo(started.get());
        }
    }

    /** Spawns children (each spawning one grandchild) until cancelled. */
    static Void spawnForever(java.util.Queue<JoinHandle<?>> spawned, AtomicInteger started) {
        while (true) {
            spawned.add(Weft.spawn(() -> {
                started.incrementAndGet();
                spawned.add(Weft.spawn(() -> started.incrementAndGet()));
                return null;
            }));
            Weft.yieldNow().await();
        }
    }

    /**
     * One task spawns 64 tasks in a burst that each wait (as an acceptor
     * spawns a handler per connection): they must not all start, and so
     * live for good, on the spawner's worker. Without the hand-off before a
     * first run, the spawner's LIFO slot ran every one of them there before
     * the other worker woke to steal.
     */
    @Test
    void aBurstOfLongLivedTasksSpawnedByOneTaskStartsOnBothWorkers() {
        try (StealingExecutor ex = twoWorkers()) {
            Map<String, Integer> startedOn = ex.blockOn(() -> {
                Map<String, Integer> on = new ConcurrentHashMap<>();
                AtomicInteger started = new AtomicInteger();
                io.weft.sync.CancellationToken release = io.weft.sync.CancellationToken.create();
                List<JoinHandle<Void>> hs = new ArrayList<>();
                for (int i = 0; i < 64; i++) {
                    hs.add(Weft.spawn(() -> {
                        on.merge(Thread.currentThread().getName(), 1, Integer::sum);
                        started.incrementAndGet();
                        release.cancelled().await();
                    }));
                }
                while (started.get() < 64) {
                    Weft.yieldNow().await();
                }
                release.cancel();
                for (JoinHandle<Void> h : hs) {
                    h.await();
                }
                return on;
            });
            assertThat(startedOn).as("the workers the 64 started on").hasSize(2);
            assertThat(startedOn.values()).allMatch(n -> n >= 16);
        }
    }

    @Test
    void aTreeOfSpawnsInsideTasksAddsUp() {
        try (StealingExecutor ex = twoWorkers()) {
            long sum = ex.blockOn(() -> sumTree(0, 1 << 16));
            long n = 1 << 16;
            assertThat(sum).isEqualTo(n * (n - 1) / 2);
        }
    }

    static long sumTree(long from, long to) {
        if (to - from <= 64) {
            long s = 0;
            for (long i = from; i < to; i++) {
                s += i;
            }
            return s;
        }
        long mid = (from + to) / 2;
        JoinHandle<Long> left = Weft.spawn(() -> sumTree(from, mid));
        long right = sumTree(mid, to);
        return left.await() + right;
    }

    @Test
    void aPingPongThroughSharedChannelsKeepsEveryValueInOrder() {
        try (StealingExecutor ex = twoWorkers()) {
            int n = 100_000;
            long got = ex.blockOn(() -> {
                Channel<Integer> ping = Channel.bounded(1);
                Channel<Integer> pong = Channel.bounded(1);
                JoinHandle<Void> echo = Weft.spawn(() -> {
                    for (int i = 0; i < n; i++) {
                        pong.sender().send(ping.receiver().recv().await()).await();
                    }
                });
                long s = 0;
                for (int i = 0; i < n; i++) {
                    ping.sender().send(i).await();
                    int back = pong.receiver().recv().await();
                    if (back != i) {
                        throw new AssertionError("sent " + i + ", got back " + back);
                    }
                    s += back;
                }
                echo.await();
                return s;
            });
            assertThat(got).isEqualTo((long) n * (n - 1) / 2);
        }
    }

    @Test
    void aMillionPermitsPassBetweenTasksOnBothWorkersNoneLost() {
        try (StealingExecutor ex = twoWorkers()) {
            int tasks = 1_000;
            int rounds = 1_000;
            AtomicInteger inside = new AtomicInteger();
            AtomicInteger most = new AtomicInteger();
            long acquired = ex.blockOn(() -> {
                Semaphore permits = Semaphore.create(4);
                List<JoinHandle<Integer>> hs = new ArrayList<>();
                for (int t = 0; t < tasks; t++) {
                    hs.add(Weft.spawn(() -> {
                        int mine = 0;
                        for (int r = 0; r < rounds; r++) {
                            try (Semaphore.Permit p = permits.acquire(1).await()) {
                                most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                                inside.decrementAndGet();
                            }
                            mine++;
                            if (r % 16 == 0) {
                                Weft.yieldNow().await();
                            }
                        }
                        return mine;
                    }));
                }
                long s = 0;
                for (JoinHandle<Integer> h : hs) {
                    s += h.await();
                }
                return s;
            });
            assertThat(acquired).isEqualTo((long) tasks * rounds);
            assertThat(most.get()).as("never more holders than permits").isLessThanOrEqualTo(4);
        }
    }

    @Test
    void closeCancelsSuspendedTasksRunsTheirFinallyAndStopsTheWorkers() throws Exception {
        StealingExecutor ex = StealingExecutor.builder().workers(2).name("steal-close").build();
        AtomicInteger finallies = new AtomicInteger();
        Notify never = Notify.create();
        int n = 10_000;
        ex.blockOn(() -> {
            Semaphore started = Semaphore.create(0);
            for (int i = 0; i < n; i++) {
                Weft.spawn(() -> {
                    started.release(1);
                    try {
                        never.notified().await();
                    } finally {
                        finallies.incrementAndGet();
                    }
                    return null;
                });
            }
            started.acquire(n).await(); // every task runs its body (one aborted before it starts never does)
            return null;
        });
        ex.close();
        assertThat(finallies.get()).isEqualTo(n);
        assertThat(ex.liveTasks()).isZero();
        assertThat(ex.isClosed()).isTrue();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("steal-close-"));
        ex.close(); // idempotent
    }

    @Test
    void shutdownWaitsForTasksThatFinishAndCancelsOneThatDoesNot() {
        StealingExecutor ex = twoWorkers();
        Notify release = Notify.create();
        AtomicInteger cancelledFinally = new AtomicInteger();
        JoinHandle<Integer> finishes = ex.spawn(() -> {
            for (int i = 0; i < 100; i++) {
                Weft.yieldNow().await();
            }
            return 7;
        });
        JoinHandle<Void> stuck = ex.spawn(() -> {
            try {
                release.notified().await();
            } finally {
                cancelledFinally.incrementAndGet();
            }
            return null;
        });
        assertThat(finishes.await()).isEqualTo(7);
        boolean inTime = ex.shutdown(Duration.ofMillis(50));
        assertThat(inTime).isFalse();
        assertThat(cancelledFinally.get()).isEqualTo(1);
        assertThatThrownBy(stuck::await).isInstanceOf(TaskCancelledException.class);
        assertThatThrownBy(() -> ex.spawn(() -> 1)).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("shutting down");
    }

    @Test
    void spawnsFromOutsideRacingACloseAreRefusedOrFinishedNoneStranded() throws Exception {
        for (int round = 0; round < 20; round++) {
            StealingExecutor ex = twoWorkers();
            List<JoinHandle<Integer>> accepted = new CopyOnWriteArrayList<>();
            AtomicInteger refused = new AtomicInteger();
            Thread spawner = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 1_000_000; i++) {
                    try {
                        accepted.add(ex.spawn(() -> 1));
                    } catch (RejectedExecutionException e) {
                        refused.incrementAndGet();
                        return;
                    }
                }
            });
            while (accepted.size() < 100 && spawner.isAlive()) {
                Thread.onSpinWait();
            }
            ex.close();
            spawner.join();
            assertThat(refused.get()).as("the spawner met the close").isEqualTo(1);
            assertThat(accepted).as("every accepted task ran or was cancelled before close returned")
                    .allMatch(JoinHandle::isFinished);
        }
    }

    @Test
    void shutdownWithNothingLeftIsInTime() {
        StealingExecutor ex = twoWorkers();
        assertThat(ex.blockOn(() -> Weft.spawn(() -> 1).await())).isEqualTo(1);
        assertThat(ex.shutdown(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void sleepsAndTimeoutsRunOnTheWorkerWhereTheTaskLives() {
        try (StealingExecutor ex = twoWorkers()) {
            List<String> out = ex.blockOn(() -> {
                List<JoinHandle<String>> hs = new ArrayList<>();
                for (int i = 0; i < 1_000; i++) {
                    int d = 1 + i % 20;
                    hs.add(Weft.spawn(() -> {
                        long t0 = Weft.clock().nanoTime();
                        Weft.sleep(Duration.ofMillis(d)).await();
                        long slept = Weft.clock().nanoTime() - t0;
                        return slept >= d * 1_000_000L ? "ok" : "early by " + (d * 1_000_000L - slept) + " ns";
                    }));
                }
                Notify never = Notify.create();
                hs.add(Weft.spawn(() -> {
                    try {
                        io.weft.time.Timeout.of(Duration.ofMillis(20), never.notified()).await();
                        return "no timeout";
                    } catch (io.weft.time.TimedOutException e) {
                        return "ok";
                    }
                }));
                List<String> r = new ArrayList<>();
                for (JoinHandle<String> h : hs) {
                    r.add(h.await());
                }
                return r;
            });
            assertThat(out).hasSize(1_001).containsOnly("ok");
        }
    }

    @Test
    void aTaskWhoseAwaitsAreAlwaysReadyStillYieldsOnceItsBudgetIsSpent() {
        try (StealingExecutor ex = StealingExecutor.builder().workers(1).build()) {
            int[] seen = ex.blockOn(() -> {
                Semaphore free = Semaphore.create(1);
                int[] other = {0};
                boolean[] stop = {false};
                JoinHandle<Void> counter = Weft.spawn(() -> {
                    while (!stop[0]) {
                        other[0]++;
                        Weft.yieldNow().await();
                    }
                    return null;
                });
                Weft.yieldNow().await(); // the counter runs (one worker: they take turns)
                int start = other[0];
                for (int i = 0; i < 2_560; i++) {
                    free.acquire(1).await().close(); // always ready: spends the budget, never suspends
                }
                int after = other[0];
                stop[0] = true;
                counter.await();
                return new int[] {start, after};
            });
            // 2,560 ready acquires are 20 budgets of 128: the task yields after each and the counter runs
            assertThat(seen[1] - seen[0]).isGreaterThanOrEqualTo(19);
        }
    }

    @Test
    void blockOnRethrowsAsLocalExecutorRunDoes() {
        try (StealingExecutor ex = twoWorkers()) {
            assertThatThrownBy(() -> ex.blockOn(() -> {
                throw new IllegalArgumentException("bad");
            })).isInstanceOf(IllegalArgumentException.class).hasMessage("bad");
            assertThatThrownBy(() -> ex.blockOn(() -> {
                throw new IOException("io");
            })).isInstanceOf(TaskFailedException.class).hasCauseInstanceOf(IOException.class);
        }
    }

    @Test
    void whatCannotWorkHereSaysSoAtTheCall() {
        try (StealingExecutor ex = twoWorkers()) {
            List<String> errors = ex.blockOn(() -> {
                List<String> out = new CopyOnWriteArrayList<>();
                List<Runnable> calls = List.of(
                        () -> Channel.localBounded(1),
                        () -> Weft.createTaskQueue("q", Shares.fixed(1), Latency.notImportant()));
                for (Runnable c : calls) {
                    try {
                        c.run();
                        out.add("no error");
                    } catch (IllegalStateException e) {
                        out.add(e.getMessage());
                    }
                }
                return out;
            });
            assertThat(errors).hasSize(2).noneMatch(m -> m.equals("no error"));
            assertThat(errors.get(0)).contains("use the shared one");
            assertThat(errors.get(1)).contains("task queues");
            assertThatThrownBy(() -> ex.blockOn(() -> ex.blockOn(() -> 1)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("would block a worker");
        }
    }

    @Test
    void aFailureNobodyAwaitedReachesTheHandlerByClose() {
        List<String> reported = new CopyOnWriteArrayList<>();
        StealingExecutor ex = StealingExecutor.builder().workers(2)
                .onUnobservedFailure((task, error) -> reported.add(error.getMessage())).build();
        ex.execute(() -> {
            throw new IllegalStateException("nobody looks");
        });
        assertThat(ex.shutdown(Duration.ofSeconds(30))).as("it ran and failed, in time").isTrue();
        assertThat(reported).containsExactly("nobody looks");
    }

    /**
     * The handler of failures nobody awaited runs on a worker about to park
     * (it sweeps the reports first: a failure is reported once its handle is
     * collected), and may spawn: the task it spawns runs, though it went to
     * that worker's own queue and nobody else was told. The worker used to
     * park beside it until something else woke it.
     */
    @Test
    void aTaskSpawnedByTheFailureHandlerOnAWorkerAboutToParkRuns() throws Exception {
        CountDownLatch handled = new CountDownLatch(1);
        CountDownLatch recovered = new CountDownLatch(1);
        AtomicReference<StealingExecutor> self = new AtomicReference<>();
        try (StealingExecutor ex = StealingExecutor.builder().workers(1).name("steal-handler")
                .onUnobservedFailure((task, error) -> {
                    self.get().spawn(() -> {
                        recovered.countDown();
                        return null;
                    });
                    handled.countDown();
                }).build()) {
            self.set(ex);
            ex.execute(() -> {
                throw new IllegalStateException("nobody looks");
            });
            // until the handle is collected and a park's sweep reports it; each round wakes the worker once
            for (int round = 0; round < 100 && handled.getCount() > 0; round++) {
                System.gc();
                ex.execute(() -> { });
                handled.await(200, TimeUnit.MILLISECONDS);
            }
            assertThat(handled.getCount()).as("the failure was reported").isZero();
            // from here nothing else wakes the worker
            assertThat(recovered.await(20, TimeUnit.SECONDS)).as("the handler's task ran").isTrue();
        }
    }

    @Test
    void eachWorkerPinsItselfAsThePlacementSaysBeforeItRunsATask() {
        int[] usable = io.weft.sys.Affinity.current();
        int cpu = usable[usable.length - 1];
        try (StealingExecutor ex = StealingExecutor.builder().workers(2).name("steal-placed")
                .placement(Placement.fenced(cpu)).build()) {
            assertThat(ex.cpus()).hasSize(2).allSatisfy(set -> assertThat(set).containsExactly(cpu));
            java.util.Set<String> seen = ConcurrentHashMap.newKeySet();
            ex.blockOn(() -> {
                List<JoinHandle<Void>> hs = new ArrayList<>();
                for (int i = 0; i < 64; i++) {
                    hs.add(Weft.spawn(() -> {
                        seen.add(Thread.currentThread().getName() + " on "
                                + java.util.Arrays.toString(io.weft.sys.Affinity.current()));
                        return null;
                    }));
                }
                for (JoinHandle<Void> h : hs) {
                    h.await();
                }
                return null;
            });
            assertThat(seen).isNotEmpty().allMatch(s -> s.endsWith(" on [" + cpu + "]"));
        }
        try (StealingExecutor ex = StealingExecutor.builder().workers(1).build()) {
            assertThat(ex.cpus()).hasSize(1).allSatisfy(set -> assertThat(set).isEmpty());
        }
    }

    @Test
    void badBuilderInputIsRefusedNamingTheProblem() {
        assertThatThrownBy(() -> StealingExecutor.builder().workers(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one worker");
        assertThatThrownBy(() -> StealingExecutor.builder().name(" "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blank");
        assertThatThrownBy(() -> StealingExecutor.builder().placement(null))
                .isInstanceOf(NullPointerException.class).hasMessage("placement");
        assertThatThrownBy(() -> StealingExecutor.builder().onUnobservedFailure(null))
                .isInstanceOf(NullPointerException.class).hasMessage("handler");
        int usable = io.weft.sys.Affinity.current().length;
        assertThatThrownBy(() -> StealingExecutor.builder().workers(usable + 1).placement(Placement.maxSpread())
                .build()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("may use only");
    }
}
