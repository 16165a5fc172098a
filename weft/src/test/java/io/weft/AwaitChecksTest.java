package io.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.coro.AwaitChecks;
import io.weft.sync.Notify;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The debug check of awaits (-Dweft.debug.checkAwaits=true): where a task
 * suspended inside synchronized would deadlock its executor (the next task
 * to enter the monitor blocks the thread for ever), or would leave a
 * ReentrantLock held by the thread for every other task, the await throws
 * before it suspends, and the executor goes on.
 */
class AwaitChecksTest {
    @BeforeEach
    void on() {
        AwaitChecks.enable(true);
    }

    @AfterEach
    void off() {
        AwaitChecks.enable(false);
    }

    @EveryKind
    void anAwaitInsideSynchronizedThrowsWhereTheDeadlockWouldBeAndTheExecutorGoesOn(ExecutorKind kind) {
        Object lock = new Object();
        long before = AwaitChecks.pinnedAwaits();
        try (var ex = kind.open()) {
            String second = ex.run(() -> {
                Notify never = Notify.create();
                var first = Weft.spawn("holder", () -> {
                    synchronized (lock) {
                        never.notified().await(); // without the check: suspends holding the monitor
                    }
                    return null;
                });
                assertThatThrownBy(first::await).isInstanceOf(TaskFailedException.class)
                        .cause().isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("would suspend inside synchronized")
                        .hasMessageContaining("holds the monitor of java.lang.Object@")
                        .hasMessageContaining("io.weft.sync.Mutex");
                // the task that would have blocked the executor's thread for ever enters the monitor
                return Weft.spawn(() -> {
                    synchronized (lock) {
                        return "entered";
                    }
                }).await();
            });
            assertThat(second).isEqualTo("entered");
        }
        assertThat(AwaitChecks.pinnedAwaits() - before).isEqualTo(1);
    }

    @EveryKind
    void anAwaitHoldingAReentrantLockThrowsSayingTheLockBelongsToTheThread(ExecutorKind kind) {
        ReentrantLock lock = new ReentrantLock();
        try (var ex = kind.open()) {
            Throwable thrown = ex.run(() -> {
                lock.lock();
                try {
                    Weft.sleep(java.time.Duration.ofMillis(1)).await();
                    return null;
                } catch (IllegalStateException e) {
                    return e;
                } finally {
                    lock.unlock();
                }
            });
            assertThat(thrown).hasMessageContaining("holds java.util.concurrent.locks.ReentrantLock")
                    .hasMessageContaining("belongs to the thread, not the task");
        }
    }

    @Test
    void aMonitorHeldByTheCodeThatRunsTheExecutorIsNotTheTasks() {
        Object outer = new Object();
        try (var ex = LocalExecutor.create()) {
            synchronized (outer) { // below the task's frames: it does not move with the task
                int v = ex.run(() -> {
                    Weft.yieldNow().await();
                    return 7;
                });
                assertThat(v).isEqualTo(7);
            }
        }
    }

    @EveryKind
    void plainAwaitsPassTheCheck(ExecutorKind kind) {
        try (var ex = kind.open()) {
            assertThat(ex.run(() -> {
                Weft.yieldNow().await();
                return Weft.spawn(() -> 3).await();
            })).isEqualTo(3);
        }
    }
}
