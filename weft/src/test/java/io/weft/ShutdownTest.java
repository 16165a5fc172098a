package io.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.sync.Notify;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** Closing and shutting down an executor from any thread, and an executor with a thread of its own. */
@org.junit.jupiter.api.Timeout(value = 2, unit = java.util.concurrent.TimeUnit.MINUTES,
        threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
class ShutdownTest {

    /**
     * A task body that counts {@code started} down (if given), sleeps an hour
     * and counts its {@code finally} in {@code finallies}.
     */
    static java.util.concurrent.Callable<Void> sleepsAnHour(CountDownLatch started, AtomicInteger finallies) {
        return () -> {
            if (started != null) {
                started.countDown();
            }
            try {
                Weft.sleep(Duration.ofHours(1)).await();
            } finally {
                finallies.incrementAndGet();
            }
            return null;
        };
    }

    /** Spawns {@code n} tasks that wait for ever, counting the finally blocks that run. */
    static void waiters(int n, AtomicInteger finallies) {
        Notify never = Notify.local();
        for (int i = 0; i < n; i++) {
            Weft.spawn(() -> {
                try {
                    never.notified().await();
                } finally {
                    finallies.incrementAndGet();
                }
            });
        }
    }

    @Test
    void closeFromInsideATaskCancelsTheOthersAndEndsWhenTheCallerDoes() {
        AtomicInteger finallies = new AtomicInteger();
        try (var ex = LocalExecutor.create()) {
            String out = ex.run(() -> {
                waiters(10, finallies);
                Weft.yieldNow().await(); // they wait now
                ex.close();
                Weft.yieldNow().await(); // the loop starts the close after this turn: the others are queued, aborted
                Weft.yieldNow().await(); // now behind them: they run their cancellation first
                assertThat(finallies).as("the other tasks were cancelled").hasValue(10);
                Weft.sleep(Duration.ofMillis(1)).await(); // it may still wait for things
                return "the caller finished";
            });
            assertThat(out).isEqualTo("the caller finished");
            assertThat(ex.isClosed()).isTrue();
            assertThatThrownBy(() -> ex.run(() -> 1)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
        }
    }

    @Test
    void closeFromAnotherThreadWhileRunRunsCancelsEverythingAndRunThrows() throws Exception {
        AtomicInteger finallies = new AtomicInteger();
        CountDownLatch waiting = new CountDownLatch(1);
        LocalExecutor ex = LocalExecutor.create();
        Thread closer = new Thread(() -> {
            try {
                waiting.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            ex.close();
        });
        closer.start();
        assertThatThrownBy(() -> ex.run(() -> {
            waiters(20, finallies);
            Weft.yieldNow().await();
            waiting.countDown();
            try {
                Notify.local().notified().await(); // the root waits too
            } finally {
                finallies.incrementAndGet();
            }
            return null;
        })).isInstanceOf(TaskCancelledException.class);
        closer.join();
        assertThat(finallies).as("every task ran its finally, the root too").hasValue(21);
        assertThat(ex.isClosed()).isTrue();
        assertThat(ex.liveTasks()).isZero();
    }

    @Test
    void closeFromAnotherThreadWhenNoThreadRunsTheLoopRunsItThere() {
        LocalExecutor ex = LocalExecutor.create();
        AtomicInteger finallies = new AtomicInteger();
        ex.run(() -> {
            waiters(5, finallies);
            Weft.yieldNow().await(); // they start, and wait
            return null;
        }); // the waiters stay, suspended, with no thread
        ex.close(); // this thread is not the loop's now: it takes the loop and cancels them
        assertThat(finallies).hasValue(5);
        assertThat(ex.isClosed()).isTrue();
    }

    @Test
    void aStartedExecutorRunsWorkFromAnyThreadUntilItIsClosed() throws Exception {
        AtomicReference<String> threadName = new AtomicReference<>();
        LocalExecutor ex = LocalExecutor.builder().name("worker-7").start();
        try {
            int v = ex.spawn(() -> {
                threadName.set(Thread.currentThread().getName());
                Weft.sleep(Duration.ofMillis(1)).await();
                return 6 * 7;
            }).await();
            assertThat(v).isEqualTo(42);
            assertThat(threadName.get()).isEqualTo("worker-7");
            CountDownLatch ran = new CountDownLatch(1);
            ex.execute(ran::countDown);
            ran.await();
            assertThatThrownBy(() -> ex.run(() -> 1)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already running on worker-7");
        } finally {
            ex.close();
        }
        assertThat(ex.isClosed()).isTrue();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("worker-7"));
        assertThatThrownBy(() -> ex.spawn(() -> 1)).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void shutdownWaitsForTasksThatFinishInTime() {
        LocalExecutor ex = LocalExecutor.builder().start();
        List<JoinHandle<Integer>> hs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int n = i;
            hs.add(ex.spawn(() -> {
                Weft.sleep(Duration.ofMillis(1 + n % 5)).await();
                return n;
            }));
        }
        assertThat(ex.shutdown(Duration.ofSeconds(30))).as("all finished in time").isTrue();
        for (int i = 0; i < 20; i++) {
            assertThat(hs.get(i).await()).isEqualTo(i);
        }
        assertThat(ex.isClosed()).isTrue();
    }

    @Test
    void shutdownCancelsWhatIsLeftWhenTheGraceEnds() {
        LocalExecutor ex = LocalExecutor.builder().start();
        AtomicInteger finallies = new AtomicInteger();
        JoinHandle<Void> quick = ex.spawn(() -> null);
        for (int i = 0; i < 10; i++) {
            ex.spawn(sleepsAnHour(null, finallies));
        }
        assertThat(ex.shutdown(Duration.ofMillis(50))).as("not all finished in time").isFalse();
        assertThat(quick.isFinished()).isTrue();
        assertThat(finallies).as("the rest were cancelled and ran their finally").hasValue(10);
        assertThat(ex.isClosed()).isTrue();
        assertThat(ex.shutdown(Duration.ofSeconds(1))).as("a second call gives the first answer").isFalse();
    }

    /**
     * A shutdown after a close answers at once (it used to drive the closed
     * loop for its whole grace, spinning, and answer false): true if the
     * close cancelled nothing, false if it cancelled a task. On every
     * executor kind that has a shutdown.
     */
    @Test
    void aShutdownAfterACloseAnswersAtOnce() {
        Duration hour = Duration.ofHours(1); // the test's own timeout fails a call that waits for it
        LocalExecutor idle = LocalExecutor.builder().start();
        idle.spawn(() -> null).await();
        idle.close();
        assertThat(idle.shutdown(hour)).as("nothing was left to cancel").isTrue();

        LocalExecutor busy = LocalExecutor.builder().start();
        AtomicInteger finallies = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(1);
        busy.spawn(sleepsAnHour(started, finallies));
        await(started);
        busy.close();
        assertThat(finallies).hasValue(1);
        assertThat(busy.shutdown(hour)).as("the close cancelled a task").isFalse();
        assertThat(busy.shutdown(hour)).as("the same answer again").isFalse();

        try (LocalExecutorPool pool = LocalExecutorPool.builder().executors(2).build()) {
            pool.spawnOn(1, sleepsAnHour(null, finallies));
            pool.spawnOn(0, () -> null).await();
            pool.close();
            assertThat(pool.shutdown(hour)).as("the pool's close cancelled a task").isFalse();
        }

        try (StealingExecutor stealing = StealingExecutor.builder().workers(2).build()) {
            CountDownLatch running = new CountDownLatch(1);
            stealing.spawn(sleepsAnHour(running, finallies));
            await(running);
            stealing.close();
            assertThat(stealing.shutdown(hour)).as("the stealing executor's close cancelled a task").isFalse();
        }
        try (StealingExecutor stealing = StealingExecutor.builder().workers(2).build()) {
            stealing.spawn(() -> null).await();
            stealing.close();
            assertThat(stealing.shutdown(hour)).as("nothing was left to cancel").isTrue();
        }
    }

    /**
     * A task asks for a shutdown while one from another thread is already
     * waiting (for that very task, among others): the task's call waits
     * only for the others, as a first call from a task would, and both
     * answer true. The task's call used to wait for the outside call's
     * target (no task live, itself included) until the grace ended.
     */
    @Test
    void aShutdownFromATaskDuringOneFromOutsideWaitsOnlyForTheOthers() throws Exception {
        LocalExecutor ex = LocalExecutor.builder().start();
        java.util.concurrent.CompletableFuture<Void> go = new java.util.concurrent.CompletableFuture<>();
        JoinHandle<Boolean> inside = ex.spawn(() -> {
            Futures.fromCompletionStage(go).await();
            return ex.shutdown(Duration.ofSeconds(30));
        });
        java.util.concurrent.CompletableFuture<Boolean> outside = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> ex.shutdown(Duration.ofSeconds(30)), r -> Thread.ofPlatform().start(r));
        for (;;) { // until the outside shutdown has begun: spawns are refused
            try {
                ex.spawn(() -> null);
            } catch (RejectedExecutionException begun) {
                break;
            }
            Thread.onSpinWait();
        }
        go.complete(null);
        assertThat(inside.await()).as("the task's shutdown: every other task finished").isTrue();
        assertThat(outside.get()).as("the outside shutdown").isTrue();
        assertThat(ex.isClosed()).isTrue();
    }

    private static void await(CountDownLatch l) {
        try {
            l.await();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aSpawnAfterShutdownBeganIsRejectedButTasksMayStillSpawnHelpers() {
        LocalExecutor ex = LocalExecutor.create();
        AtomicReference<Throwable> fromOutsideApi = new AtomicReference<>();
        AtomicInteger helpers = new AtomicInteger();
        boolean inTime = ex.run(() -> {
            JoinHandle<Void> worker = Weft.spawn(() -> {
                Weft.yieldNow().await(); // by now the root began the shutdown
                try {
                    ex.spawn(() -> null);
                } catch (RejectedExecutionException e) {
                    fromOutsideApi.set(e);
                }
                Weft.spawn(() -> helpers.incrementAndGet()).await(); // a helper of the draining work
                return null;
            });
            return ex.shutdown(Duration.ofSeconds(30)); // from inside: waits for the others, then closes
        });
        assertThat(inTime).isTrue();
        assertThat(fromOutsideApi.get()).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("shutting down");
        assertThat(helpers).hasValue(1);
        assertThat(ex.isClosed()).isTrue();
    }

    @Test
    void closeFromTwoThreadsAtOnceClosesOnce() throws Exception {
        LocalExecutor ex = LocalExecutor.builder().start();
        AtomicInteger finallies = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(100);
        for (int i = 0; i < 100; i++) {
            // a task cancelled before it starts never runs its body, nor its finally: wait for all to start
            ex.spawn(sleepsAnHour(started, finallies));
        }
        started.await();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> closers = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 3; i++) {
            Thread t = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                ex.close();
                if (!ex.isClosed()) {
                    failures.add(new AssertionError("close returned before the close was over"));
                }
            });
            t.start();
            closers.add(t);
        }
        go.countDown();
        for (Thread t : closers) {
            t.join();
        }
        assertThat(failures).isEmpty();
        assertThat(finallies).hasValue(100);
    }

    /** The trap a new user fell into: spawn, then await from main, with no thread running the executor. */
    @Test
    void awaitingATaskOfAnExecutorNoThreadRunsWarnsInsteadOfHangingSilently() throws Exception {
        List<String> warnings = new ArrayList<>();
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                synchronized (warnings) {
                    warnings.add(r.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger log = Logger.getLogger("io.weft");
        log.addHandler(h);
        LocalExecutor ex = LocalExecutor.builder().name("nobody-runs-me").build();
        try {
            JoinHandle<Integer> handle = ex.spawn(() -> 42);
            Thread rescuer = new Thread(() -> {
                synchronized (warnings) {
                    while (warnings.stream().noneMatch(w -> w.contains("nobody-runs-me"))) {
                        try {
                            warnings.wait(100);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
                ex.run(() -> null); // a thread comes at last: the task runs
            });
            rescuer.start();
            assertThat(handle.await()).isEqualTo(42);
            rescuer.join();
            assertThat(warnings).anySatisfy(w -> assertThat(w).contains("no thread runs executor nobody-runs-me")
                    .contains("LocalExecutor.builder().start()"));
        } finally {
            log.removeHandler(h);
            ex.close();
        }
    }
}
