package io.weft.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.Clock;
import io.weft.Future;
import io.weft.LocalExecutor;
import io.weft.LocalExecutorPool;
import io.weft.StealingExecutor;
import io.weft.Weft;
import io.weft.executor.Worker;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A sleep made on one thread and awaited on another: its timer goes into the
 * wheel of the executor (or worker) that awaits it, which is the one that
 * parks for it and fires it. Before, it went into its maker's wheel from
 * the awaiting thread: a data race, and a maker that parked without knowing
 * of the deadline (the task slept forever).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SleepWhereTest {

    @Test
    void aSleepMadeOnOneExecutorOfAPoolAndAwaitedOnAnotherWakesItsTask() {
        try (var pool = LocalExecutorPool.builder().name("sleep-where").executors(2).build()) {
            // Long enough that the hand-offs to executor 1 (two threads woken) come before its deadline.
            long[] made0 = new long[1];
            Future<Void> made = pool.spawnOn(0, () -> {
                made0[0] = System.nanoTime();
                return Weft.sleep(Duration.ofMillis(200));
            }).await();
            int[] armedOnAwaiter = new int[1];
            long slept = pool.spawnOn(1, () -> {
                var child = Weft.spawn(() -> made.await());
                Weft.yieldNow().await();
                armedOnAwaiter[0] = Worker.current("test").timers().size();
                child.await();
                return System.nanoTime() - made0[0];
            }).await();
            assertThat(armedOnAwaiter[0]).as("the timer in the awaiting executor's wheel").isEqualTo(1);
            assertThat(slept).as("from the sleep's making").isGreaterThanOrEqualTo(Duration.ofMillis(200).toNanos());
        }
    }

    @Test
    void sleepsMadeByOneTaskAndAwaitedByTasksOnOtherWorkersAllWake() {
        try (var ex = StealingExecutor.builder().name("sleep-where").workers(2).build()) {
            for (int round = 0; round < 20; round++) {
                int woke = ex.blockOn(() -> {
                    AtomicInteger n = new AtomicInteger();
                    var hs = new java.util.ArrayList<io.weft.JoinHandle<Void>>();
                    for (int i = 0; i < 8; i++) {
                        Future<Void> s = Weft.sleep(Duration.ofMillis(1 + i % 3));
                        hs.add(Weft.spawn(() -> {
                            s.await();
                            n.incrementAndGet();
                        }));
                    }
                    for (var h : hs) {
                        h.await();
                    }
                    return n.get();
                });
                assertThat(woke).isEqualTo(8);
            }
        }
    }

    @Test
    void aSleepAwaitedFromAPlainThreadIsRefusedWithAReason() {
        try (var ex = LocalExecutor.create()) {
            Future<Void> s = ex.run(() -> Weft.sleep(Duration.ofMillis(5)));
            assertThatThrownBy(s::await).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("inside a task");
        }
    }

    @Test
    void aSleepOnAPausedClockAwaitedOnAnExecutorWithAnotherClockIsRefusedWithAReason() {
        try (var pool = LocalExecutorPool.builder().name("sleep-clocks").executors(2)
                .configure(b -> b.clock(Clock.paused())).build()) {
            Future<Void> made = pool.spawnOn(0, () -> Weft.sleep(Duration.ofSeconds(5))).await();
            assertThatThrownBy(() -> pool.spawnOn(1, () -> made.await()).await())
                    .hasRootCauseInstanceOf(IllegalStateException.class)
                    .rootCause().hasMessageContaining("clock");
        }
    }
}
