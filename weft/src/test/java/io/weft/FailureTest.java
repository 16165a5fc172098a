package io.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Tasks that throw: awaited failures, unobserved failures, the executor
 * keeps going; on every executor kind (a task left unrun at the end of
 * {@code run} on a LocalExecutor only: the other kinds go on running it).
 */
class FailureTest {

    record Report(String task, Throwable error) {
    }

    private static LocalExecutor recording(List<Report> reports) {
        return LocalExecutor.builder().onUnobservedFailure((n, e) -> reports.add(new Report(n, e))).build();
    }

    private static ExecutorKind.Running recording(ExecutorKind kind, List<Report> reports) {
        return kind.open((n, e) -> reports.add(new Report(n, e)));
    }

    @EveryKind
    void awaitOfFailedTaskThrowsTaskFailedExceptionWithTheCause(ExecutorKind kind) {
        var boom = new IllegalArgumentException("boom");
        var checked = new IOException("io");
        List<Report> reports = new CopyOnWriteArrayList<>();
        try (var ex = recording(kind, reports)) {
            ex.run(() -> {
                var h1 = Weft.spawn(() -> {
                    throw boom;
                });
                var h2 = Weft.spawn((java.util.concurrent.Callable<Integer>) () -> {
                    Weft.yieldNow().await();
                    throw checked;
                });
                assertThatThrownBy(h1::await).isInstanceOf(TaskFailedException.class).hasCause(boom);
                assertThatThrownBy(h2::await).isInstanceOf(TaskFailedException.class).cause().isSameAs(checked);
                // awaiting again gives the same failure
                assertThatThrownBy(h1::await).isInstanceOf(TaskFailedException.class).cause().isSameAs(boom);
                return null;
            });
        }
        assertThat(reports).as("awaited failures are not reported").isEmpty();
    }

    @EveryKind
    void pollBasedTaskThatThrowsFailsItsHandle(ExecutorKind kind) {
        var boom = new IllegalStateException("poll failed");
        try (var ex = kind.open()) {
            Throwable t = ex.run(() -> {
                var h = Weft.spawn((Future<Integer>) cx -> {
                    throw boom;
                });
                try {
                    h.await();
                    return null;
                } catch (TaskFailedException e) {
                    return e.getCause();
                }
            });
            assertThat(t).isSameAs(boom);
        }
    }

    @EveryKind
    void executorKeepsRunningOtherTasksAfterAFailure(ExecutorKind kind) {
        try (var ex = kind.open((n, e) -> { })) {
            int sum = ex.run(() -> {
                List<JoinHandle<Integer>> hs = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    int k = i;
                    hs.add(Weft.spawn(() -> {
                        Weft.yieldNow().await();
                        if (k % 2 == 0) {
                            throw new RuntimeException("task " + k);
                        }
                        return k;
                    }));
                }
                int s = 0;
                int failed = 0;
                for (var h : hs) {
                    try {
                        s += h.await();
                    } catch (TaskFailedException e) {
                        failed++;
                        assertThat(e.getCause()).hasMessageStartingWith("task ");
                    }
                }
                assertThat(failed).isEqualTo(10);
                return s;
            });
            assertThat(sum).isEqualTo(1 + 3 + 5 + 7 + 9 + 11 + 13 + 15 + 17 + 19);
            assertThat(ex.run(() -> Weft.spawn(() -> "still alive").await())).isEqualTo("still alive");
        }
    }

    @EveryKind
    void unobservedFailureIsReportedExactlyOnceWithTheTasksError(ExecutorKind kind) {
        var boom = new RuntimeException("nobody looks");
        List<Report> reports = new CopyOnWriteArrayList<>();
        var ex = recording(kind, reports);
        ex.run(() -> {
            Weft.spawn(() -> {
                throw boom;
            }); // handle dropped
            Weft.yieldNow().await(); // it runs and fails
            return null;
        });
        // more work with idle phases and a GC, which may let the executor notice the dropped handle
        System.gc();
        ex.run(() -> {
            Weft.sleep(java.time.Duration.ofMillis(1)).await();
            return null;
        });
        ex.close();
        ex.close();
        assertThat(reports).hasSize(1);
        assertThat(reports.get(0).error()).isSameAs(boom);
        assertThat(reports.get(0).task()).isNotBlank();
    }

    @Test
    void failureOfLeftoverTaskWithDroppedHandleIsReportedOnClose() {
        var boom = new RuntimeException("late");
        List<Report> reports = new CopyOnWriteArrayList<>();
        var ex = recording(reports);
        ex.run(() -> {
            Weft.spawn(() -> {
                throw boom;
            });
            return null; // the task has not run yet; it is left for close
        });
        ex.close();
        // a leftover task is cancelled by close, never run: there is no failure to report
        assertThat(reports).isEmpty();
    }

    @EveryKind
    void failureAwaitedAfterItHappenedIsNotReported(ExecutorKind kind) {
        List<Report> reports = new CopyOnWriteArrayList<>();
        try (var ex = recording(kind, reports)) {
            ex.run(() -> {
                var h = Weft.spawn(() -> {
                    throw new RuntimeException("seen later");
                });
                while (!h.isFinished()) {
                    Weft.yieldNow().await();
                }
                Weft.sleep(java.time.Duration.ofMillis(1)).await(); // let the loop go idle in between
                assertThatThrownBy(h::await).isInstanceOf(TaskFailedException.class);
                return null;
            });
        }
        assertThat(reports).isEmpty();
    }

    @EveryKind
    void failureAwaitedFromAPlainThreadIsNotReported(ExecutorKind kind) {
        List<Report> reports = new CopyOnWriteArrayList<>();
        var ex = recording(kind, reports);
        JoinHandle<Object> h = ex.run(() -> {
            var t = Weft.spawn(() -> {
                throw new RuntimeException("read outside");
            });
            while (!t.isFinished()) {
                Weft.yieldNow().await();
            }
            return t;
        });
        assertThatThrownBy(h::await).isInstanceOf(TaskFailedException.class).hasMessageContaining("read outside");
        ex.close();
        assertThat(reports).isEmpty();
    }

    @EveryKind
    void failureOfTheRootIsThrownByRunAndNotReported(ExecutorKind kind) {
        List<Report> reports = new CopyOnWriteArrayList<>();
        var boom = new IllegalStateException("root");
        try (var ex = recording(kind, reports)) {
            assertThatThrownBy(() -> ex.run(() -> {
                throw boom;
            })).isSameAs(boom);
        }
        assertThat(reports).isEmpty();
    }

    @EveryKind
    void throwingFailureHandlerDoesNotBreakClose(ExecutorKind kind) {
        List<String> calls = new CopyOnWriteArrayList<>();
        var ex = kind.open((n, e) -> {
            calls.add(e.getMessage());
            throw new RuntimeException("handler broke");
        });
        ex.run(() -> {
            Weft.spawn(() -> {
                throw new RuntimeException("a");
            });
            Weft.spawn(() -> {
                throw new RuntimeException("b");
            });
            Weft.yieldNow().await();
            return null;
        });
        ex.close();
        assertThat(calls).containsExactlyInAnyOrder("a", "b");
    }
}
