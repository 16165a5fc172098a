package io.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.weft.blocking.BlockingPool;
import io.weft.fs.File;
import io.weft.io.Drivers;
import io.weft.time.TimedOutException;
import io.weft.time.Timeout;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Weft.spawnBlocking: where the body runs, the handle as every JoinHandle, abort, failures, one pool with files. */
@org.junit.jupiter.api.Timeout(value = 2, unit = TimeUnit.MINUTES,
        threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
class SpawnBlockingTest {

    record Report(String task, Throwable error, Thread thread) {
    }

    /** Inside a task: waits (sleeping 1 ms at a time, the loop goes on) up to 30 s for {@code condition}. */
    static boolean eventually(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Weft.sleep(Duration.ofMillis(1)).await();
        }
        return true;
    }

    /** A body that says it started, then waits until interrupted, and records what it saw. */
    static java.util.concurrent.Callable<String> waitsForItsInterrupt(CountDownLatch started,
                                                                       AtomicReference<Throwable> saw) {
        return () -> {
            started.countDown();
            try {
                new CountDownLatch(1).await();
                return "never";
            } catch (InterruptedException e) {
                saw.set(e);
                throw e;
            }
        };
    }

    @EveryKind
    void theBodyRunsOnAWeftBlockingThreadNeverOnTheExecutors(ExecutorKind kind) {
        try (var ex = kind.open()) {
            ex.run(() -> {
                Thread loop = Thread.currentThread();
                Thread ran = Weft.spawnBlocking(Thread::currentThread).await();
                assertThat(ran).isNotSameAs(loop);
                assertThat(ran.getName()).matches("weft-blocking-\\d+");
                assertThat(ran.isDaemon()).isTrue();
                return null;
            });
        }
    }

    @Test
    void outsideATaskItSaysWhere() {
        assertThatThrownBy(() -> Weft.spawnBlocking(() -> 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Weft.spawnBlocking called outside a weft executor");
    }

    @Test
    void theHandleIsAwaitedFromAPlainThreadAndFromATaskOfAnotherExecutor() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        JoinHandle<Integer> h;
        try (var a = LocalExecutor.builder().name("a").build()) {
            h = a.run(() -> Weft.spawnBlocking(() -> {
                release.await();
                return 42;
            }));
        } // executor a is closed: the body is the pool's, it goes on
        assertThat(h.isFinished()).isFalse();
        AtomicReference<Object> plain = new AtomicReference<>();
        Thread t = new Thread(() -> plain.set(h.await()));
        t.start();
        AtomicReference<Object> fromB = new AtomicReference<>();
        CountDownLatch bWaits = new CountDownLatch(1);
        Thread bThread = new Thread(() -> {
            try (var b = LocalExecutor.builder().name("b").build()) {
                fromB.set(b.run(() -> {
                    JoinHandle<Integer> waiter = Weft.spawn(() -> h.await());
                    Weft.yieldNow().await(); // the waiter is now a join waiter of h
                    bWaits.countDown();
                    return waiter.await();
                }));
            }
        });
        bThread.start();
        assertThat(bWaits.await(30, TimeUnit.SECONDS)).isTrue();
        release.countDown();
        t.join(TimeUnit.SECONDS.toMillis(30));
        bThread.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(plain.get()).isEqualTo(42);
        assertThat(fromB.get()).isEqualTo(42);
        assertThat(h.isFinished()).isTrue();
    }

    /** Cancel safety: an await given up (its task aborted) aborts the body, whose thread is interrupted. */
    @SameThreadKinds
    void abortingATaskThatAwaitsTheHandleInterruptsTheBody(ExecutorKind kind) {
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<Throwable> saw = new AtomicReference<>();
        try (var ex = kind.open()) {
            ex.run(() -> {
                JoinHandle<String> h = Weft.spawnBlocking(waitsForItsInterrupt(started, saw));
                JoinHandle<String> waiter = Weft.spawn(() -> h.await());
                Weft.yieldNow().await(); // the waiter polls h: only an await that polled a handle cancels it
                assertThat(eventually(() -> started.getCount() == 0)).isTrue();
                waiter.abort();
                assertThatThrownBy(waiter::await).isInstanceOf(TaskCancelledException.class);
                assertThat(eventually(h::isFinished)).as("the body ended").isTrue();
                assertThatThrownBy(h::await).isInstanceOf(TaskCancelledException.class);
                assertThat(saw.get()).isInstanceOf(InterruptedException.class);
                return null;
            });
        }
    }

    /** Cancel safety: a Timeout of the handle aborts the body; one of detached() leaves it running. */
    @EveryKind
    void aTimeoutOfTheHandleAbortsTheBodyOneOfItsDetachedViewDoesNot(ExecutorKind kind) {
        try (var ex = kind.open()) {
            ex.run(() -> {
                CountDownLatch started = new CountDownLatch(1);
                AtomicReference<Throwable> saw = new AtomicReference<>();
                JoinHandle<String> owned = Weft.spawnBlocking(waitsForItsInterrupt(started, saw));
                assertThatThrownBy(() -> Timeout.of(Duration.ofMillis(5), owned).await())
                        .isInstanceOf(TimedOutException.class);
                assertThat(eventually(owned::isFinished)).isTrue();
                assertThatThrownBy(owned::await).isInstanceOf(TaskCancelledException.class);

                CountDownLatch release = new CountDownLatch(1);
                JoinHandle<String> kept = Weft.spawnBlocking(() -> {
                    release.await();
                    return "finished anyway";
                });
                assertThatThrownBy(() -> Timeout.of(Duration.ofMillis(5), kept.detached()).await())
                        .isInstanceOf(TimedOutException.class);
                assertThat(kept.isFinished()).isFalse();
                release.countDown();
                assertThat(kept.await()).isEqualTo("finished anyway");
                return null;
            });
        }
    }

    @EveryKind
    void cancelIsAbortAndAQueuedOrRunningBodyStops(ExecutorKind kind) {
        try (var ex = kind.open()) {
            ex.run(() -> {
                CountDownLatch started = new CountDownLatch(1);
                AtomicReference<Throwable> saw = new AtomicReference<>();
                JoinHandle<String> h = Weft.spawnBlocking("named", waitsForItsInterrupt(started, saw));
                assertThat(eventually(() -> started.getCount() == 0)).isTrue();
                h.cancel();
                assertThatThrownBy(h::await).isInstanceOf(TaskCancelledException.class)
                        .hasMessage("task named was cancelled");
                assertThat(saw.get()).isInstanceOf(InterruptedException.class);
                return null;
            });
        }
    }

    @EveryKind
    void toCompletableFutureCompletesWithTheValue(ExecutorKind kind) throws Exception {
        try (var ex = kind.open()) {
            CompletableFuture<String> cf = ex.run(() -> Weft.spawnBlocking(() -> "value").toCompletableFuture());
            assertThat(cf.get(30, TimeUnit.SECONDS)).isEqualTo("value");
        }
    }

    @Test
    void aFailureNobodyAwaitsIsReportedByTheSpawningExecutorOnItsThread() {
        List<Report> reports = new CopyOnWriteArrayList<>();
        IllegalStateException boom = new IllegalStateException("boom");
        try (var ex = LocalExecutor.builder().onUnobservedFailure((n, e) -> reports.add(
                new Report(n, e, Thread.currentThread()))).build()) {
            ex.run(() -> {
                JoinHandle<Object> unawaited = Weft.spawnBlocking("doomed", () -> {
                    throw boom;
                });
                JoinHandle<Object> awaited = Weft.spawnBlocking("handled", () -> {
                    throw new IllegalStateException("handled");
                });
                assertThatThrownBy(awaited::await).isInstanceOf(TaskFailedException.class);
                assertThat(eventually(unawaited::isFinished)).isTrue();
                // the pool thread offers the report just after it publishes the completion: wait for the offer,
                // or the close below may sweep before it and the report go to the pool thread (a failure after
                // close, the next test's case)
                assertThat(eventually(() -> ex.core().holdsFailureReports())).isTrue();
                return null;
            });
        } // close reports what nobody looked at
        assertThat(reports).hasSize(1);
        assertThat(reports.get(0).task()).isEqualTo("doomed");
        assertThat(reports.get(0).error()).isSameAs(boom);
        assertThat(reports.get(0).thread()).as("reported on the executor's thread (here: close's)")
                .isSameAs(Thread.currentThread());
    }

    @Test
    void aFailureAfterTheExecutorClosedIsReportedOnThePoolThread() throws Exception {
        List<Report> reports = new CopyOnWriteArrayList<>();
        CountDownLatch reported = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        IllegalStateException late = new IllegalStateException("late");
        try (var ex = LocalExecutor.builder().onUnobservedFailure((n, e) -> {
            reports.add(new Report(n, e, Thread.currentThread()));
            reported.countDown();
        }).build()) {
            ex.run(() -> Weft.spawnBlocking("late", () -> {
                release.await();
                throw late;
            }));
        }
        assertThat(reports).isEmpty();
        release.countDown();
        assertThat(reported.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(reports).hasSize(1);
        assertThat(reports.get(0).error()).isSameAs(late);
        assertThat(reports.get(0).thread().getName()).matches("weft-blocking-\\d+");
    }

    /**
     * One pool, one cap: with every thread of the shared pool held by
     * spawnBlocking bodies, a file read of epoll or nio waits in the same
     * queue, and runs once a thread is free.
     */
    @ParameterizedTest
    @EnumSource(value = Driver.class, names = {"EPOLL", "NIO"})
    void fileCallsOfEpollAndNioShareThePoolAndItsCap(Driver d, @TempDir Path dir) throws Exception {
        String why = Drivers.whyNot(d);
        assumeTrue(why == null, () -> d + " driver unavailable here: " + why);
        Path p = dir.resolve("f");
        Files.write(p, new byte[] {1, 2, 3});
        BlockingPool pool = BlockingPool.shared();
        try (var ex = LocalExecutor.builder().driver(d).build()) {
            ex.run(() -> {
                try (File f = File.open(p).await()) {
                    CountDownLatch started = new CountDownLatch(pool.maxThreads());
                    CountDownLatch release = new CountDownLatch(1);
                    List<JoinHandle<Boolean>> holders = new ArrayList<>();
                    for (int i = 0; i < pool.maxThreads(); i++) {
                        holders.add(Weft.spawnBlocking(() -> {
                            started.countDown();
                            return release.await(1, TimeUnit.MINUTES);
                        }));
                    }
                    assertThat(eventually(() -> started.getCount() == 0)).as("every pool thread is held").isTrue();
                    ByteBuffer buf = ByteBuffer.allocate(3);
                    JoinHandle<Integer> read = Weft.spawn(() -> f.readAt(buf, 0).await());
                    Weft.yieldNow().await(); // the read's first poll submits its call
                    assertThat(pool.queued()).as("the file call waits in the same queue").isEqualTo(1);
                    assertThat(read.isFinished()).isFalse();
                    release.countDown();
                    assertThat(read.await()).isEqualTo(3);
                    assertThat(buf.array()).containsExactly(1, 2, 3);
                    for (JoinHandle<Boolean> h : holders) {
                        assertThat(h.await()).isTrue();
                    }
                }
                return null;
            });
        }
    }

    /** A StealingExecutor's own cap: at most 2 bodies at once, on threads named after it; all 6 run. */
    @Test
    void aStealingExecutorsBlockingThreadsCapItsBodies() {
        assertThatThrownBy(() -> StealingExecutor.builder().blockingThreads(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blockingThreads(0)");
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        Set<String> threads = ConcurrentHashMap.newKeySet();
        CountDownLatch two = new CountDownLatch(2);
        try (StealingExecutor ex = StealingExecutor.builder().workers(2).name("capped").blockingThreads(2).build()) {
            int done = ex.blockOn(() -> {
                List<JoinHandle<Integer>> hs = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    hs.add(Weft.spawnBlocking(() -> {
                        threads.add(Thread.currentThread().getName());
                        most.accumulateAndGet(running.incrementAndGet(), Math::max);
                        two.countDown();
                        two.await(); // the first two wait for each other: both slots are taken at once
                        running.decrementAndGet();
                        return 1;
                    }));
                }
                int n = 0;
                for (JoinHandle<Integer> h : hs) {
                    n += h.await();
                }
                return n;
            });
            assertThat(done).isEqualTo(6);
        }
        assertThat(most.get()).as("bodies at once").isEqualTo(2);
        assertThat(threads).isNotEmpty().allMatch(t -> t.startsWith("weft-blocking-capped-"));
    }
}
