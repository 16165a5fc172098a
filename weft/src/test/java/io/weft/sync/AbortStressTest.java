package io.weft.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.JoinHandle;
import io.weft.LocalExecutor;
import io.weft.TaskCancelledException;
import io.weft.Weft;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Receivers and acquirers aborted at random while a plain thread feeds them
 * through shared primitives: nothing may be swallowed or doubled. Counts are
 * exact because an abort takes effect only at an await, and each task records
 * what its await returned before it awaits again.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AbortStressTest {

    @Test
    void abortedReceiversNeverSwallowOrDuplicateAMessage() throws Exception {
        final int messages = 20_000;
        final int receivers = 4;
        Channel<Integer> ch = Channel.bounded(8);
        boolean[] seen = new boolean[messages];
        AtomicInteger duplicates = new AtomicInteger();
        AtomicInteger received = new AtomicInteger();
        AtomicBoolean producerDone = new AtomicBoolean();
        Thread producer = new Thread(() -> {
            try (var tx = ch.sender()) {
                for (int i = 0; i < messages; i++) {
                    tx.send(i).await();
                }
            } finally {
                producerDone.set(true);
            }
        });
        int aborted;
        try (var ex = LocalExecutor.create()) {
            aborted = ex.run(() -> {
                List<JoinHandle<Void>> live = new ArrayList<>();
                List<JoinHandle<Void>> all = new ArrayList<>();
                Runnable body = () -> {
                    for (;;) {
                        int v;
                        try {
                            v = ch.receiver().recv().await();
                        } catch (ChannelClosedException end) {
                            return;
                        }
                        if (seen[v]) { // same thread as every other receiver: the executor's
                            duplicates.incrementAndGet();
                        }
                        seen[v] = true;
                        received.incrementAndGet();
                    }
                };
                for (int i = 0; i < receivers; i++) {
                    var h = Weft.spawn(body);
                    live.add(h);
                    all.add(h);
                }
                producer.start();
                int aborts = 0;
                int round = 0;
                while (!producerDone.get()) {
                    Weft.yieldNow().await();
                    if (++round % 3 == 0) {
                        var victim = live.remove(round % live.size());
                        if (!victim.isFinished()) { // one thread: it cannot finish between the check and the abort
                            victim.abort();
                            aborts++;
                        }
                        var h = Weft.spawn(body);
                        live.add(h);
                        all.add(h);
                    }
                }
                int cancelled = 0;
                for (var h : all) {
                    try {
                        h.await();
                    } catch (TaskCancelledException e) {
                        cancelled++;
                    }
                }
                assertThat(cancelled).isEqualTo(aborts);
                return aborts;
            });
        }
        producer.join();
        assertThat(aborted).as("the test did abort receivers").isPositive();
        assertThat(duplicates).hasValue(0);
        assertThat(received).hasValue(messages);
        for (int i = 0; i < messages; i++) {
            assertThat(seen[i]).as("message %d", i).isTrue();
        }
    }

    @Test
    void abortedAcquirersNeverLeakOrDoubleAPermit() throws Exception {
        final int permits = 3;
        Semaphore sem = Semaphore.create(permits);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        AtomicLong acquired = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        // A plain thread takes and returns permits too, so wakes cross threads.
        Thread other = new Thread(() -> {
            while (!stop.get()) {
                try (var p = sem.acquire(2).await()) {
                    maxInside.accumulateAndGet(inside.addAndGet(2), Math::max);
                    inside.addAndGet(-2);
                }
            }
        });
        try (var ex = LocalExecutor.create()) {
            ex.run(() -> {
                other.start();
                List<JoinHandle<Void>> all = new ArrayList<>();
                Runnable body = () -> {
                    for (;;) {
                        try (var p = sem.acquire().await()) {
                            maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                            acquired.incrementAndGet();
                            try {
                                Weft.yieldNow().await(); // may be aborted here, holding the permit: close() runs
                            } finally {
                                inside.decrementAndGet();
                            }
                        }
                    }
                };
                List<JoinHandle<Void>> live = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    var h = Weft.spawn(body);
                    live.add(h);
                    all.add(h);
                }
                for (int round = 1; round <= 3_000; round++) {
                    Weft.yieldNow().await();
                    if (round % 2 == 0) {
                        live.remove(round % live.size()).abort();
                        var h = Weft.spawn(body);
                        live.add(h);
                        all.add(h);
                    }
                }
                stop.set(true);
                for (var h : live) {
                    h.abort();
                }
                for (var h : all) {
                    try {
                        h.await();
                    } catch (TaskCancelledException expected) {
                        // every one of them ends aborted
                    }
                }
                return null;
            });
        }
        other.join(TimeUnit.SECONDS.toMillis(10)); // never waits when no permit leaked
        if (other.isAlive()) {
            long available = sem.availablePermits();
            sem.release(permits); // let it go, then fail
            other.join();
            assertThat(available).as("the plain thread is stuck in acquire(2): permits leaked").isEqualTo(permits);
        }
        assertThat(acquired.get()).isPositive();
        assertThat(maxInside.get()).isLessThanOrEqualTo(permits);
        assertThat(sem.availablePermits()).as("every permit came back").isEqualTo(permits);
    }
}
