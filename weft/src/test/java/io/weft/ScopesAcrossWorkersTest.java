package io.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * TaskScope, the first-success scope and JoinSet on a StealingExecutor of two
 * workers, where children run on both workers at the same time as the task
 * that waits for them: nothing a child does is lost to the scope (a failure,
 * a success, a finally), whatever the interleaving. The suites of each
 * (TaskScopeTest, FirstSuccessScopeTest, JoinSetTest) order their children by
 * yields and run on the kinds where children share their parent's thread.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ScopesAcrossWorkersTest {
    static final int ROUNDS = Integer.getInteger("rounds", 2000);
    static final int CHILDREN = 16;

    static StealingExecutor twoWorkers() {
        return StealingExecutor.builder().workers(2).name("scopes").build();
    }

    @Test
    void joinWaitsForEveryChildOnEveryWorkerAndReportsEveryFailure() {
        try (StealingExecutor ex = twoWorkers()) {
            Set<String> threads = ConcurrentHashMap.newKeySet();
            for (int r = 0; r < ROUNDS; r++) {
                AtomicInteger finished = new AtomicInteger();
                int round = r;
                TaskFailedException thrown = ex.blockOn(() -> {
                    try (TaskScope scope = TaskScope.open()) {
                        for (int i = 0; i < CHILDREN; i++) {
                            int id = i;
                            scope.spawn(() -> {
                                threads.add(Thread.currentThread().getName());
                                try {
                                    if (id % 3 == 0) {
                                        Weft.yieldNow().await();
                                    }
                                    if (id % 4 == 1) {
                                        throw new IllegalStateException("child " + id + " of round " + round);
                                    }
                                    return id;
                                } finally {
                                    finished.incrementAndGet();
                                }
                            });
                        }
                        scope.join();
                        return null;
                    } catch (TaskFailedException e) {
                        return e;
                    }
                });
                assertThat(finished).as("every child ran to its end before join returned").hasValue(CHILDREN);
                assertThat(thrown).as("round %d: the failures", r).isNotNull();
                assertThat(1 + thrown.getSuppressed().length).as("every failing child, reported once")
                        .isEqualTo(CHILDREN / 4);
            }
            assertThat(threads).as("children ran on both workers").hasSize(2);
        }
    }

    /**
     * The owner is aborted while a child runs on the other worker: its close
     * aborts the child and cannot wait (the owner is cancelled), and the
     * child then throws a failure of its own (an abort during a poll keeps
     * it). Nobody will read the scope again: the failure goes to the
     * executor's unobserved-failure handler. It was added to the scope's
     * list and lost.
     */
    @Test
    void aChildFailureAfterTheOwnersCloseGaveUpIsReportedAsUnobserved() {
        List<String> reported = reportedAfterTheOwnersCloseGaveUp(late -> {
            try (TaskScope scope = TaskScope.open()) {
                scope.spawn(late::body);
                late.startedOnTheOtherWorker();
                late.ownerWaits.set(true);
                scope.join();
            }
            return null;
        });
        assertThat(reported).contains("late");
    }

    /**
     * As above in a first-success scope that has a winner: the loser's late
     * failure is not reported, as no loser's failure is once a child has
     * won (the class docs of FirstSuccessScope). It went to the executor's
     * unobserved-failure handler.
     */
    @Test
    void aLosersFailureAfterAWinnerAndAfterTheOwnersCloseGaveUpIsNotReported() {
        List<String> reported = reportedAfterTheOwnersCloseGaveUp(late -> {
            try (FirstSuccessScope<String> scope = TaskScope.firstSuccess()) {
                scope.spawn(late::body);
                late.startedOnTheOtherWorker();
                // Runs here (the other worker is held by the loser): its completion, which makes it the
                // winner, is over on this thread before this task runs again.
                scope.spawn(() -> "winner").await();
                late.ownerWaits.set(true);
                return scope.join();
            }
        });
        assertThat(reported).doesNotContain("late");
    }

    /**
     * A scope child that starts on the other worker, holds it until released,
     * then fails with "late"; the owner sets {@code ownerWaits} when it is
     * about to wait for the scope.
     */
    static final class LateChild {
        final java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();
        final java.util.concurrent.atomic.AtomicBoolean release = new java.util.concurrent.atomic.AtomicBoolean();
        final java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();
        final java.util.concurrent.atomic.AtomicBoolean ownerWaits = new java.util.concurrent.atomic.AtomicBoolean();

        String body() {
            started.set(true);
            try {
                OtherWorker.holdUntil(release::get, "the release");
                throw new IllegalStateException("late");
            } finally {
                ended.set(true);
            }
        }

        /** Right after spawning {@link #body}: as OtherWorker.spawn, holds this worker until it started on the other. */
        void startedOnTheOtherWorker() {
            Weft.spawn(() -> { });
            Weft.blockInPlace(() -> {
                OtherWorker.holdUntil(started::get, "the child to start");
                return null;
            });
        }
    }

    /**
     * Runs {@code owner} on a StealingExecutor of two workers; once it waits
     * for its scope, aborts it (its close then gives up), releases the late
     * child and waits for it to end; what the unobserved-failure handler got.
     */
    private static List<String> reportedAfterTheOwnersCloseGaveUp(java.util.function.Function<LateChild, Object> owner) {
        List<String> reported = new java.util.concurrent.CopyOnWriteArrayList<>();
        LateChild late = new LateChild();
        StealingExecutor ex = StealingExecutor.builder().workers(2).name("late")
                .onUnobservedFailure((task, e) -> reported.add(e.getMessage())).build();
        try {
            JoinHandle<Object> h = ex.spawn(() -> owner.apply(late));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!late.ownerWaits.get() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(late.ownerWaits).as("the owner waits for its scope").isTrue();
            h.abort();
            while (!h.isFinished() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(h.isFinished()).as("the owner ended, cancelled, its close given up").isTrue();
            late.release.set(true);
            while (!late.ended.get() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(late.ended).as("the late child ended, failing").isTrue();
        } finally {
            ex.close();
        }
        return reported;
    }

    @Test
    void failFastAbortsTheSiblingsOnTheOtherWorkerAndCloseWaitsForTheirFinally() {
        try (StealingExecutor ex = twoWorkers()) {
            for (int r = 0; r < ROUNDS; r++) {
                AtomicInteger finallies = new AtomicInteger();
                AtomicInteger started = new AtomicInteger();
                Probes.Gate<Integer> never = new Probes.Gate<>();
                Throwable t = ex.blockOn(() -> {
                    try (TaskScope scope = TaskScope.failFast()) {
                        for (int i = 0; i < CHILDREN - 1; i++) {
                            scope.spawn(() -> {
                                started.incrementAndGet();
                                try {
                                    return never.await();
                                } finally {
                                    finallies.incrementAndGet();
                                }
                            });
                        }
                        scope.spawn(() -> {
                            throw new IllegalArgumentException("first");
                        });
                        scope.join();
                        return null;
                    } catch (TaskFailedException e) {
                        return e.getCause();
                    }
                });
                assertThat(t).isInstanceOf(IllegalArgumentException.class).hasMessage("first");
                assertThat(finallies.get()).as("every sibling that started ran its finally before the scope ended")
                        .isEqualTo(started.get());
            }
        }
    }

    @Test
    void aFirstSuccessScopeReturnsOneChildsValueAndEveryOtherChildHasEnded() {
        try (StealingExecutor ex = twoWorkers()) {
            for (int r = 0; r < ROUNDS; r++) {
                AtomicInteger started = new AtomicInteger();
                AtomicInteger ended = new AtomicInteger();
                int value = ex.blockOn(() -> {
                    try (FirstSuccessScope<Integer> scope = TaskScope.firstSuccess()) {
                        for (int i = 0; i < CHILDREN; i++) {
                            int id = i;
                            scope.spawn(() -> {
                                started.incrementAndGet();
                                try {
                                    if (id % 2 == 0) {
                                        throw new IllegalStateException("no " + id);
                                    }
                                    Weft.yieldNow().await();
                                    return id;
                                } finally {
                                    ended.incrementAndGet();
                                }
                            });
                        }
                        int v = scope.join();
                        assertThat(scope.running()).isZero();
                        return v;
                    }
                });
                assertThat(value % 2).as("a success, never a failing child's").isEqualTo(1);
                assertThat(ended).as("every child that started ended before join returned").hasValue(started.get());
            }
        }
    }

    @Test
    void aJoinSetGivesBackEveryTaskOnceWhicheverWorkerFinishedIt() {
        try (StealingExecutor ex = twoWorkers()) {
            for (int r = 0; r < ROUNDS; r++) {
                List<Integer> got = ex.blockOn(() -> {
                    List<Integer> out = new ArrayList<>();
                    try (JoinSet<Integer> set = new JoinSet<>()) {
                        for (int i = 0; i < CHILDREN; i++) {
                            int id = i;
                            set.spawn(() -> {
                                if (id % 2 == 0) {
                                    Weft.yieldNow().await();
                                }
                                if (id == 5) {
                                    // a child spawns into the set too, from whichever worker it runs on
                                    set.spawn(() -> 100);
                                }
                                return id;
                            });
                        }
                        while (!set.isEmpty()) {
                            out.add(set.next().await());
                        }
                    }
                    return out;
                });
                List<Integer> expected = new ArrayList<>();
                for (int i = 0; i < CHILDREN; i++) {
                    expected.add(i);
                }
                expected.add(100);
                assertThat(got).containsExactlyInAnyOrderElementsOf(expected);
            }
        }
    }

    @Test
    void aScopeIsRefusedOutsideTheTasksOfItsExecutor() {
        try (StealingExecutor ex = twoWorkers(); var other = LocalExecutor.create()) {
            TaskScope scope = ex.blockOn(TaskScope::open);
            assertThatThrownBy(() -> other.run(() -> scope.spawn(() -> 1)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("which owns the scope");
            JoinSet<Integer> set = new JoinSet<>();
            ex.blockOn(() -> set.spawn(() -> 1).await());
            assertThatThrownBy(() -> other.run(() -> set.spawn(() -> 2)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("JoinSet belongs to executor");
        }
    }

    /**
     * A child on the other worker spawns into the scope while its owner
     * closes it: every child the close did not refuse is aborted, whichever
     * came first (the grandchildren here would wait for ever). Without it, a
     * spawn between its look at the scope and its entry in the children list
     * escaped the close's aborts, and the close waited for it for ever.
     */
    @Test
    void aSpawnIntoAClosingScopeFromAnotherWorkerIsAbortedOrRefused() {
        try (StealingExecutor ex = twoWorkers()) {
            for (int r = 0; r < ROUNDS / 40; r++) { // 50 rounds: each hung within them without the fix
                AtomicInteger spawnedInside = new AtomicInteger();
                AtomicInteger refused = new AtomicInteger();
                java.util.concurrent.atomic.AtomicReference<String> spawnerThread = new java.util.concurrent.atomic.AtomicReference<>();
                ex.blockOn(() -> {
                    io.weft.sync.Notify never = io.weft.sync.Notify.create();
                    TaskScope scope = TaskScope.open();
                    scope.spawn(() -> {
                        spawnerThread.set(Thread.currentThread().getName());
                        while (true) {
                            try {
                                scope.spawn(() -> never.notified().await());
                            } catch (IllegalStateException closed) {
                                refused.incrementAndGet();
                                return null;
                            }
                            spawnedInside.incrementAndGet();
                            Weft.yieldNow().await();
                        }
                    });
                    String closer = Thread.currentThread().getName();
                    Weft.blockInPlace(() -> { // the spawner goes to the other worker, and lives there
                        while (spawnedInside.get() < 2) {
                            Thread.onSpinWait();
                        }
                        return null;
                    });
                    assertThat(spawnerThread.get()).isNotEqualTo(closer);
                    scope.close();
                    return null;
                });
                assertThat(refused.get()).isLessThanOrEqualTo(1);
            }
        }
    }
}
