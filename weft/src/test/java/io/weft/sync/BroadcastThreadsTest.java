package io.weft.sync;

import static io.weft.sync.Kinds.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.weft.ExecutorKind;
import io.weft.JoinHandle;
import io.weft.TaskCancelledException;
import io.weft.Weft;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Timeout;

/**
 * Broadcast across threads (the shared family): plain threads sending to
 * tasks on two executors and to a plain thread, a lagging receiver on
 * another thread, receivers aborted at random while a plain thread sends;
 * with executors of each kind. The rest of the contract is in
 * {@link BroadcastTest}.
 */
// SEPARATE_THREAD: a lost wake leaves the loop waiting for ever; the test then fails instead of blocking the run
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BroadcastThreadsTest {

    @Kinds.Shared
    void plainThreadsSendToTasksOnTwoExecutorsAndAPlainThreadAndEachGetsEverything(ExecutorKind kind)
            throws Exception {
        final int producers = 2;
        final int perProducer = 5_000;
        final int total = producers * perProducer;
        Broadcast<Long> b = Broadcast.create(total); // room for everything: nobody lags
        List<Broadcast.Receiver<Long>> rxs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            rxs.add(b.subscribe()); // before any send
        }
        List<Broadcast.Sender<Long>> senders = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            senders.add(b.sender().copy());
        }
        b.sender().close();
        // each consumer checks per-producer order and counts; any failure is kept
        AtomicReference<Throwable> error = new AtomicReference<>();
        java.util.function.Function<Broadcast.Receiver<Long>, Long> consume = rx -> {
            long[] next = new long[producers];
            long n = 0;
            for (;;) {
                long v;
                try {
                    v = rx.recv().await();
                } catch (ChannelClosedException end) {
                    return n;
                }
                int id = (int) (v >>> 32);
                if ((v & 0xffffffffL) != next[id]) {
                    error.compareAndSet(null, new AssertionError("producer " + id + ": got " + (v & 0xffffffffL)
                            + ", expected " + next[id]));
                }
                next[id]++;
                n++;
            }
        };
        CompletableFuture<Long> onOtherExecutor = new CompletableFuture<>();
        Thread otherLoop = new Thread(() -> {
            try {
                onOtherExecutor.complete(run(kind, () -> consume.apply(rxs.get(0))));
            } catch (Throwable t) {
                onOtherExecutor.completeExceptionally(t);
            }
        });
        CompletableFuture<Long> onPlainThread = new CompletableFuture<>();
        Thread plain = new Thread(() -> {
            try {
                onPlainThread.complete(consume.apply(rxs.get(2))); // await parks this thread
            } catch (Throwable t) {
                onPlainThread.completeExceptionally(t);
            }
        });
        otherLoop.start();
        plain.start();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int id = p;
            var tx = senders.get(p);
            Thread t = new Thread(() -> {
                try (tx) {
                    for (long i = 0; i < perProducer; i++) {
                        tx.send(((long) id << 32) | i);
                    }
                }
            });
            threads.add(t);
            t.start();
        }
        long here = run(kind, () -> Weft.spawn(() -> consume.apply(rxs.get(1))).await());
        for (Thread t : threads) {
            t.join();
        }
        assertThat(here).isEqualTo(total);
        assertThat(onOtherExecutor.get(20, TimeUnit.SECONDS)).isEqualTo(total);
        assertThat(onPlainThread.get(20, TimeUnit.SECONDS)).isEqualTo(total);
        otherLoop.join();
        plain.join();
        assertThat(error.get()).isNull();
        assertThat(b.heldValues()).as("all read by all three: nothing held").isZero();
    }

    @Kinds.Shared
    void acrossThreadsALaggingReceiverAccountsForEveryValue(ExecutorKind kind) throws Exception {
        final int total = 20_000;
        Broadcast<Integer> b = Broadcast.create(4);
        var onOther = b.subscribe();
        var here = b.subscribe();
        // received + missed == total, values strictly increasing, and the last value always arrives
        record Tally(long received, long missed, int last, boolean ordered) { }
        java.util.function.Function<Broadcast.Receiver<Integer>, Tally> consume = rx -> {
            long received = 0;
            long missed = 0;
            int last = -1;
            boolean ordered = true;
            for (;;) {
                try {
                    int v = rx.recv().await();
                    ordered &= v > last;
                    last = v;
                    received++;
                } catch (Broadcast.LaggedException lag) {
                    missed += lag.missed();
                } catch (ChannelClosedException end) {
                    return new Tally(received, missed, last, ordered);
                }
            }
        };
        CompletableFuture<Tally> other = new CompletableFuture<>();
        Thread otherLoop = new Thread(() -> {
            try {
                other.complete(run(kind, () -> consume.apply(onOther)));
            } catch (Throwable t) {
                other.completeExceptionally(t);
            }
        });
        Thread producer = new Thread(() -> {
            try (var tx = b.sender()) {
                for (int i = 0; i < total; i++) {
                    tx.send(i);
                }
            }
        });
        otherLoop.start();
        producer.start();
        Tally mine = run(kind, () -> consume.apply(here));
        producer.join();
        for (Tally t : List.of(mine, other.get(20, TimeUnit.SECONDS))) {
            assertThat(t.ordered()).isTrue();
            assertThat(t.received() + t.missed()).as("every value received or reported missed").isEqualTo(total);
            assertThat(t.last()).isEqualTo(total - 1);
        }
        otherLoop.join();
    }

    @Kinds.Shared
    void receiversAbortedAtRandomWhileAPlainThreadSendsNeverSwallowOrDuplicateAValue(ExecutorKind kind)
            throws Exception {
        final int messages = 20_000;
        Broadcast<Integer> b = Broadcast.create(messages); // room for everything: lag is not the subject here
        var shared = b.subscribe(); // read by tasks that are aborted at random; they share its cursor
        var steady = b.subscribe(); // read by one task never aborted
        AtomicIntegerArray seen = new AtomicIntegerArray(messages); // atomic: receivers may run on two workers
        AtomicInteger duplicates = new AtomicInteger();
        AtomicInteger received = new AtomicInteger();
        AtomicBoolean producerDone = new AtomicBoolean();
        Thread producer = new Thread(() -> {
            try (var tx = b.sender()) {
                for (int i = 0; i < messages; i++) {
                    tx.send(i);
                }
            } finally {
                producerDone.set(true);
            }
        });
        AtomicInteger ended = new AtomicInteger(); // receivers that met the end of the stream
        AtomicReference<List<Integer>> steadyGot = new AtomicReference<>();
        int aborted = run(kind, () -> {
            var steadyTask = Weft.spawn(() -> BroadcastTest.drain(steady));
            List<JoinHandle<Void>> live = new ArrayList<>();
            List<JoinHandle<Void>> all = new ArrayList<>();
            Runnable body = () -> {
                for (;;) {
                    int v;
                    try {
                        v = shared.recv().await();
                    } catch (ChannelClosedException end) {
                        ended.incrementAndGet();
                        return;
                    }
                    if (seen.getAndSet(v, 1) == 1) {
                        duplicates.incrementAndGet();
                    }
                    received.incrementAndGet();
                }
            };
            for (int i = 0; i < 4; i++) {
                var h = Weft.spawn(body);
                live.add(h);
                all.add(h);
            }
            Weft.yieldNow().await(); // the receivers wait in recv
            live.remove(0).abort(); // one abort before the first value: a run the producer outpaces aborts one too
            int aborts = 1;
            var replacement = Weft.spawn(body);
            live.add(replacement);
            all.add(replacement);
            producer.start();
            int round = 0;
            // until everything arrived (bounded: a swallowed value fails the counts below, not the timeout)
            while ((!producerDone.get() || received.get() < messages) && round < 1_000_000) {
                Weft.yieldNow().await();
                if (++round % 3 == 0) {
                    var victim = live.remove(round % live.size());
                    if (!victim.isFinished()) {
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
            assertThat(cancelled + ended.get()).as("every receiver ended: aborted or at the end of the stream")
                    .isEqualTo(all.size());
            if (kind == ExecutorKind.STEALING_2) {
                // a victim running on the other worker may meet the end of the stream and return before the abort
                assertThat(cancelled).isPositive().isLessThanOrEqualTo(aborts);
            } else {
                assertThat(cancelled).as("no victim ran between the check and its abort").isEqualTo(aborts);
            }
            steadyGot.set(steadyTask.await());
            return aborts;
        });
        producer.join();
        assertThat(aborted).as("the test did abort receivers").isPositive();
        assertThat(duplicates).hasValue(0);
        assertThat(received).hasValue(messages);
        for (int i = 0; i < messages; i++) {
            assertThat(seen.get(i)).as("message %d", i).isEqualTo(1);
        }
        assertThat(steadyGot.get()).hasSize(messages);
        for (int i = 0; i < messages; i++) {
            assertThat(steadyGot.get().get(i)).isEqualTo(i);
        }
        assertThat(b.heldValues()).isZero();
    }
}
