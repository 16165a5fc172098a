package io.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.net.TcpListener;
import io.weft.sync.Notify;
import io.weft.sync.Semaphore;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** LocalExecutorPool: work from any thread and any executor, failures, shutdown and close from anywhere. */
@org.junit.jupiter.api.Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES,
        threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
class PoolTest {

    static boolean poolThreadAlive(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith(prefix + "-"));
    }

    @Test
    void eachExecutorRunsOnItsOwnThreadAndKnowsItsIndex() {
        try (var pool = LocalExecutorPool.builder().name("idx").executors(3).build()) {
            List<String> where = pool.spawnOnEach(() -> Weft.executorIndex() + "@" + Thread.currentThread().getName())
                    .stream().map(JoinHandle::await).toList();
            assertThat(where).containsExactly("0@idx-0", "1@idx-1", "2@idx-2");
            assertThat(pool.size()).isEqualTo(3);
        }
        assertThat(poolThreadAlive("idx")).as("a thread of the pool outlived close()").isFalse();
        try (var ex = LocalExecutor.create()) {
            assertThat(ex.run(Weft::executorIndex)).as("outside a pool").isZero();
        }
    }

    @Test
    void spawnOnFromEightPlainThreads() throws Exception {
        try (var pool = LocalExecutorPool.builder().executors(2).build()) {
            List<Thread> threads = new ArrayList<>();
            List<Long> sums = Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < 8; t++) {
                int id = t;
                Thread th = new Thread(() -> {
                    List<JoinHandle<Long>> hs = new ArrayList<>();
                    for (int i = 0; i < 1000; i++) {
                        long v = id * 1_000_000L + i;
                        hs.add(pool.spawnOn(i % 2, () -> {
                            Weft.yieldNow().await();
                            return v;
                        }));
                    }
                    long sum = 0;
                    for (JoinHandle<Long> h : hs) {
                        sum += h.await();
                    }
                    sums.add(sum);
                });
                th.start();
                threads.add(th);
            }
            for (Thread th : threads) {
                th.join();
            }
            long expected = 0;
            for (int t = 0; t < 8; t++) {
                for (int i = 0; i < 1000; i++) {
                    expected += t * 1_000_000L + i;
                }
            }
            assertThat(sums.stream().mapToLong(Long::longValue).sum()).isEqualTo(expected);
        }
    }

    @Test
    void tasksSpawnOnOtherExecutorsAndAwaitThemAcrossExecutors() {
        try (var pool = LocalExecutorPool.builder().executors(2).build()) {
            int total = pool.spawnOn(0, () -> {
                List<JoinHandle<Integer>> there = new ArrayList<>();
                for (int i = 0; i < 500; i++) {
                    int n = i;
                    there.add(pool.spawnOn(1, () -> {
                        assertThat(Weft.executorIndex()).isEqualTo(1);
                        Weft.sleep(Duration.ofMillis(n % 3)).await();
                        return n;
                    }));
                }
                int sum = 0;
                for (JoinHandle<Integer> h : there) {
                    sum += h.await(); // the wake comes from executor 1's thread
                }
                assertThat(Weft.executorIndex()).isZero();
                return sum;
            }).await();
            assertThat(total).isEqualTo(499 * 500 / 2);
        }
    }

    /**
     * 200,000 cross-executor wakes one at a time (a ping-pong between
     * executors 0 and 1, each going to sleep before every wake): none is lost.
     * Each wake costs a park and an unpark, 5 to 20 us on this machine, so
     * the ten-million test below batches its wakes.
     */
    @Test
    void pingPongWakesBetweenTwoExecutorsLoseNone() {
        int rounds = 100_000;
        Notify ping = Notify.create();
        Notify pong = Notify.create();
        try (var pool = LocalExecutorPool.builder().executors(2).build()) {
            JoinHandle<Integer> b = pool.spawnOn(1, () -> {
                int n = 0;
                for (int i = 0; i < rounds; i++) {
                    ping.notified().await();
                    n++;
                    pong.notifyOne();
                }
                return n;
            });
            int a = pool.spawnOn(0, () -> {
                int n = 0;
                for (int i = 0; i < rounds; i++) {
                    ping.notifyOne();
                    pong.notified().await();
                    n++;
                }
                return n;
            }).await();
            assertThat(a).isEqualTo(rounds);
            assertThat(b.await()).isEqualTo(rounds);
        }
    }

    /**
     * Ten million wakes of tasks on executor 1 by executor 0, none lost: 1,000
     * tasks on executor 1 each wait on a semaphore of their own; executor 0
     * releases each once per round and waits until every task has taken its
     * permit and answered before the next round. Each task counts what it
     * took; the sums must be exact. A task that found its permit already there
     * (it had not gone back to waiting yet) was not woken: those are counted
     * apart, and nearly all must have been wakes.
     */
    @Test
    void tenMillionWakesFromOneExecutorToAnotherLoseNone() {
        int tasks = 1_000;
        int rounds = 10_000;
        Semaphore[] go = new Semaphore[tasks];
        for (int j = 0; j < tasks; j++) {
            go[j] = Semaphore.create(0);
        }
        Semaphore answered = Semaphore.create(0);
        long[] taken = new long[tasks];
        long[] ready = new long[tasks];
        try (var pool = LocalExecutorPool.builder().name("wakes").executors(2).build()) {
            List<JoinHandle<Void>> waiters = pool.spawnOn(1, () -> {
                List<JoinHandle<Void>> hs = new ArrayList<>();
                for (int j = 0; j < tasks; j++) {
                    int me = j;
                    hs.add(Weft.spawn(() -> {
                        for (int r = 0; r < rounds; r++) {
                            if (go[me].tryAcquire() != null) {
                                ready[me]++;
                            } else {
                                go[me].acquire().await();
                            }
                            taken[me]++;
                            answered.release(1);
                        }
                        return null;
                    }));
                }
                return hs;
            }).await();
            pool.spawnOn(0, () -> {
                for (int r = 0; r < rounds; r++) {
                    for (Semaphore s : go) {
                        s.release(1);
                    }
                    answered.acquire(tasks).await();
                }
                return null;
            }).await();
            for (JoinHandle<Void> h : waiters) {
                h.await();
            }
        }
        long total = 0;
        long notWoken = 0;
        for (int j = 0; j < tasks; j++) {
            assertThat(taken[j]).as("permits taken by task %d", j).isEqualTo(rounds);
            total += taken[j];
            notWoken += ready[j];
        }
        assertThat(total).isEqualTo((long) tasks * rounds);
        assertThat(notWoken).as("permits found without a wake").isLessThan(total / 10);
        assertThat(answered.availablePermits()).isZero();
    }

    @Test
    void aFailureOnOneExecutorReachesThePoolsHandlerAndHurtsNoOther() {
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        try (var pool = LocalExecutorPool.builder().name("fail").executors(2)
                .onUnobservedFailure((task, e) -> failures.add(task + ": " + e.getMessage())).build()) {
            pool.spawnOn(0, () -> {
                throw new IllegalStateException("boom");
            });
            assertThat(pool.spawnOn(1, () -> 7).await()).isEqualTo(7);
            assertThat(pool.spawnOn(0, () -> 8).await()).as("executor 0 goes on").isEqualTo(8);
        }
        assertThat(failures).containsExactly("fail-0/#1: boom");
    }

    @Test
    void shutdownWaitsForTasksThatFinishInTimeOnEveryExecutor() {
        var pool = LocalExecutorPool.builder().executors(2).build();
        List<JoinHandle<Integer>> hs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            int n = i;
            hs.add(pool.spawnOn(i % 2, () -> {
                Weft.sleep(Duration.ofMillis(1 + n % 7)).await();
                return n;
            }));
        }
        assertThat(pool.shutdown(Duration.ofSeconds(30))).isTrue();
        for (int i = 0; i < 40; i++) {
            assertThat(hs.get(i).await()).isEqualTo(i);
        }
        assertThatThrownBy(() -> pool.spawnOn(0, () -> 1)).isInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void shutdownCancelsWhatIsLeftWhenTheGraceEndsAndEveryFinallyRuns() throws Exception {
        var pool = LocalExecutorPool.builder().name("grace").executors(2).build();
        AtomicInteger finallies = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(20);
        for (int i = 0; i < 20; i++) {
            pool.spawnOn(i % 2, ShutdownTest.sleepsAnHour(started, finallies));
        }
        started.await();
        assertThat(pool.shutdown(Duration.ofMillis(50))).isFalse();
        assertThat(finallies).hasValue(20);
        assertThat(poolThreadAlive("grace")).isFalse();
        assertThat(pool.shutdown(Duration.ofSeconds(1))).as("idempotent: the first answer").isFalse();
        pool.close(); // and close after shutdown is fine
    }

    @Test
    void aSpawnDuringShutdownIsRejected() throws Exception {
        var pool = LocalExecutorPool.builder().executors(2).build();
        Notify release = Notify.create();
        CountDownLatch waiting = new CountDownLatch(1);
        pool.spawnOn(0, () -> {
            waiting.countDown();
            release.notified().await();
            return null;
        });
        waiting.await();
        Thread stopper = new Thread(() -> pool.shutdown(Duration.ofSeconds(30)));
        stopper.start();
        // the shutdown has begun once a spawn is refused; the waiting task keeps the pool draining until then
        Throwable refused = null;
        while (refused == null) { // the class's timeout bounds it
            try {
                pool.spawnOn(1, () -> null);
                Thread.onSpinWait();
            } catch (RejectedExecutionException e) {
                refused = e;
            }
        }
        assertThat(refused).isInstanceOf(RejectedExecutionException.class).hasMessageContaining("shutting down");
        release.notifyOne();
        stopper.join();
    }

    @Test
    void closeFromATaskOfThePoolStopsTheOthersThenItsOwnExecutorWhenTheTaskEnds() throws Exception {
        var pool = LocalExecutorPool.builder().name("inner").executors(2).build();
        AtomicInteger finallies = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(1);
        pool.spawnOn(1, ShutdownTest.sleepsAnHour(started, finallies));
        started.await();
        JoinHandle<String> closer = pool.spawnOn(0, () -> {
            pool.close(); // returns once executor 1 has stopped; this task goes on
            assertThat(finallies).as("executor 1's task was cancelled").hasValue(1);
            Weft.sleep(Duration.ofMillis(1)).await();
            return "closed from inside";
        });
        assertThat(closer.await()).isEqualTo("closed from inside");
        for (int i = 0; i < 1000 && poolThreadAlive("inner"); i++) {
            Thread.onSpinWait();
            Thread.yield();
        }
        pool.close(); // from outside now: joins the threads
        assertThat(poolThreadAlive("inner")).isFalse();
    }

    /**
     * Two tasks on two executors close the pool at once (each held in its
     * turn by a barrier, so that both ask before either executor starts its
     * close): one is the closer, the other is cancelled with the rest, and
     * the pool closes. Each used to be spared by its own executor and to
     * wait for the other's, for ever.
     */
    @Test
    void twoTasksClosingThePoolAtOnceEndWithOneCloserAndTheOtherCancelled() throws Exception {
        var pool = LocalExecutorPool.builder().name("twice").executors(2).build();
        java.util.concurrent.CyclicBarrier both = new java.util.concurrent.CyclicBarrier(2);
        List<JoinHandle<String>> closers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            closers.add(pool.spawnOn(i, () -> {
                both.await(30, java.util.concurrent.TimeUnit.SECONDS); // blocks this executor's thread: no close starts
                pool.close();
                return "closed";
            }));
        }
        List<String> outcomes = new ArrayList<>();
        for (JoinHandle<String> h : closers) {
            try {
                outcomes.add(h.await());
            } catch (TaskCancelledException e) {
                outcomes.add("cancelled");
            }
        }
        assertThat(outcomes).containsExactlyInAnyOrder("closed", "cancelled");
        pool.close(); // from outside: joins the threads
        assertThat(poolThreadAlive("twice")).isFalse();
    }

    @Test
    void closeReleasesEveryDescriptor() throws Exception {
        long before;
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            before = s.count();
        }
        var pool = LocalExecutorPool.builder().executors(2).build();
        for (JoinHandle<Integer> h : pool.spawnOnEach(() -> {
            TcpListener l = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0)); // left open: close() closes it
            return l.localAddress().getPort();
        })) {
            assertThat(h.await()).isPositive();
        }
        pool.close();
        long after;
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            after = s.count();
        }
        // fewer is no leak: another test's pool job may close a descriptor meanwhile
        assertThat(after).isLessThanOrEqualTo(before);
    }

    /**
     * Diagnostics set through configure reach each executor, as every other
     * setting made there does (the pool's own diagnostics settings, copied
     * after configure, used to overwrite them with its defaults: off).
     */
    @org.junit.jupiter.api.Test
    void diagnosticsSetThroughConfigureReachEachExecutor() throws Exception {
        java.util.List<Stall> reports = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (var pool = LocalExecutorPool.builder().executors(1)
                .configure(b -> b.detectStalls(java.time.Duration.ofMillis(20)).onStall(reports::add).pollTimeHistogram())
                .build()) {
            pool.spawnOn(0, () -> {
                StallDetectorTest.spinFor(200, () -> !reports.isEmpty());
                return null;
            }).await();
            assertThat(pool.spawnOn(0, () -> Weft.current().metrics().pollTimes()).await())
                    .as("the poll-time histogram").isNotEqualTo(PollTimes.NONE);
        }
        assertThat(reports).as("the stall reports").isNotEmpty();
    }
}
