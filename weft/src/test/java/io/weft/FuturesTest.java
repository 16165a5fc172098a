package io.weft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;

/**
 * Futures.join / select / race / zip / ready / failed: values, fail-fast,
 * cancellation of losers; on every executor kind, and the tests that count
 * the finally blocks of aborted losers on the kinds where the losers have
 * run before the abort (on two workers a loser aborted before its first
 * poll never runs at all).
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard, not a speed limit
class FuturesTest {

    /** What {@code c} threw, or null. */
    static Throwable thrown(Callable<?> c) {
        try {
            c.call();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    /** A task that waits on {@code gate} and counts its finally blocks in {@code finallies}. */
    static <T> JoinHandle<T> gated(Probes.Gate<T> gate, AtomicInteger finallies) {
        return Weft.spawn(() -> {
            try {
                return gate.await();
            } finally {
                finallies.incrementAndGet();
            }
        });
    }

    @EveryKind
    void joinReturnsAllValuesInArgumentOrderWhateverTheCompletionOrder(ExecutorKind kind) {
        try (var ex = kind.open()) {
            List<Object> values = ex.run(() -> {
                List<Probes.Gate<String>> gates = List.of(new Probes.Gate<>(), new Probes.Gate<>(), new Probes.Gate<>());
                AtomicInteger finallies = new AtomicInteger();
                List<JoinHandle<String>> hs = new ArrayList<>();
                for (var g : gates) {
                    hs.add(gated(g, finallies));
                }
                JoinHandle<List<Object>> joiner = Weft.spawn(() -> Futures.<Object>join(
                        hs.get(0), hs.get(1), hs.get(2), Futures.ready(null), Futures.ready(4)).await());
                Weft.yieldNow().await();
                gates.get(2).open("c");
                Weft.yieldNow().await();
                gates.get(0).open("a");
                Weft.yieldNow().await();
                assertThat(joiner.isFinished()).as("still waiting for b").isFalse();
                gates.get(1).open("b");
                List<Object> v = joiner.await();
                assertThat(finallies.get()).isEqualTo(3);
                return v;
            });
            assertThat(values).containsExactly("a", "b", "c", null, 4);
        }
    }

    @EveryKind
    void aJoinOfHandlesCanBeAwaitedByAPlainThread(ExecutorKind kind) throws Exception {
        java.util.concurrent.atomic.AtomicReference<Object> plain = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.CountDownLatch registered = new java.util.concurrent.CountDownLatch(1);
        Thread t;
        try (var ex = kind.open()) {
            var gate = new Probes.Gate<Integer>();
            JoinHandle<Integer> a = ex.run(() -> Weft.spawn(() -> gate.await() + 1));
            JoinHandle<Integer> b = ex.run(() -> Weft.spawn(() -> 2));
            Future<List<Integer>> all = Futures.join(a, b);
            Future<List<Integer>> watched = cx -> {
                Poll<List<Integer>> p = all.poll(cx);
                registered.countDown();
                return p;
            };
            t = new Thread(() -> {
                try {
                    plain.set(watched.await()); // block_on: parks this thread
                } catch (Throwable e) {
                    plain.set(e);
                }
            });
            t.start();
            registered.await();
            ex.run(() -> {
                gate.open(0);
                return a.await() + b.await(); // both done before the close, which would cancel one not yet run
            });
        }
        t.join();
        assertThat(plain.get()).isEqualTo(List.of(1, 2));
    }

    @EveryKind
    void joinOfNothingIsAnEmptyList(ExecutorKind kind) {
        try (var ex = kind.open()) {
            assertThat(ex.run(() -> Futures.<Integer>join().await())).isEmpty();
        }
    }

    @SameThreadKinds
    void joinFailsFastWithThatExceptionAndAbortsTheOthers(ExecutorKind kind) {
        try (var ex = kind.open()) {
            ex.run(() -> {
                AtomicInteger finallies = new AtomicInteger();
                var never1 = new Probes.Gate<Integer>();
                var never2 = new Probes.Gate<Integer>();
                var trigger = new Probes.Gate<Integer>();
                IllegalStateException boom = new IllegalStateException("boom");
                JoinHandle<Integer> a = gated(never1, finallies);
                JoinHandle<Integer> b = gated(never2, finallies);
                JoinHandle<Integer> c = Weft.spawn(() -> {
                    trigger.await();
                    throw boom;
                });
                Future<List<Integer>> all = Futures.join(a, b, c);
                Weft.spawn(() -> trigger.open(0));
                Throwable t = thrown(all::await);
                assertThat(t).isInstanceOf(TaskFailedException.class).hasCause(boom);
                assertThat(a.isFinished() || b.isFinished()).as("fails fast: it did not wait for the aborted ones").isFalse();
                assertThat(thrown(a::await)).isInstanceOf(TaskCancelledException.class);
                assertThat(thrown(b::await)).isInstanceOf(TaskCancelledException.class);
                assertThat(finallies.get()).as("each aborted task ran its finally once").isEqualTo(2);
                assertThat(thrown(all::await)).as("a decided join keeps its failure").isSameAs(t);
                return null;
            });
        }
    }

    /**
     * A join that fails closes what it took, also inside the results of the
     * combinators among its children (a join's list, a select's Selected):
     * the permits taken by a nested join and a nested select go back. They
     * used to stay taken: only a value that was itself AutoCloseable was
     * closed.
     */
    @EveryKind
    void aFailedJoinClosesWhatItTookInsideNestedJoinsAndSelects(ExecutorKind kind) {
        try (var ex = kind.open()) {
            ex.run(() -> {
                io.weft.sync.Semaphore permits = io.weft.sync.Semaphore.create(2);
                IllegalStateException boom = new IllegalStateException("boom");
                Throwable t = thrown(() -> Futures.join(
                        Futures.join(permits.acquire()),
                        Futures.select(permits.acquire(), new Probes.Gate<io.weft.sync.Semaphore.Permit>()),
                        Futures.failed(boom)).await());
                assertThat(t).isSameAs(boom);
                assertThat(permits.availablePermits()).as("both permits back").isEqualTo(2);
                return null;
            });
        }
    }

    /**
     * A task's output reached through a combinator (a race, a select, a map,
     * a nested join of its handle) is the task's, shared by its handle with
     * every waiter: a failed join leaves it open. It used to close the
     * permit the task held, which its handle then gave out as if held.
     */
    @EveryKind
    void aFailedJoinLeavesATasksOutputReachedThroughACombinatorOpen(ExecutorKind kind) {
        try (var ex = kind.open()) {
            ex.run(() -> {
                io.weft.sync.Semaphore permits = io.weft.sync.Semaphore.create(4);
                IllegalStateException boom = new IllegalStateException("boom");
                List<JoinHandle<io.weft.sync.Semaphore.Permit>> hs = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    hs.add(Weft.spawn(() -> permits.acquire().await()));
                }
                for (var h : hs) {
                    h.await(); // finished: each holds a permit
                }
                Throwable t = thrown(() -> Futures.join(
                        Futures.race(hs.get(0), new Probes.Gate<io.weft.sync.Semaphore.Permit>()),
                        Futures.select(hs.get(1), new Probes.Gate<io.weft.sync.Semaphore.Permit>()),
                        hs.get(2).map(p -> p),
                        Futures.join(hs.get(3)),
                        Futures.failed(boom)).await());
                assertThat(t).isSameAs(boom);
                assertThat(permits.availablePermits()).as("every permit still held by its task's output").isZero();
                for (var h : hs) {
                    h.await().close();
                }
                assertThat(permits.availablePermits()).isEqualTo(4);
                return null;
            });
        }
    }

    @EveryKind
    void joinPollsAJoinHandleChildWithTheCombinatorsWaker(ExecutorKind kind) {
        try (var ex = kind.open()) {
            ex.run(() -> {
                var gate = new Probes.Gate<Integer>();
                JoinHandle<Integer> h = Weft.spawn(() -> gate.await() + 1);
                AtomicInteger wakes = new AtomicInteger();
                Context cx = new Context(wakes::incrementAndGet);
                Future<List<Integer>> all = Futures.join(h, Futures.ready(0));
                assertThat(all.poll(cx).isReady()).isFalse();
                assertThat(all.poll(cx).isReady()).isFalse(); // the same waker is registered once
                gate.open(41);
                h.await();
                assertThat(wakes.get()).as("the handle woke the combinator's waker exactly once").isEqualTo(1);
                assertThat(all.poll(cx).get()).containsExactly(42, 0);
                return null;
            });
        }
    }

    @SameThreadKinds
    void selectReturnsTheFirstAndAbortsTheLosersWhoseFinallyRunsOnce(ExecutorKind kind) {
        try (var ex = kind.open()) {
            ex.run(() -> {
                List<Probes.Gate<String>> gates = List.of(new Probes.Gate<>(), new Probes.Gate<>(), new Probes.Gate<>());
                AtomicInteger[] finallies = {new AtomicInteger(), new AtomicInteger(), new AtomicInteger()};
                List<JoinHandle<String>> hs = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    hs.add(gated(gates.get(i), finallies[i]));
                }
                Weft.yieldNow().await(); // the three wait on their gates
                Weft.spawn(() -> gates.get(1).open("b"));
                Selected<String> s = Futures.selectAll(hs).await();
                assertThat(s).isEqualTo(new Selected<>(1, "b"));
                assertThat(thrown(hs.get(0)::await)).isInstanceOf(TaskCancelledException.class);
                assertThat(thrown(hs.get(2)::await)).isInstanceOf(TaskCancelledException.class);
                gates.get(0).open("late");
                gates.get(2).open("late");
                Weft.yieldNow().await();
                assertThat(Arrays.stream(finallies).map(AtomicInteger::get)).containsExactly(1, 1, 1);
                assertThat(gates.get(0).polls.get()).as("an aborted loser is resumed only to unwind").isEqualTo(1);
                return null;
            });
        }
    }

    @SameThreadKinds
    void raceBetweenAReadyAndAPendingFutureTakesTheReadyOneAndAbortsThePendingTask(ExecutorKind kind) {
        try (var ex = kind.open()) {
            ex.run(() -> {
                AtomicInteger finallies = new AtomicInteger();
                JoinHandle<Integer> pending = gated(new Probes.Gate<>(), finallies);
                Weft.yieldNow().await(); // it is suspended on its gate
                assertThat(Futures.race(pending, Futures.ready(7)).await()).isEqualTo(7);
                assertThat(thrown(pending::await)).isInstanceOf(TaskCancelledException.class);
                assertThat(finallies.get()).isEqualTo(1);

                var never = new Probes.Never<String>();
                assertThat(Futures.select(never, Futures.ready("x")).await()).isEqualTo(new Selected<>(1, "x"));
                assertThat(never.polls.get()).as("a plain loser is dropped, never polled again").isEqualTo(1);
                assertThat(Futures.select(Futures.ready("first"), Futures.ready("second")).await())
                        .as("ready together: the lowest index wins").isEqualTo(new Selected<>(0, "first"));
                return null;
            });
        }
    }

    @SameThreadKinds
    void aFailingWinnerFailsTheSelectAndStillAbortsTheOthers(ExecutorKind kind) {
        try (var ex = kind.open()) {
            ex.run(() -> {
                AtomicInteger finallies = new AtomicInteger();
                JoinHandle<Integer> pending = gated(new Probes.Gate<>(), finallies);
                Weft.yieldNow().await(); // it is suspended on its gate
                Exception checked = new java.io.IOException("io");
                Throwable t = thrown(() -> Futures.select(pending, Futures.failed(checked)).await());
                assertThat(t).isSameAs(checked);
                assertThat(thrown(pending::await)).isInstanceOf(TaskCancelledException.class);
                assertThat(finallies.get()).isEqualTo(1);
                return null;
            });
        }
    }

    @SameThreadKinds
    void aDecidedSelectCancelsANestedJoinWhichAbortsItsTasks(ExecutorKind kind) {
        try (var ex = kind.open()) {
            ex.run(() -> {
                AtomicInteger finallies = new AtomicInteger();
                JoinHandle<Integer> a = gated(new Probes.Gate<>(), finallies);
                JoinHandle<Integer> b = gated(new Probes.Gate<>(), finallies);
                Weft.yieldNow().await(); // both wait on their gates
                var winner = new Probes.Gate<List<Integer>>();
                Weft.spawn(() -> winner.open(List.of(9)));
                Selected<List<Integer>> s = Futures.select(Futures.join(a, b), winner).await();
                assertThat(s.index()).isEqualTo(1);
                assertThat(thrown(a::await)).isInstanceOf(TaskCancelledException.class);
                assertThat(thrown(b::await)).isInstanceOf(TaskCancelledException.class);
                assertThat(finallies.get()).isEqualTo(2);
                return null;
            });
        }
    }

    @EveryKind
    void zipCombinesTwoTypedValues(ExecutorKind kind) {
        try (var ex = kind.open()) {
            String s = ex.run(() -> {
                JoinHandle<Integer> n = Weft.spawn(() -> 6 * 7);
                return Futures.zip(n, Futures.ready("x"), (i, str) -> str + i).await();
            });
            assertThat(s).isEqualTo("x42");
        }
    }

    @SameThreadKinds
    void awaitingReadyFuturesInALoopSpendsTheBudgetAndLetsOthersRun(ExecutorKind kind) {
        try (var ex = kind.open()) {
            ex.run(() -> {
                AtomicInteger otherRanAt = new AtomicInteger(-1);
                int[] i = {0};
                Weft.spawn(() -> otherRanAt.set(i[0]));
                for (; i[0] < 1000; i[0]++) {
                    Futures.ready(i[0]).await();
                }
                assertThat(otherRanAt.get()).as("the other task ran before the loop ended").isBetween(0, 999);
                return null;
            });
        }
    }
}
