package io.weft.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.LocalExecutor;
import io.weft.Weft;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Shared primitives between executors and plain threads; local ones refuse other threads. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CrossThreadTest {

    @Test
    void plainThreadsSendIntoATaskThroughABoundedChannelWithoutLossOrReordering() throws Exception {
        final int producers = 3;
        final int perProducer = 5_000;
        Channel<Long> ch = Channel.bounded(4);
        List<Thread> threads = new ArrayList<>();
        List<Sender<Long>> senders = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            senders.add(ch.sender().copy());
        }
        ch.sender().close();
        for (int p = 0; p < producers; p++) {
            int id = p;
            Sender<Long> tx = senders.get(p);
            Thread t = new Thread(() -> {
                try (tx) {
                    for (long i = 0; i < perProducer; i++) {
                        tx.send(((long) id << 32) | i).await(); // blocks this thread while full
                    }
                }
            });
            threads.add(t);
            t.start();
        }
        long[] next = new long[producers];
        long received;
        try (var ex = LocalExecutor.create()) {
            received = ex.run(() -> {
                long n = 0;
                for (;;) {
                    long v;
                    try {
                        v = ch.receiver().recv().await();
                    } catch (ChannelClosedException end) {
                        return n;
                    }
                    int id = (int) (v >>> 32);
                    assertThat(v & 0xffffffffL).as("per-producer FIFO").isEqualTo(next[id]);
                    next[id]++;
                    n++;
                }
            });
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(received).isEqualTo((long) producers * perProducer);
        assertThat(next).containsOnly(perProducer);
    }

    @Test
    void twoExecutorsPingPongThroughSharedChannelsAndShareAMutex() throws Exception {
        Channel<Integer> ping = Channel.bounded(1);
        Channel<Integer> pong = Channel.bounded(1);
        Mutex<Integer> counter = Mutex.create(0);
        final int rounds = 2_000;
        CompletableFuture<Integer> echo = new CompletableFuture<>();
        Thread other = new Thread(() -> {
            try (var ex = LocalExecutor.create()) {
                echo.complete(ex.run(() -> {
                    int n = 0;
                    for (int i = 0; i < rounds; i++) {
                        int v = ping.receiver().recv().await();
                        try (var g = counter.lock().await()) {
                            g.set(g.get() + 1);
                        }
                        pong.sender().send(v + 1).await();
                        n++;
                    }
                    return n;
                }));
            } catch (Throwable t) {
                echo.completeExceptionally(t);
            }
        });
        other.start();
        try (var ex = LocalExecutor.create()) {
            ex.run(() -> {
                for (int i = 0; i < rounds; i++) {
                    ping.sender().send(i).await();
                    try (var g = counter.lock().await()) {
                        g.set(g.get() + 1);
                    }
                    assertThat(pong.receiver().recv().await()).isEqualTo(i + 1);
                }
                return null;
            });
        }
        assertThat(echo.get(20, TimeUnit.SECONDS)).isEqualTo(rounds);
        other.join();
        try (var g = counter.lock().await()) { // from this plain thread: blocks, here never long
            assertThat(g.get()).isEqualTo(2 * rounds);
        }
    }

    @Test
    void plainThreadsContendOnASharedSemaphoreAndNoPermitIsLostOrDoubled() throws Exception {
        Semaphore sem = Semaphore.create(2);
        int[] inside = new int[1];
        int[] maxInside = new int[1];
        Object lock = new Object();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread th = new Thread(() -> {
                for (int i = 0; i < 2_000; i++) {
                    try (var p = sem.acquire().await()) {
                        synchronized (lock) {
                            inside[0]++;
                            maxInside[0] = Math.max(maxInside[0], inside[0]);
                        }
                        synchronized (lock) {
                            inside[0]--;
                        }
                    }
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
        assertThat(maxInside[0]).isBetween(1, 2);
        assertThat(sem.availablePermits()).isEqualTo(2);
    }

    @Test
    void localPrimitivesRefuseAnotherThreadAndNameTheProblem() throws Exception {
        AtomicReference<Throwable> fromOther = new AtomicReference<>();
        try (var ex = LocalExecutor.create()) {
            ex.run(() -> {
                var ch = Channel.<Integer>localBounded(1);
                var sem = Semaphore.local(1);
                var mutex = Mutex.local(0);
                Thread t = new Thread(() -> {
                    try {
                        ch.sender().trySend(1);
                    } catch (Throwable e) {
                        fromOther.set(e);
                    }
                    assertThatThrownBy(() -> sem.tryAcquire(1)).isInstanceOf(IllegalStateException.class);
                    assertThatThrownBy(mutex::tryLock).isInstanceOf(IllegalStateException.class);
                });
                t.start();
                t.join();
                assertThat(ch.isLocal()).isTrue();
                assertThat(ch.receiver().tryRecv()).as("nothing got in").isNull();
                return null;
            });
        }
        assertThat(fromOther.get()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Channel.localBounded").hasMessageContaining("used from thread");
        assertThatThrownBy(() -> Channel.localBounded(1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("outside a weft executor");
    }

    @Test
    void closingAnExecutorCancelsItsWaitersSoTheyNeverTakeAWakeMeantForOthers() throws Exception {
        Channel<Integer> ch = Channel.bounded(1);
        var ex = LocalExecutor.create();
        ex.run(() -> {
            Weft.spawn(() -> ch.receiver().recv().await()); // first in the queue
            Weft.yieldNow().await();
            return null;
        });
        AtomicReference<Integer> got = new AtomicReference<>();
        Thread b = new Thread(() -> got.set(ch.receiver().recv().await())); // second in the queue
        b.start();
        while (b.getState() != Thread.State.WAITING) { // parked in await()
            Thread.onSpinWait();
        }
        ex.close(); // runs the waiter's cancellation path: its await() cancels and leaves the queue
        assertThat(ch.sender().trySend(1)).isTrue(); // so this wakes b, not the dead task
        b.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(b.isAlive()).as("b was woken").isFalse();
        assertThat(got.get()).isEqualTo(1);
    }

    @Test
    void weftRootTaskCanAlsoUseYieldToInterleave() {
        // guards the helper used by other tests: yieldNow inside run() lets spawned tasks progress
        try (var ex = LocalExecutor.create()) {
            int v = ex.run(() -> {
                var ch = Channel.<Integer>localBounded(1);
                Weft.spawn(() -> ch.sender().send(42).await());
                return ch.receiver().recv().await();
            });
            assertThat(v).isEqualTo(42);
        }
    }
}
