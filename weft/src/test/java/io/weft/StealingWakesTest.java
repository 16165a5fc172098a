package io.weft;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.sync.Semaphore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A StealingExecutor of two workers at volume: wakes across workers, and a close while tasks are being stolen. */
class StealingWakesTest {

    /**
     * 1,000 tasks, spawned from outside (so either worker may take each),
     * each waiting 10,000 times for a permit that a task released on
     * whichever worker: ten million wakes, those of the waiters on the
     * releaser's other worker from one worker to the other (counted by the
     * executor as remote wakes; 40,000 to over 100,000 of them in runs
     * here, as the waiters happened to spread), none lost.
     */
    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void tenMillionWakesAcrossWorkersLoseNone() {
        int tasks = 1_000;
        int rounds = 10_000;
        Semaphore[] go = new Semaphore[tasks];
        for (int j = 0; j < tasks; j++) {
            go[j] = Semaphore.create(0);
        }
        Semaphore answered = Semaphore.create(0);
        long[] taken = new long[tasks];
        java.util.Set<String> homes = java.util.concurrent.ConcurrentHashMap.newKeySet();
        try (StealingExecutor ex = StealingExecutor.builder().workers(2).name("wakes").build()) {
            List<JoinHandle<Void>> waiters = new ArrayList<>();
            for (int j = 0; j < tasks; j++) {
                int me = j;
                waiters.add(ex.spawn(() -> {
                    homes.add(Thread.currentThread().getName());
                    // Hold this worker until the other has started a waiter too: the idle protocol must wake it
                    // for the waiters still queued (without this, on a loaded machine one worker could take all
                    // of them before the other was scheduled, and no wake would cross).
                    long deadline = System.nanoTime() + 30_000_000_000L;
                    while (homes.size() < 2 && System.nanoTime() - deadline < 0) {
                        Thread.onSpinWait();
                    }
                    for (int r = 0; r < rounds; r++) {
                        go[me].acquire().await();
                        taken[me]++;
                        answered.release(1);
                    }
                    return null;
                }));
            }
            ex.spawn(() -> {
                for (int r = 0; r < rounds; r++) {
                    for (Semaphore s : go) {
                        s.release(1);
                    }
                    answered.acquire(tasks).await();
                }
                return null;
            }).await();
            for (JoinHandle<Void> h : waiters) {
                h.await();
            }
            StealingExecutorStats s = ex.stats();
            long remote = s.workers().stream().mapToLong(StealingExecutorStats.Worker::remoteWakes).sum();
            assertThat(homes).as("waiters live on both workers").hasSize(2);
            assertThat(remote).as("wakes from one worker to the other").isPositive();
        }
        long total = 0;
        for (int j = 0; j < tasks; j++) {
            assertThat(taken[j]).as("permits taken by task %d", j).isEqualTo(rounds);
            total += taken[j];
        }
        assertThat(total).isEqualTo((long) tasks * rounds);
        assertThat(answered.availablePermits()).isZero();
    }

    /**
     * A tree of tasks that spawn, yield and sleep while the other worker
     * steals them, closed in the middle, twenty times: close returns, no
     * task is left, and every task that started ran its finally once.
     */
    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aCloseWhileTasksAreStolenEndsEveryOneThatStarted() {
        for (int round = 0; round < 20; round++) {
            AtomicLong started = new AtomicLong();
            AtomicLong finished = new AtomicLong();
            StealingExecutor ex = StealingExecutor.builder().workers(2).name("close-steal").build();
            for (int i = 0; i < 4; i++) {
                ex.spawn(() -> grow(8, started, finished));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (started.get() < 200 + round * 20 && System.nanoTime() < deadline) {
                Thread.onSpinWait(); // close at a different point each round
            }
            ex.close();
            assertThat(ex.liveTasks()).isZero();
            assertThat(finished.get()).as("round %d: a finally for every start", round).isEqualTo(started.get());
            assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("close-steal-"));
        }
    }

    /** Spawns two children down to depth 0, yielding and sleeping on the way; counts starts and finally blocks. */
    private static Void grow(int depth, AtomicLong started, AtomicLong finished) {
        started.incrementAndGet();
        try {
            for (int i = 0; i < 50; i++) {
                if (depth > 0) {
                    Weft.spawn(() -> grow(depth - 1, started, finished));
                }
                Weft.yieldNow().await();
                if (i % 10 == 9) {
                    Weft.sleep(java.time.Duration.ofMillis(1)).await();
                }
            }
            return null;
        } finally {
            finished.incrementAndGet();
        }
    }

    /**
     * A task is counted out before whoever awaits it hears of its end: the
     * thread that blockOn wakes always finds it gone from liveTasks (it
     * was counted out after its joiners were woken, so a test on two
     * workers now and then saw one task too many).
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void whoeverAwaitsATaskFindsItNoLongerLive() {
        try (StealingExecutor ex = StealingExecutor.builder().workers(2).name("counted-out").build()) {
            int stale = 0;
            for (int i = 0; i < 20_000; i++) {
                int v = ex.blockOn(() -> Weft.spawn(() -> 7).await());
                if (ex.liveTasks() != 0) {
                    stale++;
                }
                assertThat(v).isEqualTo(7);
            }
            assertThat(stale).as("times the woken caller still saw a task live").isZero();
        }
    }
}
