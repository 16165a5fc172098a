package io.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** LocalExecutor.run and close. */
class ExecutorLifecycleTest {

    @Test
    void runReturnsTheRootsValue() {
        try (var ex = LocalExecutor.create()) {
            assertThat(ex.run(() -> 6 * 7)).isEqualTo(42);
            assertThat(ex.run(() -> Weft.spawn(() -> "child").await())).isEqualTo("child");
            assertThat(ex.run((Future<String>) cx -> Poll.ready("polled"))).isEqualTo("polled");
            assertThat(ex.<Object>run(() -> null)).isNull();
            assertThat(ex.liveTasks()).isZero();
        }
    }

    @Test
    void runRethrowsTheRootsRuntimeExceptionAsIs() {
        var boom = new IllegalArgumentException("as is");
        var err = new AssertionError("error too");
        try (var ex = LocalExecutor.create()) {
            assertThatThrownBy(() -> ex.run(() -> {
                Weft.yieldNow().await();
                throw boom;
            })).isSameAs(boom);
            assertThatThrownBy(() -> ex.run(() -> {
                throw err;
            })).isSameAs(err);
            assertThatThrownBy(() -> ex.run((Future<Object>) cx -> {
                throw boom;
            })).isSameAs(boom);
            var io = new IOException("checked");
            assertThatThrownBy(() -> ex.run(() -> {
                throw io;
            })).isInstanceOf(TaskFailedException.class).cause().isSameAs(io);
            // the executor is still usable
            assertThat(ex.run(() -> 1)).isEqualTo(1);
        }
    }

    @Test
    void reentrantRunFromInsideATaskThrowsIllegalStateException() {
        try (var ex = LocalExecutor.create(); var other = LocalExecutor.create()) {
            Throwable[] seen = new Throwable[2];
            int r = ex.run(() -> {
                try {
                    ex.run(() -> 1);
                } catch (Throwable t) {
                    seen[0] = t;
                }
                try {
                    other.run(() -> 2);
                } catch (Throwable t) {
                    seen[1] = t;
                }
                return 3;
            });
            assertThat(r).isEqualTo(3);
            assertThat(seen[0]).isInstanceOf(IllegalStateException.class).hasMessageContaining("re-entrant");
            assertThat(seen[1]).isInstanceOf(IllegalStateException.class).hasMessageContaining("re-entrant");
            // neither executor was damaged
            assertThat(ex.run(() -> 4)).isEqualTo(4);
            assertThat(other.run(() -> 5)).isEqualTo(5);
        }
    }

    @Test
    void closeCancelsLeftoverTasksAndRunsTheirFinallyBlocks() {
        final int suspended = 50;
        final int notStarted = 20;
        AtomicInteger started = new AtomicInteger();
        AtomicInteger finallies = new AtomicInteger();
        AtomicInteger cancelledAwaits = new AtomicInteger();
        var ex = LocalExecutor.create();
        List<JoinHandle<Integer>> handles = ex.run(() -> {
            List<JoinHandle<Integer>> hs = new ArrayList<>();
            for (int i = 0; i < suspended; i++) {
                hs.add(Weft.spawn(() -> {
                    started.incrementAndGet();
                    try {
                        return new Probes.Never<Integer>().await();
                    } catch (TaskCancelledException e) {
                        cancelledAwaits.incrementAndGet();
                        throw e;
                    } finally {
                        finallies.incrementAndGet();
                    }
                }));
            }
            Weft.yieldNow().await(); // they all start and suspend
            for (int i = 0; i < notStarted; i++) {
                hs.add(Weft.spawn(() -> {
                    started.incrementAndGet();
                    try {
                        return 0;
                    } finally {
                        finallies.incrementAndGet();
                    }
                }));
            }
            return hs; // the root finishes before the last ones start
        });
        assertThat(started).hasValue(suspended);
        assertThat(ex.liveTasks()).isEqualTo(suspended + notStarted);
        assertThat(finallies).hasValue(0);

        ex.close();
        assertThat(finallies).hasValue(suspended);
        assertThat(cancelledAwaits).hasValue(suspended);
        assertThat(started).as("tasks that never started never run their body").hasValue(suspended);
        assertThat(ex.liveTasks()).isZero();
        for (var h : handles) {
            assertThat(h.isFinished()).isTrue();
            assertThatThrownBy(h::await).isInstanceOf(TaskCancelledException.class);
        }
        ExecutorStats s = ex.stats();
        assertThat(s.tasksCompleted()).isEqualTo(s.tasksSpawned());

        ex.close(); // idempotent
        assertThat(finallies).hasValue(suspended);
    }

    @Test
    void taskSpawnedFromAFinallyDuringCloseNeverRuns() {
        AtomicInteger childRan = new AtomicInteger();
        AtomicReference<JoinHandle<Void>> child = new AtomicReference<>();
        var ex = LocalExecutor.create();
        ex.run(() -> {
            Weft.spawn(() -> {
                try {
                    new Probes.Never<Void>().await();
                } finally {
                    child.set(Weft.spawn(() -> {
                        childRan.incrementAndGet();
                    }));
                }
            });
            Weft.yieldNow().await();
            return null;
        });
        ex.close();
        assertThat(child.get()).isNotNull();
        assertThat(child.get().isFinished()).isTrue();
        assertThat(childRan).hasValue(0);
        assertThat(ex.liveTasks()).isZero();
    }

    @Test
    void leftoverTasksContinueInTheNextRun() {
        try (var ex = LocalExecutor.create()) {
            var gate = new Probes.Gate<Integer>();
            JoinHandle<Integer> h = ex.run(() -> Weft.spawn(() -> gate.await() + 1));
            assertThat(h.isFinished()).isFalse();
            gate.open(9); // wakes the task from outside any run: through the remote queue
            assertThat(ex.run(() -> h.await())).isEqualTo(10);
        }
    }

    @Test
    void closeIsIdempotentAndRunAfterCloseThrows() {
        var ex = LocalExecutor.create();
        assertThat(ex.run(() -> 1)).isEqualTo(1);
        ex.close();
        ex.close();
        ex.close();
        assertThatThrownBy(() -> ex.run(() -> 2))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> ex.run((Future<Integer>) cx -> Poll.ready(2)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closeOfAnExecutorThatNeverRanIsFine() {
        var ex = LocalExecutor.create();
        ex.close();
        assertThat(ex.liveTasks()).isZero();
        assertThatThrownBy(() -> ex.run(() -> 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void weftCallsOutsideAnExecutorThrowIllegalStateExceptionWithAClearMessage() {
        assertThatThrownBy(() -> Weft.spawn(() -> 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Weft.spawn")
                .hasMessageContaining("outside a weft executor");
        assertThatThrownBy(() -> Weft.spawn((Future<Integer>) cx -> Poll.ready(1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Weft.spawn");
        assertThatThrownBy(() -> Weft.spawn(() -> { }))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Weft.createTaskQueue("q", Shares.fixed(1), Latency.notImportant()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Weft.createTaskQueue");
        assertThatThrownBy(() -> Weft.sleep(java.time.Duration.ofMillis(1)))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(Weft::current).isInstanceOf(IllegalStateException.class);
        assertThat(Weft.needPreempt()).isFalse();
    }

    @Test
    void runOnAVirtualThreadIsRefused() throws Exception {
        AtomicReference<Throwable> t = new AtomicReference<>();
        try (var ex = LocalExecutor.create()) {
            Thread.ofVirtual().start(() -> {
                try {
                    ex.run(() -> 1);
                } catch (Throwable e) {
                    t.set(e);
                }
            }).join();
        }
        assertThat(t.get()).isInstanceOf(IllegalStateException.class).hasMessageContaining("virtual thread");
    }

    @Test
    void weftCurrentIsTheRunningExecutor() {
        try (var ex = LocalExecutor.builder().name("named").build()) {
            assertThat(ex.run(() -> Weft.current())).isSameAs(ex);
            assertThat(ex.name()).isEqualTo("named");
            assertThat(ex.stats().name()).isEqualTo("named");
        }
    }
}
