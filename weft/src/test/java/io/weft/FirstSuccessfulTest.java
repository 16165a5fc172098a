package io.weft;

import static io.weft.FuturesTest.gated;
import static io.weft.FuturesTest.thrown;
import static org.assertj.core.api.Assertions.assertThat;

import io.weft.sync.Mutex;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Futures.firstSuccessful: failures do not decide it, the first success does,
 * all failures in one exception. The tests that order their children by
 * yields run on the kinds where the children share the test task's thread.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard, not a speed limit
class FirstSuccessfulTest {

    /** A task that waits on {@code gate}, then throws {@code e}. */
    static JoinHandle<Integer> failingAfter(Probes.Gate<Integer> gate, RuntimeException e) {
        return Weft.spawn(() -> {
            gate.await();
            throw e;
        });
    }

    @SameThreadKinds
    void aFailureDoesNotDecideItTheFirstSuccessDoesAndTheOthersAreAborted(ExecutorKind kind) {
        try (var ex = kind.open()) {
            ex.run(() -> {
                var failGate = new Probes.Gate<Integer>();
                var winGate = new Probes.Gate<Integer>();
                AtomicInteger finallies = new AtomicInteger();
                JoinHandle<Integer> failing = failingAfter(failGate, new IllegalStateException("down"));
                JoinHandle<Integer> slow = gated(new Probes.Gate<>(), finallies);
                JoinHandle<Integer> winner = gated(winGate, finallies);
                CancellableFuture<Integer> first = Futures.firstSuccessful(failing, slow, winner);
                AtomicInteger wakes = new AtomicInteger();
                Context cx = new Context(wakes::incrementAndGet);
                assertThat(first.poll(cx).isReady()).isFalse();

                failGate.open(0);
                Weft.yieldNow().await(); // the failing task runs and fails
                assertThat(wakes.get()).as("the failure woke the combinator").isEqualTo(1);
                assertThat(first.poll(cx).isReady()).as("a failure does not decide it").isFalse();
                assertThat(slow.isFinished() || winner.isFinished()).isFalse();

                winGate.open(7);
                Weft.yieldNow().await();
                assertThat(first.poll(cx).get()).isEqualTo(7);
                assertThat(thrown(slow::await)).as("decided: the other is aborted")
                        .isInstanceOf(TaskCancelledException.class);
                assertThat(finallies.get()).as("the winner's finally and the aborted one's, once each").isEqualTo(2);
                assertThat(first.poll(cx).get()).as("decided: it keeps its value").isEqualTo(7);
                return null;
            });
        }
    }

    @SameThreadKinds
    void whenAllFailItThrowsTheFirstFailureSeenWithTheOthersSuppressedInOrder(ExecutorKind kind) {
        try (var ex = kind.open()) {
            ex.run(() -> {
                List<Probes.Gate<Integer>> gates =
                        List.of(new Probes.Gate<>(), new Probes.Gate<>(), new Probes.Gate<>());
                List<RuntimeException> errors = List.of(new RuntimeException("a"), new RuntimeException("b"),
                        new RuntimeException("c"));
                List<JoinHandle<Integer>> hs = List.of(failingAfter(gates.get(0), errors.get(0)),
                        failingAfter(gates.get(1), errors.get(1)), failingAfter(gates.get(2), errors.get(2)));
                CancellableFuture<Integer> first = Futures.firstSuccessful(hs);
                Context cx = new Context(() -> { });
                assertThat(first.poll(cx).isReady()).isFalse();
                for (int i : new int[] {1, 2}) { // b fails, then c: each seen by a poll
                    gates.get(i).open(0);
                    Weft.yieldNow().await();
                    assertThat(first.poll(cx).isReady()).isFalse();
                }
                gates.get(0).open(0);
                Weft.yieldNow().await();
                Throwable t = thrown(() -> first.poll(cx));
                assertThat(t).isInstanceOf(TaskFailedException.class).hasCause(errors.get(1));
                assertThat(t.getSuppressed()).hasSize(2);
                assertThat(t.getSuppressed()[0]).isInstanceOf(TaskFailedException.class).hasCause(errors.get(2));
                assertThat(t.getSuppressed()[1]).isInstanceOf(TaskFailedException.class).hasCause(errors.get(0));
                assertThat(thrown(() -> first.poll(cx))).as("decided: it keeps its failure").isSameAs(t);
                return null;
            });
        }
    }

    @EveryKind
    void inOnePollTheLowestReadyIndexWinsAndFailuresBeforeItAreSetAside(ExecutorKind kind) {
        try (var ex = kind.open()) {
            ex.run(() -> {
                var never = new Probes.Never<Integer>();
                var later = new Probes.Ready<>(3);
                assertThat(Futures.firstSuccessful(Futures.failed(new RuntimeException("x")), never,
                        Futures.ready(2), later).await()).isEqualTo(2);
                assertThat(later.polls).as("not polled once decided").hasValue(0);

                Exception e1 = new java.io.IOException("e1");
                Exception e2 = new java.io.IOException("e2");
                Throwable t = thrown(() -> Futures.<Integer>firstSuccessful(Futures.failed(e1), Futures.failed(e2))
                        .await());
                assertThat(t).isSameAs(e1);
                assertThat(t.getSuppressed()).containsExactly(e2);

                Exception same = new java.io.IOException("same");
                Throwable twice = thrown(() -> Futures.<Integer>firstSuccessful(Futures.failed(same),
                        Futures.failed(same)).await());
                assertThat(twice).isSameAs(same);
                assertThat(twice.getSuppressed()).as("not suppressed by itself").isEmpty();
                return null;
            });
        }
    }

    @Test
    void noFuturesIsRefusedLikeSelect() {
        assertThat(thrown(Futures::firstSuccessful)).isInstanceOf(IllegalArgumentException.class);
        assertThat(thrown(() -> Futures.firstSuccessful(List.<Future<Integer>>of())))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(thrown(() -> Futures.firstSuccessful(Futures.ready(1), null)))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("future 1");
    }

    @SameThreadKinds
    void cancelSafetyALockHandedToAChildGoesToTheNextWaiterWhenTheAwaitingTaskIsAborted(ExecutorKind kind) {
        try (var ex = kind.open()) {
            ex.run(() -> {
                Mutex<Integer> m = Mutex.create(0);
                Mutex.Guard<Integer> held = m.tryLock();
                AtomicInteger finallies = new AtomicInteger();
                JoinHandle<Integer> task = gated(new Probes.Gate<>(), finallies);
                JoinHandle<Object> waiter = Weft.spawn(() -> Futures.<Object>firstSuccessful(m.lock(), task).await());
                CancelCases.settle(); // the waiter polled both children and waits
                held.close(); // hands the lock to the waiting lock()
                waiter.abort(); // before the waiter polls again
                assertThat(thrown(waiter::await)).isInstanceOf(TaskCancelledException.class);
                try (Mutex.Guard<Integer> next = CancelCases.settled("the next lock()", () -> m.lock().await())) {
                    assertThat(next).as("the lock went on to the next waiter").isNotNull();
                }
                assertThat(thrown(task::await)).as("a task child is aborted")
                        .isInstanceOf(TaskCancelledException.class);
                assertThat(finallies.get()).isEqualTo(1);
                return null;
            });
        }
    }

    @SameThreadKinds
    void theWinnerIsNeverCancelledAndOnceDecidedCancelDoesNothing(ExecutorKind kind) {
        try (var ex = kind.open()) {
            ex.run(() -> {
                AtomicInteger finallies = new AtomicInteger();
                JoinHandle<Integer> loser = gated(new Probes.Gate<>(), finallies);
                Weft.yieldNow().await(); // the loser waits on its gate
                AtomicInteger winnerCancels = new AtomicInteger();
                CancellableFuture<Integer> winner = new CancellableFuture<>() {
                    @Override
                    public Poll<Integer> poll(Context cx) {
                        return Poll.ready(5);
                    }

                    @Override
                    public void cancel() {
                        winnerCancels.incrementAndGet();
                    }
                };
                CancellableFuture<Integer> first = Futures.firstSuccessful(loser, winner);
                assertThat(first.await()).isEqualTo(5);
                assertThat(thrown(loser::await)).isInstanceOf(TaskCancelledException.class);
                first.cancel();
                assertThat(first.await()).as("decided: its value stays").isEqualTo(5);
                assertThat(winnerCancels.get()).isZero();
                assertThat(finallies.get()).as("the loser was aborted once").isEqualTo(1);
                return null;
            });
        }
    }

    @SameThreadKinds
    void inAScopeAFailureThatTheCombinatorSetAsideIsNotThrownByClose(ExecutorKind kind) {
        try (var ex = kind.open()) {
            ex.run(() -> {
                Throwable fromClose = thrown(() -> {
                    try (var scope = TaskScope.open()) {
                        JoinHandle<Integer> down = scope.spawn(() -> {
                            throw new IllegalStateException("replica down");
                        });
                        JoinHandle<Integer> up = scope.spawn(() -> {
                            Weft.yieldNow().await();
                            return 1;
                        });
                        Weft.yieldNow().await(); // down has failed
                        assertThat(Futures.firstSuccessful(down, up).await()).isEqualTo(1);
                    }
                    return null;
                });
                assertThat(fromClose).isNull();
                return null;
            });
        }
    }

    /**
     * A first-success that is given up undecided (it lost a select) had set
     * a failed child's failure aside for nobody: the scope throws it at
     * close. It used to count as received by the combinator, which then
     * dropped it, and the failure reached nobody.
     */
    @SameThreadKinds
    void inAScopeAFailureHeldByAFirstSuccessGivenUpUndecidedIsThrownByClose(ExecutorKind kind) {
        try (var ex = kind.open()) {
            ex.run(() -> {
                IllegalStateException down = new IllegalStateException("replica down");
                Throwable fromClose = thrown(() -> {
                    try (var scope = TaskScope.open()) {
                        JoinHandle<Integer> failed = scope.spawn(() -> {
                            throw down;
                        });
                        JoinHandle<Integer> slow = scope.spawn(() -> new Probes.Gate<Integer>().await());
                        Weft.yieldNow().await(); // failed has failed, slow waits
                        Selected<Integer> s = Futures.select(Futures.firstSuccessful(failed, slow), Futures.ready(0)).await();
                        assertThat(s.index()).isEqualTo(1);
                    }
                    return null;
                });
                assertThat(fromClose).isInstanceOf(TaskFailedException.class).hasCause(down);
                return null;
            });
        }
    }
}
