package io.weft;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.sync.Notify;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** StealingExecutor.stats(): each counter moves when what it counts happens, and only then. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StealingStatsTest {

    @Test
    void spawnsCompletionsPollsOverflowsLifoPollsAndTimersAreCountedOnOneWorker() {
        try (StealingExecutor ex = StealingExecutor.builder().workers(1).name("stats-1").build()) {
            StealingExecutorStats before = ex.stats();
            assertThat(before.tasksSpawned()).isZero();
            assertThat(before.workers()).hasSize(1);
            ex.blockOn(() -> {
                List<JoinHandle<Integer>> hs = new ArrayList<>();
                for (int i = 0; i < 1_000; i++) { // in one poll: the local queue (256) overflows
                    int n = i;
                    hs.add(Weft.spawn(() -> n));
                }
                for (JoinHandle<Integer> h : hs) {
                    h.await();
                }
                Notify ping = Notify.create();
                Notify pong = Notify.create();
                JoinHandle<Void> partner = Weft.spawn(() -> {
                    for (int i = 0; i < 100; i++) {
                        ping.notified().await();
                        pong.notifyOne();
                    }
                    return null;
                });
                for (int i = 0; i < 100; i++) { // each wakes the other: through the LIFO slot
                    ping.notifyOne();
                    pong.notified().await();
                }
                partner.await();
                // A sleep found elapsed at its first poll (this thread paused for 2 ms between making it and
                // awaiting it: a collection, a safepoint) is ready without the wheel: sleep again until one fires.
                for (int i = 0; i < 50 && ex.stats().workers().get(0).timerFires() == 0; i++) {
                    Weft.sleep(Duration.ofMillis(2)).await();
                }
                return null;
            });
            StealingExecutorStats s = ex.stats();
            assertThat(s.name()).isEqualTo("stats-1");
            assertThat(s.tasksSpawned()).as("the root, 1,000 tasks and the partner").isEqualTo(1_002);
            assertThat(s.tasksCompleted()).isEqualTo(1_002);
            assertThat(s.liveTasks()).isZero();
            assertThat(s.overflows()).as("a full local queue sent half away").isPositive();
            StealingExecutorStats.Worker w = s.workers().get(0);
            assertThat(w.polls()).as("every task polled at least once").isGreaterThanOrEqualTo(1_002);
            assertThat(w.lifoPolls()).as("the ping-pong partner ran from the LIFO slot").isPositive()
                    .isLessThan(w.polls());
            assertThat(w.timerFires()).as("the sleep's timer").isGreaterThanOrEqualTo(1);
            assertThat(w.steals()).as("nobody to steal from").isZero();
            assertThat(w.queueDepth()).isZero();
        }
    }

    @Test
    void parksAndUnparksKeepTokiosParityAndRemoteWakesAreCounted() throws Exception {
        try (StealingExecutor ex = StealingExecutor.builder().workers(2).name("stats-2").build()) {
            Probes.Gate<Integer> gate = new Probes.Gate<>();
            JoinHandle<Integer> waiter = ex.spawn(() -> gate.await());
            while (gate.waiting() == 0) {
                Thread.onSpinWait();
            }
            waitUntilBothParked(ex);
            long remoteBefore = total(ex.stats(), StealingExecutorStats.Worker::remoteWakes);
            gate.open(7); // from this plain thread: the waiter lives on a worker, woken from elsewhere
            assertThat(waiter.await()).isEqualTo(7);
            assertThat(total(ex.stats(), StealingExecutorStats.Worker::remoteWakes) - remoteBefore).isEqualTo(1);
            StealingExecutorStats s = waitUntilBothParked(ex);
            for (StealingExecutorStats.Worker w : s.workers()) {
                assertThat(w.parks()).as("parked: one more park than unparks").isEqualTo(w.unparks() + 1);
                assertThat(w.busyNanos()).isNotNegative();
            }
        }
    }

    @Test
    void aWorkerWithNothingToDoStealsFromABusyOne() {
        try (StealingExecutor ex = StealingExecutor.builder().workers(2).name("stats-steal").build()) {
            AtomicLong sink = new AtomicLong();
            for (int round = 0; round < 50 && total(ex.stats(), StealingExecutorStats.Worker::steals) == 0; round++) {
                ex.blockOn(() -> {
                    List<JoinHandle<Void>> hs = new ArrayList<>();
                    for (int i = 0; i < 200; i++) {
                        hs.add(Weft.spawn(() -> {
                            long x = 0;
                            for (int k = 0; k < 20_000; k++) {
                                x += k * 31L;
                            }
                            sink.addAndGet(x);
                            return null;
                        }));
                    }
                    for (JoinHandle<Void> h : hs) {
                        h.await();
                    }
                    return null;
                });
            }
            StealingExecutorStats s = ex.stats();
            assertThat(total(s, StealingExecutorStats.Worker::steals)).as("steals").isPositive();
            assertThat(total(s, StealingExecutorStats.Worker::stolen))
                    .isGreaterThanOrEqualTo(total(s, StealingExecutorStats.Worker::steals));
        }
    }

    static long total(StealingExecutorStats s, java.util.function.ToLongFunction<StealingExecutorStats.Worker> f) {
        return s.workers().stream().mapToLong(f).sum();
    }

    /** Reads the counters until both workers are parked (tokio's parity), or fails after 30 s. */
    static StealingExecutorStats waitUntilBothParked(StealingExecutor ex) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (;;) {
            StealingExecutorStats s = ex.stats();
            if (s.workers().stream().allMatch(w -> w.parks() == w.unparks() + 1)) {
                return s;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the workers never both parked: " + s);
            }
            Thread.onSpinWait();
        }
    }
}
