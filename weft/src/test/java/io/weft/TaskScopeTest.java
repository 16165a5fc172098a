package io.weft;

import static io.weft.FuturesTest.thrown;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** TaskScope: join, close cancels and waits, fail-fast, failures never lost. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard, not a speed limit
class TaskScopeTest {

    @SameThreadKinds
    void closeCancelsRunningChildrenAndWaitsForTheirFinally(ExecutorKind kind) {
        try (var ex = kind.open()) {
            ex.run(() -> {
                AtomicInteger started = new AtomicInteger();
                AtomicInteger finallies = new AtomicInteger();
                List<JoinHandle<Integer>> hs = new ArrayList<>();
                try (var scope = TaskScope.open()) {
                    for (int i = 0; i < 3; i++) {
                        hs.add(scope.spawn(() -> {
                            started.incrementAndGet();
                            try {
                                return new Probes.Gate<Integer>().await();
                            } finally {
                                finallies.incrementAndGet();
                            }
                        }));
                    }
                    Weft.yieldNow().await(); // the three suspend on their gates
                    hs.add(scope.spawn(() -> started.incrementAndGet())); // never gets to start
                    assertThat(scope.running()).isEqualTo(4);
                }
                assertThat(finallies.get()).as("close() returned after every finally ran").isEqualTo(3);
                assertThat(started.get()).as("a child that had not started never runs").isEqualTo(3);
                assertThat(hs).allMatch(JoinHandle::isFinished);
                for (var h : hs) {
                    assertThat(thrown(h::await)).isInstanceOf(TaskCancelledException.class);
                }
                return null;
            });
        }
    }

    @SameThreadKinds
    void joinWaitsForEveryChildIncludingOnesSpawnedWhileJoining(ExecutorKind kind) {
        try (var ex = kind.open()) {
            ex.run(() -> {
                var gate = new Probes.Gate<Integer>();
                AtomicReference<JoinHandle<Integer>> grandchild = new AtomicReference<>();
                try (var scope = TaskScope.open()) {
                    JoinHandle<Integer> a = scope.spawn(() -> {
                        grandchild.set(scope.spawn(() -> gate.await() * 2));
                        return 1;
                    });
                    Weft.spawn(() -> {
                        Weft.yieldNow().await();
                        gate.open(21);
                    });
                    scope.join();
                    assertThat(a.isFinished()).isTrue();
                    assertThat(grandchild.get().isFinished()).as("spawned by a child while join() waited").isTrue();
                    assertThat(grandchild.get().await()).isEqualTo(42);
                    assertThat(scope.running()).isZero();
                }
                return null;
            });
        }
    }

    @SameThreadKinds
    void failFastAbortsSiblingsAndJoinThrowsTheFirstFailureAfterTheirFinallyRan(ExecutorKind kind) {
        try (var ex = kind.open()) {
            ex.run(() -> {
                AtomicInteger finallies = new AtomicInteger();
                var trigger = new Probes.Gate<Integer>();
                IllegalStateException boom = new IllegalStateException("boom");
                List<JoinHandle<Integer>> siblings = new ArrayList<>();
                Throwable t;
                try (var scope = TaskScope.failFast()) {
                    for (int i = 0; i < 2; i++) {
                        siblings.add(scope.spawn(() -> {
                            try {
                                return new Probes.Gate<Integer>().await();
                            } finally {
                                finallies.incrementAndGet();
                            }
                        }));
                    }
                    scope.spawn(() -> {
                        trigger.await();
                        throw boom;
                    });
                    Weft.spawn(() -> trigger.open(0));
                    t = thrown(() -> {
                        scope.join();
                        return null;
                    });
                    assertThat(finallies.get()).as("join() waited for the aborted siblings").isEqualTo(2);
                    assertThat(siblings).allMatch(JoinHandle::isFinished);
                    JoinHandle<Integer> late = scope.spawn(() -> 1);
                    scope.join(); // the failure was reported once; the late child is aborted before it runs
                    assertThat(thrown(late::await)).isInstanceOf(TaskCancelledException.class);
                }
                assertThat(t).isInstanceOf(TaskFailedException.class).hasCause(boom);
                assertThat(t.getSuppressed()).as("cancelled siblings are not failures").isEmpty();
                return null;
            });
        }
    }

    @SameThreadKinds
    void withoutFailFastJoinWaitsForAllAndThrowsTheFirstFailureWithTheOthersSuppressed(ExecutorKind kind) {
        try (var ex = kind.open()) {
            ex.run(() -> {
                var gateA = new Probes.Gate<Integer>();
                var gateB = new Probes.Gate<Integer>();
                var gateC = new Probes.Gate<Integer>();
                RuntimeException a = new RuntimeException("a");
                RuntimeException b = new RuntimeException("b");
                JoinHandle<Integer> ok;
                Throwable t;
                try (var scope = TaskScope.open()) {
                    scope.spawn(() -> {
                        gateA.await();
                        throw a;
                    });
                    scope.spawn(() -> {
                        gateB.await();
                        throw b;
                    });
                    ok = scope.spawn(() -> gateC.await());
                    Weft.spawn(() -> {
                        gateB.open(0);
                        Weft.yieldNow().await();
                        gateA.open(0);
                        Weft.yieldNow().await();
                        gateC.open(3);
                    });
                    t = thrown(() -> {
                        scope.join();
                        return null;
                    });
                }
                assertThat(ok.await()).as("a sibling of failures still finished normally").isEqualTo(3);
                assertThat(t).isInstanceOf(TaskFailedException.class).hasCause(b);
                assertThat(t.getSuppressed()).hasSize(1);
                assertThat(t.getSuppressed()[0]).isInstanceOf(TaskFailedException.class).hasCause(a);
                return null;
            });
        }
    }

    @SameThreadKinds
    void closeThrowsAFailureThatNoJoinReported(ExecutorKind kind) {
        try (var ex = kind.open()) {
            ex.run(() -> {
                RuntimeException boom = new RuntimeException("boom");
                var scope = TaskScope.open();
                scope.spawn(() -> {
                    throw boom;
                });
                Weft.yieldNow().await(); // the child fails
                Throwable t = thrown(() -> {
                    scope.close();
                    return null;
                });
                assertThat(t).isInstanceOf(TaskFailedException.class).hasCause(boom);
                assertThat(thrown(() -> {
                    scope.close();
                    return null;
                })).as("close is idempotent").isNull();
                assertThat(thrown(() -> scope.spawn(() -> 1))).isInstanceOf(IllegalStateException.class);
                return null;
            });
        }
    }

    @Test
    void closeDoesNotThrowAFailureTheOwnerReceivedByAwaitingTheChild() {
        List<String> reports = new ArrayList<>();
        try (var ex = LocalExecutor.builder().onUnobservedFailure((n, e) -> reports.add(n)).build()) {
            ex.run(() -> {
                RuntimeException boom = new RuntimeException("boom");
                Throwable fromClose = thrown(() -> {
                    try (var scope = TaskScope.open()) {
                        JoinHandle<Integer> h = scope.spawn(() -> {
                            throw boom;
                        });
                        assertThat(thrown(h::await)).isInstanceOf(TaskFailedException.class).hasCause(boom);
                    }
                    return null;
                });
                assertThat(fromClose).as("handled by the owner: not thrown again").isNull();

                Throwable fromBody = thrown(() -> {
                    try (var scope = TaskScope.failFast()) {
                        scope.spawn(() -> {
                            throw boom;
                        }).await(); // not caught: leaves the block
                    }
                    return null;
                });
                assertThat(fromBody).isInstanceOf(TaskFailedException.class).hasCause(boom);
                assertThat(fromBody.getSuppressed()).as("close() does not add the same failure again").isEmpty();
                return null;
            });
        }
        assertThat(reports).as("a scope's child is never reported as unobserved").isEmpty();
    }

    @SameThreadKinds
    void aFailureACombinatorThrewToTheOwnerIsNotThrownAgainButOneItNeverDeliveredIs(ExecutorKind kind) {
        try (var ex = kind.open()) {
            ex.run(() -> {
                RuntimeException a = new RuntimeException("a");
                RuntimeException b = new RuntimeException("b");
                var gate = new Probes.Gate<Integer>();
                try (var scope = TaskScope.open()) {
                    JoinHandle<Integer> ha = scope.spawn(() -> {
                        gate.await();
                        throw a;
                    });
                    JoinHandle<Integer> hb = scope.spawn(() -> {
                        gate.await();
                        throw b;
                    });
                    Weft.yieldNow().await(); // both wait on the gate
                    gate.open(0);
                    Weft.yieldNow().await(); // both fail
                    // the join is polled after both failed and throws a's failure only
                    assertThat(thrown(() -> Futures.join(ha, hb).await())).isInstanceOf(TaskFailedException.class)
                            .hasCause(a);
                    assertThat(hb.isFinished()).isTrue();
                    Throwable fromJoin = thrown(() -> {
                        scope.join();
                        return null;
                    });
                    assertThat(fromJoin).as("b's failure reached nobody").isInstanceOf(TaskFailedException.class)
                            .hasCause(b);
                    assertThat(fromJoin.getSuppressed()).as("a's reached the owner through the join").isEmpty();

                    JoinHandle<Integer> hc = scope.spawn(() -> {
                        throw a;
                    });
                    assertThat(thrown(() -> Futures.select(hc, new Probes.Never<Integer>()).await()))
                            .isInstanceOf(TaskFailedException.class).hasCause(a);
                }
                return null;
            });
        }
    }

    @Test
    void openOutsideATaskIsRefused() {
        assertThat(thrown(TaskScope::open)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("TaskScope.open");
    }

    @SameThreadKinds
    void anAbortedOwnerCannotWaitInCloseButItsChildrenStillRunTheirFinallyOnceAndNoFailureIsLost(ExecutorKind kind) {
        try (var ex = kind.open()) {
            ex.run(() -> {
                AtomicInteger finallies = new AtomicInteger();
                AtomicReference<JoinHandle<Integer>> child = new AtomicReference<>();
                AtomicReference<Throwable> closeSaw = new AtomicReference<>();
                RuntimeException boom = new RuntimeException("boom");
                JoinHandle<Void> owner = Weft.spawn(() -> {
                    try (var scope = TaskScope.open()) {
                        scope.spawn(() -> {
                            throw boom;
                        });
                        child.set(scope.spawn(() -> {
                            try {
                                return new Probes.Gate<Integer>().await();
                            } finally {
                                finallies.incrementAndGet();
                            }
                        }));
                        scope.join();
                    } catch (TaskCancelledException e) {
                        closeSaw.set(e);
                        throw e;
                    }
                });
                Weft.yieldNow().await();
                Weft.yieldNow().await(); // owner waits in join, child on its gate
                owner.abort();
                assertThat(thrown(owner::await)).isInstanceOf(TaskCancelledException.class);
                assertThat(closeSaw.get()).isNotNull();
                assertThat(closeSaw.get().getSuppressed()).as("close() could not wait: it threw too").hasSize(1);
                Throwable fromClose = closeSaw.get().getSuppressed()[0];
                assertThat(fromClose).isInstanceOf(TaskCancelledException.class);
                assertThat(fromClose.getSuppressed()).as("the failure no join reported is not lost").hasSize(1);
                assertThat(fromClose.getSuppressed()[0]).isInstanceOf(TaskFailedException.class).hasCause(boom);
                assertThat(thrown(child.get()::await)).isInstanceOf(TaskCancelledException.class);
                assertThat(finallies.get()).isEqualTo(1);
                return null;
            });
        }
    }

    /** A failure whose getMessage throws: its words cannot be had, its class can. */
    static final class Unspeakable extends RuntimeException {
        @Override
        public String getMessage() {
            throw new IllegalStateException("getMessage of a user's exception threw");
        }
    }

    /**
     * A child whose failure cannot say its message still ends as a failure
     * the scope reports, named by its class. Without it the message that
     * names the failure threw in the scope's completion listener, the child
     * was never counted as finished, and join waited for ever.
     */
    @SameThreadKinds
    void aChildFailureWhoseMessageThrowsIsStillReported(ExecutorKind kind) {
        try (var ex = kind.open()) {
            ex.run(() -> {
                var scope = TaskScope.open();
                scope.spawn(() -> {
                    throw new Unspeakable();
                });
                Throwable t = thrown(() -> {
                    scope.join();
                    return null;
                });
                assertThat(t).isInstanceOf(TaskFailedException.class).hasCauseInstanceOf(Unspeakable.class);
                assertThat(t.getMessage()).contains(Unspeakable.class.getName());
                scope.close();
                return null;
            });
        }
    }
}
