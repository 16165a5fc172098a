package io.weft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Wakes from the owner thread and from foreign threads. */
class WakeTest {

    /**
     * A future that detects overlapping polls and records, at the start of
     * each poll, which burst of each foreign waker it has seen.
     */
    static final class Hammered implements Future<Integer> {
        final AtomicBoolean inPoll = new AtomicBoolean();
        final AtomicInteger overlaps = new AtomicInteger();
        final AtomicInteger polls = new AtomicInteger();
        final AtomicIntegerArray announced; // written by waker i before its burst
        final AtomicIntegerArray served;    // burst of waker i seen by a poll that started after it
        final AtomicBoolean stop = new AtomicBoolean();
        final CountDownLatch firstPoll = new CountDownLatch(1);
        volatile Waker waker;

        Hammered(int threads) {
            announced = new AtomicIntegerArray(threads);
            served = new AtomicIntegerArray(threads);
        }

        @Override
        public Poll<Integer> poll(Context cx) {
            if (!inPoll.compareAndSet(false, true)) {
                overlaps.incrementAndGet();
            }
            try {
                int n = polls.incrementAndGet();
                for (int i = 0; i < announced.length(); i++) {
                    served.set(i, announced.get(i));
                }
                waker = cx.waker();
                firstPoll.countDown();
                // widen the window in which a concurrent poll would be caught
                for (int i = 0; i < 200; i++) {
                    Thread.onSpinWait();
                }
                return stop.get() ? Poll.ready(n) : Poll.pending();
            } finally {
                inPoll.set(false);
            }
        }
    }

    /**
     * On every kind: on a StealingExecutor the task is a poll-based task
     * woken from three foreign threads while two workers could each take it.
     */
    @EveryKind
    void taskIsNeverPolledByTwoThreadsAtOnceAndEveryWakeBurstIsServed(ExecutorKind kind) throws Exception {
        final int threads = 3;
        final int bursts = 2_000;
        final int wakesPerBurst = 5;
        var probe = new Hammered(threads);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicInteger unserved = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(threads);
        Thread[] hammers = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            int id = i;
            hammers[i] = new Thread(() -> {
                try {
                    probe.firstPoll.await();
                    Waker w = probe.waker;
                    for (int b = 1; b <= bursts; b++) {
                        probe.announced.set(id, b);
                        for (int k = 0; k < wakesPerBurst; k++) {
                            w.wake();
                        }
                        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                        while (probe.served.get(id) < b) {
                            if (System.nanoTime() - giveUp > 0) {
                                unserved.incrementAndGet();
                                break;
                            }
                            Thread.onSpinWait();
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    done.countDown();
                }
            }, "hammer-" + i);
            hammers[i].start();
        }
        Thread stopper = new Thread(() -> {
            try {
                done.await();
                probe.stop.set(true);
                probe.waker.wake();
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        });
        stopper.start();
        int polls;
        try (var ex = kind.open()) {
            polls = ex.run(probe);
            for (Thread t : hammers) {
                t.join();
            }
            stopper.join();
            assertThat(failure.get()).isNull();
            assertThat(probe.overlaps).as("overlapping polls").hasValue(0);
            assertThat(unserved).as("wake bursts never followed by a poll").hasValue(0);
            assertThat(polls).isEqualTo(probe.polls.get());
            // each burst caused at least one poll; a burst cannot cause more than one per wake
            assertThat(polls).isGreaterThan(bursts).isLessThanOrEqualTo(1 + threads * bursts * wakesPerBurst + 1);
            // the probe's polls, the root's (at most 2) and, on a pool, nothing else on its executor
            long executorPolls = ex.metrics().stream().mapToLong(ExecutorMetrics::polls).sum();
            assertThat(executorPolls).isBetween((long) polls, (long) polls + 3);
            // wakes that land during a poll are re-queued by the owner; the others take the remote road
            assertThat(ex.metrics().stream().mapToLong(ExecutorMetrics::remoteWakes).sum()).isPositive();
        }
    }

    @Test
    void foreignWakeGoesThroughRemoteQueueAndUnparksTheOwner() throws Exception {
        var gate = new Probes.Gate<String>();
        Thread owner = Thread.currentThread();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread waker = new Thread(() -> {
            try {
                // wait until the gate has a waker and the owner is parked in idle
                while (gate.waiting() == 0 || owner.getState() != Thread.State.WAITING) {
                    Thread.onSpinWait();
                }
                gate.open("opened");
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        try (var ex = LocalExecutor.create()) {
            waker.start();
            String r = ex.run(() -> gate.await());
            waker.join();
            assertThat(failure.get()).isNull();
            assertThat(r).isEqualTo("opened");
            assertThat(gate.polls).hasValue(2);
            ExecutorStats s = ex.stats();
            assertThat(s.remoteWakes()).isGreaterThanOrEqualTo(1);
            assertThat(s.parks()).isGreaterThanOrEqualTo(1);
            assertThat(s.polls()).isEqualTo(2);
        }
    }

    @Test
    void foreignWakeOfTaskInsideRunningExecutorRunsItExactlyOnceMore() throws Exception {
        var never = new Probes.Never<Void>();
        try (var ex = LocalExecutor.create()) {
            int polls = ex.run(() -> {
                var h = Weft.spawn(never);
                Weft.yieldNow().await(); // the probe runs once and parks
                assertThat(never.polls).hasValue(1);
                var gate = new Probes.Gate<Void>();
                Thread owner = Thread.currentThread();
                Thread t = new Thread(() -> {
                    // wait until the root is parked on the gate and the loop is idle
                    while (gate.waiting() == 0 || owner.getState() != Thread.State.WAITING) {
                        Thread.onSpinWait();
                    }
                    never.waker.wake();
                    gate.open(null);
                });
                t.start();
                gate.await(); // the probe's wake was queued (remotely) before the gate's
                Weft.yieldNow().await();
                t.join();
                h.abort();
                return never.polls.get();
            });
            assertThat(polls).isEqualTo(2);
            assertThat(ex.stats().remoteWakes()).isGreaterThanOrEqualTo(2);
        }
    }
}
