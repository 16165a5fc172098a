package io.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** LocalExecutor as a java.util.concurrent.Executor: spawning from its own thread and from others. */
@Timeout(60)
class ExecutorInteropTest {

    @Test
    void aPlainThreadSpawnsIntoARunningExecutorAndAwaitsTheResult() throws Exception {
        try (var ex = LocalExecutor.create()) {
            CompletableFuture<JoinHandle<Integer>> handed = new CompletableFuture<>();
            Thread[] loop = new Thread[1];
            int[] plainThreadGot = new int[1];
            Thread plain = Thread.ofPlatform().unstarted(() -> {
                JoinHandle<Integer> h = ex.spawn(() -> Thread.currentThread() == loop[0] ? 42 : -1);
                handed.complete(h);
                plainThreadGot[0] = h.await(); // blocks this plain thread
            });
            int rootGot = ex.run(() -> {
                loop[0] = Thread.currentThread();
                plain.start();
                return Futures.fromCompletionStage(handed).await().await();
            });
            plain.join();
            assertThat(rootGot).isEqualTo(42); // ran on the executor's thread
            assertThat(plainThreadGot[0]).isEqualTo(42);
            assertThat(ex.stats().tasksSpawned()).isEqualTo(2); // the root and the foreign spawn
        }
    }

    @Test
    void executeBeforeRunQueuesTheTasksAndRunRunsThemFirst() throws Exception {
        AtomicInteger ran = new AtomicInteger();
        try (var ex = LocalExecutor.create()) {
            Thread submitter = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 100; i++) {
                    ex.execute(() -> {
                        Weft.yieldNow().await(); // a coroutine: it may await
                        ran.incrementAndGet();
                    });
                }
            });
            submitter.join();
            assertThat(ran.get()).isZero(); // nobody runs the loop yet
            int seen = ex.run(() -> {
                for (int i = 0; i < 3; i++) {
                    Weft.yieldNow().await();
                }
                return ran.get();
            });
            assertThat(seen).isEqualTo(100);
        }
    }

    @Test
    void spawnAfterCloseIsRejectedWithTheExecutorsName() {
        var ex = LocalExecutor.builder().name("shut").build();
        ex.close();
        assertThatThrownBy(() -> ex.spawn(() -> 1))
                .isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("shut");
        assertThatThrownBy(() -> ex.execute(() -> { }))
                .isInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void everyHandleAPlainThreadGotWhileTheExecutorClosedFinishes() throws Exception {
        // 20 rounds, or fewer (three at least) once 10 s have gone: on a loaded machine a round's 300,000 spawns
        // and their drain can take seconds, and the rounds outran the test's time limit.
        long t0 = System.nanoTime();
        for (int round = 0; round < 20 && (round < 3 || System.nanoTime() - t0 < 10_000_000_000L); round++) {
            var ex = LocalExecutor.create();
            List<JoinHandle<Integer>> handles = new ArrayList<>();
            CountDownLatch spawning = new CountDownLatch(1);
            Thread spawner = Thread.ofPlatform().start(() -> {
                try {
                    // Bounded: a plain thread spawning without pause outruns the loop, and the queue grows.
                    for (int i = 0; i < 300_000; i++) {
                        int k = i;
                        handles.add(ex.spawn(() -> {
                            Weft.yieldNow().await();
                            return k;
                        }));
                        if (i == 50) {
                            spawning.countDown();
                        }
                    }
                } catch (RejectedExecutionException closed) {
                    // the executor closed while this thread was spawning: the race under test
                } finally {
                    spawning.countDown();
                }
            });
            spawning.await();
            // The root does not yield: it runs once, behind the tasks drained before it, and run() returns.
            ex.run(() -> null);
            ex.close();
            spawner.join();
            assertThat(handles).isNotEmpty();
            assertThat(handles).allMatch(JoinHandle::isFinished);
            assertThat(ex.liveTasks()).isZero();
        }
    }
}
