package io.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Closing an executor from where its loop cannot run (a task of another
 * executor, a virtual thread), and a root task that closes its own
 * executor and fails.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CloseFromElsewhereTest {

    /** An executor that holds a suspended task whose finally must run at its close, and that no thread runs. */
    static LocalExecutor idleWithASuspendedTask(AtomicBoolean finallyRan) {
        LocalExecutor idle = LocalExecutor.create();
        idle.run(() -> {
            Weft.spawn(() -> {
                try {
                    return io.weft.sync.Notify.create().notified().await(); // never notified
                } finally {
                    finallyRan.set(true);
                }
            });
            Weft.yieldNow().await(); // it suspends
            return null;
        });
        return idle;
    }

    /**
     * No thread runs the executor and the caller cannot take its loop (it
     * runs another executor's): the close runs the loop on a thread of its
     * own, where it hung for ever (and with it the calling executor).
     */
    @Test
    void anExecutorNoThreadRunsIsClosedFromATaskOfAnother() {
        AtomicBoolean finallyRan = new AtomicBoolean();
        LocalExecutor idle = idleWithASuspendedTask(finallyRan);
        try (var ex = LocalExecutor.create()) {
            ex.run(() -> {
                idle.close();
                return null;
            });
        }
        assertThat(idle.isClosed()).isTrue();
        assertThat(finallyRan).as("the suspended task's finally ran at the close").isTrue();
    }

    @Test
    void anExecutorNoThreadRunsIsClosedFromAVirtualThread() throws Exception {
        AtomicBoolean finallyRan = new AtomicBoolean();
        LocalExecutor idle = idleWithASuspendedTask(finallyRan);
        Thread vt = Thread.ofVirtual().start(idle::close);
        vt.join(TimeUnit.SECONDS.toMillis(20));
        assertThat(vt.isAlive()).as("the close still waits").isFalse();
        assertThat(idle.isClosed()).isTrue();
        assertThat(finallyRan).isTrue();
    }

    /**
     * The finally of a task that a close from another thread cancels runs on
     * the thread that drives the close (the closer's, or one of the
     * close's own): there it gives back what it holds of the executor's
     * local primitives (a permit of a local semaphore, a local channel's
     * sender) and of a Sharded shard (its handler's hook closes its
     * receivers). Each threw "was used from thread ...", so the permit was
     * lost and the shard's senders would have waited for ever.
     */
    @Test
    void aCloseFromAnotherThreadRunsFinallyBlocksThatUseLocalPrimitives() throws Exception {
        for (boolean virtual : new boolean[] {false, true}) {
            List<String> seen = new CopyOnWriteArrayList<>();
            List<Throwable> reports = new CopyOnWriteArrayList<>();
            LocalExecutor idle = LocalExecutor.builder().onUnobservedFailure((name, t) -> reports.add(t)).build();
            io.weft.sync.Sharded<String, Integer> sharded = io.weft.sync.Sharded.create(1, 1, k -> 0);
            idle.run(() -> {
                io.weft.sync.Semaphore sem = io.weft.sync.Semaphore.local(1);
                var ch = io.weft.sync.Channel.<Integer>localBounded(1);
                sharded.join(0, (k, v) -> { }).await();
                Weft.spawn(() -> {
                    var permit = sem.acquire().await();
                    try {
                        return io.weft.sync.Notify.create().notified().await(); // never notified
                    } finally {
                        permit.close();
                        ch.sender().close();
                        seen.add("permits " + sem.availablePermits());
                    }
                });
                Weft.yieldNow().await(); // it suspends, holding the permit; the shard's handler waits for values
                return null;
            });
            Thread closer = virtual ? Thread.ofVirtual().start(idle::close) : Thread.ofPlatform().start(idle::close);
            closer.join(TimeUnit.SECONDS.toMillis(20));
            assertThat(closer.isAlive()).as("the close still waits").isFalse();
            assertThat(idle.isClosed()).isTrue();
            assertThat(seen).as("closed from a %s thread", virtual ? "virtual" : "platform")
                    .containsExactly("permits 1");
            assertThat(reports).as("nothing failed in the finally blocks").isEmpty();
        }
    }

    /**
     * A root task that closes its own executor in a finally and fails: run()
     * throws the failure, which is therefore observed, not also reported as
     * unobserved at the close.
     */
    @Test
    void aRootThatClosesItsExecutorAndFailsIsThrownNotReported() {
        List<Throwable> reports = new CopyOnWriteArrayList<>();
        LocalExecutor ex = LocalExecutor.builder().onUnobservedFailure((n, e) -> reports.add(e)).build();
        IllegalStateException boom = new IllegalStateException("root");
        assertThatThrownBy(() -> ex.run(() -> {
            try {
                Weft.yieldNow().await();
                throw boom;
            } finally {
                ex.close();
            }
        })).isSameAs(boom);
        assertThat(reports).as("thrown by run, so observed").isEmpty();
    }
    /**
     * Two tasks of one executor shut it down at once: each waits for the
     * tasks other than the ones shutting down, so neither waits for the
     * other. They waited for each other until the grace ran out (an hour of
     * the executor's clock), and one was then cancelled.
     */
    @Test
    void twoTasksShuttingDownAtOnceDoNotWaitForEachOther() {
        Clock.Paused clock = Clock.paused();
        LocalExecutor ex = LocalExecutor.builder().clock(clock).build();
        long t0 = clock.nanoTime();
        boolean[] answers = ex.run(() -> {
            JoinHandle<Boolean> first = Weft.spawn(() -> ex.shutdown(java.time.Duration.ofHours(1)));
            Weft.yieldNow().await(); // the first now waits in its shutdown
            boolean second = ex.shutdown(java.time.Duration.ofHours(1));
            return new boolean[] {second, first.await()};
        });
        assertThat(clock.nanoTime() - t0).as("waited on the executor's clock")
                .isLessThan(java.time.Duration.ofHours(1).toNanos());
        assertThat(answers).as("both: everything finished in time, neither cancelled").containsExactly(true, true);
        assertThat(ex.isClosed()).isTrue();
        // the other order: the spawned task shuts down second
        LocalExecutor ex2 = LocalExecutor.builder().clock(Clock.paused()).build();
        boolean[] again = ex2.run(() -> {
            JoinHandle<Boolean> later = Weft.spawn(() -> {
                Weft.yieldNow().await();
                return ex2.shutdown(java.time.Duration.ofHours(1));
            });
            boolean mine = ex2.shutdown(java.time.Duration.ofHours(1));
            return new boolean[] {mine, later.await()};
        });
        assertThat(again).containsExactly(true, true);
    }

    /**
     * A task of one executor closes another, started executor whose task
     * takes a while to finish (its finally waits for the caller's executor
     * to run a second task): the calling task waits, and its executor runs
     * its other tasks meanwhile. The close used to block the caller's loop
     * thread until it was over, so here the two waited for each other.
     */
    @Test
    void aTaskClosingAnotherExecutorWaitsWhileItsOwnExecutorGoesOn() throws InterruptedException {
        LocalExecutor other = LocalExecutor.builder().name("other").start();
        closedFromATaskOfAnother(other, other::spawn, other::isClosed);
    }

    /** The same for a StealingExecutor closed from a task of a LocalExecutor. */
    @Test
    void aTaskClosingAStealingExecutorWaitsWhileItsOwnExecutorGoesOn() throws InterruptedException {
        StealingExecutor other = StealingExecutor.builder().workers(1).name("other-steal").build();
        closedFromATaskOfAnother(other, other::spawn, other::isClosed);
    }

    private static void closedFromATaskOfAnother(AutoCloseable other,
                                                 java.util.function.Consumer<java.util.concurrent.Callable<Void>> spawn,
                                                 java.util.function.BooleanSupplier isClosed)
            throws InterruptedException {
        AtomicBoolean ticked = new AtomicBoolean();
        AtomicBoolean tickedBeforeTheCloseEnded = new AtomicBoolean();
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        spawn.accept(() -> {
            try {
                started.countDown();
                Weft.sleep(java.time.Duration.ofHours(1)).await();
            } finally {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!ticked.get() && System.nanoTime() - deadline < 0) {
                    Thread.onSpinWait();
                }
                tickedBeforeTheCloseEnded.set(ticked.get());
            }
            return null;
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        try (LocalExecutor ex = LocalExecutor.create()) {
            ex.run(() -> {
                var closer = Weft.spawn(() -> {
                    other.close();
                    return isClosed.getAsBoolean();
                });
                var ticker = Weft.spawn(() -> ticked.set(true)); // queued behind the closer
                assertThat(closer.await()).as("closed when close() returned").isTrue();
                ticker.await();
                return null;
            });
        }
        assertThat(tickedBeforeTheCloseEnded).as("the caller's executor ran its other task during the close").isTrue();
    }

    /**
     * Tasks of two executors of one pool shut the pool down at once: neither
     * executor's drain waits for the task waiting in the pool's shutdown, so
     * both go on at once (the pool's rule then spares the first and cancels
     * the other). Each executor waited for the other's caller until the
     * grace (an hour) ran out.
     */
    @Test
    void tasksOfTwoExecutorsShuttingThePoolDownAtOnceDoNotWaitForEachOther() {
        LocalExecutorPool pool = LocalExecutorPool.builder().executors(2).name("both").build();
        java.util.concurrent.CountDownLatch both = new java.util.concurrent.CountDownLatch(2);
        List<JoinHandle<Boolean>> hs = new java.util.ArrayList<>();
        for (int e = 0; e < 2; e++) {
            hs.add(pool.spawnOn(e, () -> {
                both.countDown();
                while (both.getCount() > 0) {
                    Weft.yieldNow().await(); // both tasks run before either shuts down
                }
                return pool.shutdown(java.time.Duration.ofHours(1));
            }));
        }
        List<String> answers = new java.util.ArrayList<>();
        for (JoinHandle<Boolean> h : hs) {
            try {
                answers.add("returned " + h.await());
            } catch (TaskCancelledException cancelled) {
                answers.add("cancelled");
            }
        }
        pool.close();
        assertThat(answers).contains("returned true");
    }
}
