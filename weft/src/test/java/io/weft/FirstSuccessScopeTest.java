package io.weft;

import static io.weft.FuturesTest.thrown;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** TaskScope.firstSuccess(): the first success aborts the others and is join()'s value; failures only without one. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard, not a speed limit
class FirstSuccessScopeTest {

    @Test
    void theFirstChildToSucceedAbortsTheOthersAndJoinReturnsItsValueOnceTheyHaveFinished() {
        List<String> reports = new ArrayList<>();
        try (var ex = LocalExecutor.builder().onUnobservedFailure((n, e) -> reports.add(n)).build()) {
            ex.run(() -> {
                var failGate = new Probes.Gate<Integer>();
                var winGate = new Probes.Gate<String>();
                AtomicInteger finallies = new AtomicInteger();
                AtomicInteger lateRuns = new AtomicInteger();
                try (var scope = TaskScope.<CharSequence>firstSuccess()) {
                    scope.spawn(() -> {
                        failGate.await();
                        throw new IllegalStateException("replica down");
                    });
                    JoinHandle<String> winner = scope.spawn(winGate::await);
                    JoinHandle<String> slow = scope.spawn(() -> {
                        try {
                            return new Probes.Gate<String>().await();
                        } finally {
                            finallies.incrementAndGet();
                        }
                    });
                    Weft.yieldNow().await(); // all three wait on their gates
                    failGate.open(0);
                    Weft.yieldNow().await();
                    assertThat(scope.running()).as("a failure does not decide it").isEqualTo(2);

                    winGate.open("from b");
                    assertThat(scope.join()).isEqualTo("from b");
                    assertThat(finallies.get()).as("join() returned after the aborted child's finally").isEqualTo(1);
                    assertThat(thrown(slow::await)).isInstanceOf(TaskCancelledException.class);
                    assertThat(winner.await()).isEqualTo("from b");

                    JoinHandle<String> late = scope.spawn(() -> {
                        lateRuns.incrementAndGet();
                        return "late";
                    });
                    assertThat(scope.join()).as("the value stays the winner's").isEqualTo("from b");
                    assertThat(thrown(late::await)).isInstanceOf(TaskCancelledException.class);
                    assertThat(lateRuns.get()).as("spawned after the winner: aborted before it ran").isZero();
                } // close(): the failure is not thrown, there is a winner
                return null;
            });
        }
        assertThat(reports).as("the failed child is the scope's, never reported as unobserved").isEmpty();
    }

    @SameThreadKinds
    void withoutAWinnerJoinThrowsTheFirstFailureWithTheLaterOnesSuppressed(ExecutorKind kind) {
        try (var ex = kind.open()) {
            ex.run(() -> {
                var gateA = new Probes.Gate<Integer>();
                var gateB = new Probes.Gate<Integer>();
                RuntimeException a = new RuntimeException("a");
                RuntimeException b = new RuntimeException("b");
                Throwable t;
                try (var scope = TaskScope.<Integer>firstSuccess()) {
                    scope.spawn(() -> {
                        gateA.await();
                        throw a;
                    });
                    scope.spawn(() -> {
                        gateB.await();
                        throw b;
                    });
                    Weft.spawn(() -> {
                        gateB.open(0);
                        Weft.yieldNow().await();
                        gateA.open(0);
                    });
                    t = thrown(scope::join);
                    assertThat(thrown(scope::join)).as("the failures were thrown once")
                            .isInstanceOf(NoSuchElementException.class);
                }
                assertThat(t).isInstanceOf(TaskFailedException.class).hasCause(b);
                assertThat(t.getSuppressed()).hasSize(1);
                assertThat(t.getSuppressed()[0]).isInstanceOf(TaskFailedException.class).hasCause(a);
                return null;
            });
        }
    }

    @SameThreadKinds
    void withoutAWinnerAFailureTheOwnerReceivedIsLeftOutAndCloseThrowsWhatIsLeft(ExecutorKind kind) {
        try (var ex = kind.open()) {
            ex.run(() -> {
                RuntimeException seen = new RuntimeException("seen");
                RuntimeException unseen = new RuntimeException("unseen");
                try (var scope = TaskScope.<Integer>firstSuccess()) {
                    JoinHandle<Integer> h = scope.spawn(() -> {
                        throw seen;
                    });
                    assertThat(thrown(h::await)).hasCause(seen);
                    assertThat(thrown(scope::join)).as("nothing succeeded and nothing is left to throw")
                            .isInstanceOf(NoSuchElementException.class).hasMessageContaining("none of the 1 children");
                }
                try (var empty = TaskScope.<Integer>firstSuccess()) {
                    assertThat(thrown(empty::join)).isInstanceOf(NoSuchElementException.class)
                            .hasMessageContaining("no children");
                }

                var gate = new Probes.Gate<Integer>();
                var scope = TaskScope.<Integer>firstSuccess();
                scope.spawn(() -> {
                    throw unseen;
                });
                scope.spawn(() -> gate.await()); // never opened: close() aborts it
                Weft.yieldNow().await();
                assertThat(thrown(() -> {
                    scope.close();
                    return null;
                })).as("no join reported it, and no child won")
                        .isInstanceOf(TaskFailedException.class).hasCause(unseen);
                return null;
            });
        }
    }

    @SameThreadKinds
    void aChildFailingWhileItIsAbortedByTheWinnerIsNotAFailure(ExecutorKind kind) {
        try (var ex = kind.open()) {
            ex.run(() -> {
                try (var scope = TaskScope.<String>firstSuccess()) {
                    JoinHandle<String> stubborn = scope.spawn(() -> {
                        try {
                            return new Probes.Gate<String>().await();
                        } catch (TaskCancelledException e) {
                            throw new IllegalStateException("cleanup failed"); // replaces the cancellation
                        }
                    });
                    Weft.yieldNow().await();
                    scope.spawn(() -> "fast");
                    assertThat(scope.join()).isEqualTo("fast");
                    assertThat(thrown(stubborn::await)).isInstanceOf(TaskCancelledException.class);
                }
                return null;
            });
        }
    }

    @Test
    void usedOutsideItsExecutorsThreadItIsRefused() {
        assertThat(thrown(TaskScope::firstSuccess)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("TaskScope.firstSuccess");
    }
}
