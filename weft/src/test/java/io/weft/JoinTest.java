package io.weft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Join handles: many waiters, any thread, before and after completion; on
 * every executor kind (the race of a registering waiter against completion
 * on the kinds where the completing task shares the test task's thread).
 */
class JoinTest {

    @EveryKind
    void severalTasksAndAPlainThreadAwaitingTheSameHandleAllGetTheValue(ExecutorKind kind) throws Exception {
        var gate = new Probes.Gate<Integer>();
        AtomicReference<Object> plainResult = new AtomicReference<>();
        CountDownLatch plainRegistered = new CountDownLatch(1);
        AtomicReference<Thread> plain = new AtomicReference<>();
        try (var ex = kind.open()) {
            List<Integer> results = ex.run(() -> {
                JoinHandle<Integer> h = Weft.spawn(() -> gate.await() * 2);
                List<JoinHandle<Integer>> joiners = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    joiners.add(Weft.spawn(() -> h.await()));
                }
                Weft.yieldNow().await(); // h parks on the gate, the joiners park on h (or soon will, on another worker)
                // a plain thread blocks on the same handle (block_on), outside the executor
                Future<Integer> watched = cx -> {
                    Poll<Integer> p = h.poll(cx);
                    if (!p.isReady()) {
                        plainRegistered.countDown();
                    }
                    return p;
                };
                Thread t = new Thread(() -> {
                    try {
                        plainResult.set(watched.await());
                    } catch (Throwable e) {
                        plainResult.set(e);
                    }
                });
                plain.set(t);
                t.start();
                plainRegistered.await(); // blocks the loop briefly: the plain thread is now a join waiter
                assertThat(h.isFinished()).isFalse();
                gate.open(21);
                List<Integer> rs = new ArrayList<>();
                for (var j : joiners) {
                    rs.add(j.await());
                }
                rs.add(h.await());
                return rs;
            });
            plain.get().join();
            assertThat(results).containsExactly(42, 42, 42, 42, 42, 42);
            assertThat(plainResult.get()).isEqualTo(42);
        }
    }

    @EveryKind
    void handleAwaitedAfterCompletionReturnsAtOnce(ExecutorKind kind) {
        try (var ex = kind.open()) {
            JoinHandle<String> h = ex.run(() -> {
                var t = Weft.spawn(() -> "x");
                t.await();
                for (int i = 0; i < 10; i++) {
                    assertThat(t.await()).isEqualTo("x");
                }
                return t;
            });
            // from a plain thread (block_on) after the executor stopped
            assertThat(h.await()).isEqualTo("x");
            // by polling directly
            AtomicInteger wakes = new AtomicInteger();
            Poll<String> p = h.poll(new Context(wakes::incrementAndGet));
            assertThat(p.isReady()).isTrue();
            assertThat(p.get()).isEqualTo("x");
            assertThat(wakes).hasValue(0);
        }
    }

    /**
     * A waker that throws (a Future of the user's, polling a handle with a
     * Context of its own) does not stop the other joiners from being woken,
     * nor the executor: the throw is reported, and everything else goes on.
     * It used to escape from the completing task's poll: on a
     * StealingExecutor it ended the worker's thread (the executor's close
     * then waited for ever), elsewhere it came out of run.
     */
    @EveryKind
    @org.junit.jupiter.api.Timeout(value = 60, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void aJoinerWakerThatThrowsStopsNeitherTheOtherJoinersNorTheExecutor(ExecutorKind kind) {
        joinerWakerThrowing(kind, () -> new IllegalStateException("a waker that throws"));
    }

    /** The same with an Error (an AssertionError of a user's waker): it escaped, ending the loop, the queue stranded. */
    @EveryKind
    @org.junit.jupiter.api.Timeout(value = 60, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void aJoinerWakerThatThrowsAnErrorStopsNeitherTheOtherJoinersNorTheExecutor(ExecutorKind kind) {
        joinerWakerThrowing(kind, () -> new AssertionError("a waker that throws an Error"));
    }

    private static void joinerWakerThrowing(ExecutorKind kind, java.util.function.Supplier<Throwable> what) {
        try (var ex = kind.open()) {
            String out = ex.run(() -> {
                io.weft.sync.Notify go = io.weft.sync.Notify.create();
                JoinHandle<String> t = Weft.spawn(() -> {
                    go.notified().await();
                    return "done";
                });
                AtomicInteger thrown = new AtomicInteger();
                assertThat(t.poll(new Context(() -> {
                    thrown.incrementAndGet();
                    throw io.weft.compose.Sneaky.rethrow(what.get());
                })).isReady()).isFalse();
                JoinHandle<String> other = Weft.spawn(() -> t.await() + " and seen");
                Weft.yieldNow().await(); // the other joiner waits too
                go.notifyOne();
                String seen = other.await();
                // On two workers the completer may call the throwing waker after the other joiner's, which
                // may have run and finished by now: wait for that call (bounded), not assume it came first.
                long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
                while (thrown.get() == 0 && System.nanoTime() - until < 0) {
                    Weft.yieldNow().await();
                }
                assertThat(thrown).as("the throwing waker was called").hasValue(1);
                return seen + ", " + Weft.spawn(() -> "still running").await();
            });
            assertThat(out).isEqualTo("done and seen, still running");
        }
    }

    @EveryKind
    void handleAwaitedFromAnotherExecutorThread(ExecutorKind kind) throws Exception {
        var gate = new Probes.Gate<String>();
        AtomicReference<Object> other = new AtomicReference<>();
        CountDownLatch handed = new CountDownLatch(1);
        AtomicReference<JoinHandle<String>> handle = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try (var ex2 = LocalExecutor.create()) {
                handed.await();
                other.set(ex2.run(() -> handle.get().await() + "!"));
            } catch (Throwable e) {
                other.set(e);
            }
        });
        t.start();
        try (var ex = kind.open()) {
            String r = ex.run(() -> {
                var h = Weft.spawn(() -> gate.await());
                handle.set(h);
                handed.countDown();
                Weft.yieldNow().await();
                gate.open("v");
                return h.await();
            });
            t.join();
            assertThat(r).isEqualTo("v");
            assertThat(other.get()).isEqualTo("v!");
        }
    }

    /**
     * Many rounds of: a task T parked with one join waiter already registered
     * (so JOIN_WAKER is set), then a foreign thread polls T's handle with fresh
     * wakers in a tight loop while the owner completes T. Every poll that
     * answered pending must have its waker woken once T has completed.
     */
    @SameThreadKinds
    void joinWaiterRegisteringWhileTheTaskCompletesIsAlwaysWoken(ExecutorKind kind) throws Exception {
        final int rounds = 1_000;
        AtomicInteger lost = new AtomicInteger();
        AtomicInteger pendingPolls = new AtomicInteger();
        try (var ex = kind.open()) {
            ex.run(() -> {
                for (int r = 0; r < rounds; r++) {
                    var gate = new Probes.Gate<Integer>();
                    JoinHandle<Integer> target = Weft.spawn(() -> gate.await());
                    JoinHandle<Integer> firstJoiner = Weft.spawn(() -> target.await());
                    Weft.yieldNow().await(); // target parks on the gate, firstJoiner on target
                    CountDownLatch go = new CountDownLatch(1);
                    CountDownLatch finished = new CountDownLatch(1);
                    List<AtomicInteger> pendingWakers = new ArrayList<>();
                    Thread poller = new Thread(() -> {
                        go.countDown();
                        for (;;) {
                            AtomicInteger woken = new AtomicInteger();
                            Poll<Integer> p = target.poll(new Context(woken::incrementAndGet));
                            if (p.isReady()) {
                                break;
                            }
                            pendingWakers.add(woken);
                        }
                        try {
                            finished.await();
                        } catch (InterruptedException e) {
                            throw new RuntimeException(e);
                        }
                    });
                    poller.start();
                    go.await();
                    gate.open(r);
                    firstJoiner.await(); // runs after target's completion woke every registered waiter
                    finished.countDown();
                    poller.join();
                    pendingPolls.addAndGet(pendingWakers.size());
                    for (AtomicInteger w : pendingWakers) {
                        if (w.get() == 0) {
                            lost.incrementAndGet();
                        }
                    }
                }
                return null;
            });
        }
        assertThat(pendingPolls.get()).as("the race window was exercised").isPositive();
        assertThat(lost).as("join wakers registered but never woken (of %d pending polls)", pendingPolls.get()).hasValue(0);
    }

    /**
     * Giving up on a handle aborts its task; giving up on its detached view
     * does not: after two timed-out waits, one of each, only the first task
     * was aborted, and the second still finishes with its value.
     */
    @EveryKind
    void aDetachedViewLeavesTheTaskRunningWhenGivenUp(ExecutorKind kind) {
        var gate = new Probes.Gate<Integer>();
        try (var ex = kind.open()) {
            ex.run(() -> {
                JoinHandle<Integer> owned = Weft.spawn(() -> gate.await());
                JoinHandle<Integer> detached = Weft.spawn(() -> gate.await());
                Weft.yieldNow().await();
                for (Future<Integer> f : List.<Future<Integer>>of(owned, detached.detached())) {
                    try {
                        io.weft.time.Timeout.of(java.time.Duration.ofMillis(1), f).await();
                    } catch (io.weft.time.TimedOutException expected) {
                        // given up
                    }
                }
                gate.open(7);
                assertThat(detached.await()).isEqualTo(7);
                try {
                    owned.await();
                    throw new AssertionError("the owned task was not aborted");
                } catch (TaskCancelledException expected) {
                    return null;
                }
            });
        }
    }
}
