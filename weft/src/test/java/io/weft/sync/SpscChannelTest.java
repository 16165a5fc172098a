package io.weft.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.Context;
import io.weft.JoinHandle;
import io.weft.LocalExecutor;
import io.weft.TaskCancelledException;
import io.weft.Poll;
import io.weft.Waker;
import io.weft.Weft;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The SPSC channel on one thread: its futures polled by hand with counting
 * wakers (both sides on the test thread, a plain thread), or both sides in
 * one executor. What crosses executors is in {@link SpscCrossExecutorTest}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SpscChannelTest {

    static final class CountingWaker implements Waker {
        final AtomicInteger wakes = new AtomicInteger();

        @Override
        public void wake() {
            wakes.incrementAndGet();
        }
    }

    static <T> Poll<T> poll(WaitFuture<T> f, Waker w) {
        return f.poll(new Context(w));
    }

    static final Waker THROWING = () -> {
        throw new IllegalStateException("a waker that throws");
    };

    /**
     * A waker that throws (a future polled by hand with a context of its
     * own) stops no send or close half-way: the send that woke it returns
     * with its value in the ring, a close wakes every other waiter. Without
     * it the send threw after storing its value (a caller would send it
     * again), and a close left the waiters after the bad one asleep.
     */
    @Test
    void aWakerThatThrowsStopsNoSendOrCloseHalfWay() {
        SpscChannel<Integer> ch = SpscChannel.create(1);
        assertThat(poll(ch.receiver().recv(), THROWING).isReady()).isFalse();
        assertThat(ch.sender().trySend(1)).as("sent, whatever its waker does").isTrue();
        assertThat(ch.receiver().tryRecv()).isEqualTo(1);

        assertThat(ch.sender().trySend(2)).isTrue(); // full
        assertThat(poll(ch.sender().send(3), THROWING).isReady()).isFalse();
        CountingWaker good = new CountingWaker();
        WaitFuture<Void> second = ch.sender().send(4);
        assertThat(poll(second, good).isReady()).isFalse();
        ch.sender().close();
        assertThat(good.wakes).as("the send waiting behind the bad one, at the close").hasValue(1);

        SpscChannel<Integer> other = SpscChannel.create(1);
        assertThat(poll(other.receiver().recv(), THROWING).isReady()).isFalse();
        CountingWaker goodRecv = new CountingWaker();
        assertThat(poll(other.receiver().recv(), goodRecv).isReady()).isFalse();
        other.receiver().close();
        assertThat(goodRecv.wakes).as("the recv waiting behind the bad one, at the close").hasValue(1);
    }

    @Test
    void aWakerThatThrowsStopsNoOneshotSendHalfWay() {
        Oneshot<Integer> o = Oneshot.create();
        assertThat(poll(o.recv(), THROWING).isReady()).isFalse();
        CountingWaker good = new CountingWaker();
        WaitFuture<Integer> second = o.recv();
        assertThat(poll(second, good).isReady()).isFalse();
        o.send(7); // returns: the value is in
        assertThat(good.wakes).as("the recv waiting beside the bad one").hasValue(1);
        assertThat(poll(second, good).get()).isEqualTo(7);
    }

    /**
     * One LocalExecutor run by a second thread after a first: its sides go
     * with it (it refused, so the finally blocks of tasks that a close from
     * another thread cancels could not close their sides); another executor
     * is still refused.
     */
    @Test
    void aSideFollowsItsExecutorRunByAnotherThread() throws Exception {
        SpscChannel<Integer> ch = SpscChannel.create(4);
        try (var ex = LocalExecutor.builder().name("rerun").build();
             var other = LocalExecutor.builder().name("other").build()) {
            ex.run(() -> ch.sender().trySend(1));
            AtomicReference<Object> got = new AtomicReference<>();
            Thread b = new Thread(() -> got.set(ex.run(() -> ch.sender().trySend(2) ? ch.receiver().recv().await()
                    : null)), "rerun-b");
            b.start();
            b.join();
            assertThat(got.get()).isEqualTo(1);
            assertThat(ex.run(() -> ch.receiver().recv().await())).as("back on the first thread").isEqualTo(2);
            assertThatThrownBy(() -> other.run(() -> ch.sender().trySend(3))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("rerun").hasMessageContaining("each side serves the tasks of one executor");
        }
    }

    @Test
    void aValueAlreadySentIsTakenAtOnceAndWakesNobody() {
        SpscChannel<Integer> ch = SpscChannel.create(4);
        assertThat(ch.sender().trySend(1)).isTrue();
        assertThat(ch.sender().trySend(2)).isTrue();
        CountingWaker w = new CountingWaker();
        assertThat(poll(ch.receiver().recv(), w).get()).isEqualTo(1);
        assertThat(poll(ch.receiver().recv(), w).get()).isEqualTo(2);
        assertThat(w.wakes).as("no waiter, no wake").hasValue(0);
        assertThat(ch.receiver().tryRecv()).isNull();
    }

    @Test
    void aSleepingRecvIsWokenOnceByTheNextValueAndNotByTheOnesAfter() {
        SpscChannel<Integer> ch = SpscChannel.create(4);
        CountingWaker w = new CountingWaker();
        WaitFuture<Integer> rx = ch.receiver().recv();
        assertThat(poll(rx, w).isReady()).isFalse();
        assertThat(ch.sender().trySend(1)).isTrue();
        assertThat(w.wakes).as("the value wakes the sleeper").hasValue(1);
        assertThat(ch.sender().trySend(2)).isTrue();
        assertThat(ch.sender().trySend(3)).isTrue();
        assertThat(w.wakes).as("nobody sleeps any more: values flow without wakes").hasValue(1);
        assertThat(poll(rx, w).get()).isEqualTo(1);
        assertThat(ch.receiver().tryRecv()).isEqualTo(2);
        assertThat(ch.receiver().tryRecv()).isEqualTo(3);
        assertThat(w.wakes).hasValue(1);
    }

    @Test
    void aFullRingHoldsTheSendUntilASlotIsFreedThenWakesItOnce() {
        SpscChannel<Integer> ch = SpscChannel.create(3);
        for (int i = 1; i <= 3; i++) {
            assertThat(ch.sender().trySend(i)).isTrue();
        }
        assertThat(ch.sender().trySend(99)).as("full: trySend refuses").isFalse();
        CountingWaker w = new CountingWaker();
        WaitFuture<Void> tx = ch.sender().send(4);
        assertThat(poll(tx, w).isReady()).as("full: send waits").isFalse();
        assertThat(w.wakes).hasValue(0);
        assertThat(ch.receiver().tryRecv()).isEqualTo(1);
        assertThat(w.wakes).as("the freed slot wakes the sleeping send").hasValue(1);
        assertThat(ch.receiver().tryRecv()).isEqualTo(2);
        assertThat(w.wakes).as("once").hasValue(1);
        assertThat(poll(tx, w).isReady()).isTrue();
        List<Integer> rest = new ArrayList<>();
        for (Integer v; (v = ch.receiver().tryRecv()) != null; ) {
            rest.add(v);
        }
        assertThat(rest).as("order across the wrap of the ring").containsExactly(3, 4);
    }

    /** trySend/tryRecv against a bounded FIFO model: full exactly at capacity, every value once, in order. */
    @ParameterizedTest(name = "capacity {0}")
    @ValueSource(ints = {1, 2, 3, 7, 8, 16, 33})
    void matchesABoundedFifoAcrossManyWraps(int capacity) {
        SpscChannel<Integer> ch = SpscChannel.create(capacity);
        ArrayDeque<Integer> model = new ArrayDeque<>();
        SplittableRandom rnd = new SplittableRandom(capacity);
        int next = 0;
        for (int step = 0; step < 20_000; step++) {
            if (rnd.nextInt(100) < 55) {
                boolean sent = ch.sender().trySend(next);
                assertThat(sent).as("trySend at size %d of %d", model.size(), capacity)
                        .isEqualTo(model.size() < capacity);
                if (sent) {
                    model.addLast(next++);
                }
            } else {
                assertThat(ch.receiver().tryRecv()).isEqualTo(model.pollFirst());
            }
        }
    }

    @Test
    void afterTheSenderClosesTheReceiverDrainsThenSeesTheEnd() {
        SpscChannel<String> ch = SpscChannel.create(4);
        CountingWaker w = new CountingWaker();
        assertThat(ch.sender().trySend("a")).isTrue();
        assertThat(ch.sender().trySend("b")).isTrue();
        ch.sender().close();
        ch.sender().close(); // idempotent
        assertThat(ch.receiver().tryRecv()).isEqualTo("a");
        assertThat(poll(ch.receiver().recv(), w).get()).isEqualTo("b");
        assertThatThrownBy(() -> poll(ch.receiver().recv(), w)).isInstanceOf(ChannelClosedException.class)
                .hasMessageContaining("sender closed").satisfies(e -> assertThat(((ChannelClosedException) e)
                        .value()).isNull());
        assertThatThrownBy(() -> ch.receiver().tryRecv()).isInstanceOf(ChannelClosedException.class);
        assertThatThrownBy(() -> ch.sender().trySend("c")).isInstanceOf(ChannelClosedException.class)
                .hasMessageContaining("closed SpscSender")
                .satisfies(e -> assertThat(((ChannelClosedException) e).<String>valueAs()).isEqualTo("c"));
        assertThatThrownBy(() -> poll(ch.sender().send("d"), w)).isInstanceOf(ChannelClosedException.class)
                .satisfies(e -> assertThat(((ChannelClosedException) e).<String>valueAs()).isEqualTo("d"));
    }

    @Test
    void theSenderClosingWakesASleepingRecvWhichThenEnds() {
        SpscChannel<String> ch = SpscChannel.create(2);
        CountingWaker w = new CountingWaker();
        WaitFuture<String> rx = ch.receiver().recv();
        assertThat(poll(rx, w).isReady()).isFalse();
        ch.sender().close();
        assertThat(w.wakes).hasValue(1);
        assertThatThrownBy(() -> poll(rx, w)).isInstanceOf(ChannelClosedException.class);
    }

    @Test
    void theReceiverClosingFailsEverySendWithItsValueAndStillDrains() {
        SpscChannel<String> ch = SpscChannel.create(1);
        CountingWaker w = new CountingWaker();
        assertThat(ch.sender().trySend("kept")).isTrue();
        WaitFuture<Void> pending = ch.sender().send("refused");
        assertThat(poll(pending, w).isReady()).isFalse();
        ch.receiver().close();
        assertThat(w.wakes).as("the sleeping send is woken by the close").hasValue(1);
        assertThatThrownBy(() -> poll(pending, w)).isInstanceOf(ChannelClosedException.class)
                .hasMessageContaining("receiver is closed")
                .satisfies(e -> assertThat(((ChannelClosedException) e).<String>valueAs()).isEqualTo("refused"));
        assertThatThrownBy(() -> ch.sender().trySend("late")).isInstanceOf(ChannelClosedException.class)
                .satisfies(e -> assertThat(((ChannelClosedException) e).<String>valueAs()).isEqualTo("late"));
        assertThat(ch.receiver().tryRecv()).as("what was buffered is still received").isEqualTo("kept");
        assertThatThrownBy(() -> ch.receiver().tryRecv()).isInstanceOf(ChannelClosedException.class)
                .hasMessageContaining("receiver closed");
    }

    @Test
    void nullValuesAreRefused() {
        SpscChannel<String> ch = SpscChannel.create(1);
        assertThatThrownBy(() -> ch.sender().trySend(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ch.sender().send(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> SpscChannel.create(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1");
    }

    @Test
    void aSideUsedFromASecondThreadThrowsNamingBothThreads() throws Exception {
        SpscChannel<String> ch = SpscChannel.create(4);
        CompletableFuture<WaitFuture<String>> made = new CompletableFuture<>();
        Thread owner = new Thread(() -> {
            try (var ex = LocalExecutor.builder().name("spsc-owner-ex").build()) {
                ex.run(() -> {
                    ch.sender().trySend("x"); // binds the sender here
                    ch.receiver().tryRecv(); // binds the receiver here (making a future binds nothing)
                    made.complete(ch.receiver().recv());
                    return null;
                });
            }
        }, "spsc-owner");
        owner.start();
        owner.join();
        WaitFuture<String> foreign = made.get();
        String me = Thread.currentThread().getName();
        assertThatThrownBy(() -> ch.sender().trySend("y")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("sending side").hasMessageContaining("thread spsc-owner")
                .hasMessageContaining("executor spsc-owner-ex").hasMessageContaining("thread " + me);
        assertThatThrownBy(() -> ch.receiver().tryRecv()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("receiving side").hasMessageContaining("spsc-owner")
                .hasMessageContaining(me);
        assertThatThrownBy(() -> ch.sender().close()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> poll(foreign, new CountingWaker())).as("a future polled on another thread")
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("spsc-owner");
    }

    /**
     * On a StealingExecutor a side belongs to the worker of the task that
     * used it first; a task living on the other worker is told so (the same
     * executor, a side per thread, what to use instead), not that the side
     * serves "one executor only".
     */
    @Test
    void aSideUsedFromTwoWorkersOfOneStealingExecutorSaysWhatToDo() {
        SpscChannel<String> ch = SpscChannel.create(4);
        try (var ex = io.weft.StealingExecutor.builder().workers(2).name("spsc-st").build()) {
            String message = ex.blockOn(() -> {
                ch.sender().trySend("x"); // binds the sender to this worker
                return io.weft.OtherWorker.spawn(() -> {
                    try {
                        ch.sender().trySend("y");
                        return "sent from the other worker";
                    } catch (IllegalStateException e) {
                        return e.getMessage();
                    }
                }).await();
            });
            assertThat(message).contains("another worker of the same StealingExecutor").contains("Channel.bounded");
        }
    }

    @Test
    void severalTasksWaitOnOneSideAndEachValueGoesToExactlyOne() {
        try (var ex = LocalExecutor.create()) {
            List<Integer> got = ex.run(() -> {
                SpscChannel<Integer> ch = SpscChannel.create(2);
                List<Integer> seen = new ArrayList<>();
                List<JoinHandle<Void>> receivers = new ArrayList<>();
                for (int r = 0; r < 3; r++) {
                    receivers.add(Weft.spawn(() -> {
                        try {
                            for (;;) {
                                seen.add(ch.receiver().recv().await());
                            }
                        } catch (ChannelClosedException end) {
                            // done
                        }
                    }));
                }
                List<JoinHandle<Void>> senders = new ArrayList<>();
                for (int s = 0; s < 3; s++) {
                    int base = s * 1000;
                    senders.add(Weft.spawn(() -> {
                        for (int i = 0; i < 300; i++) {
                            ch.sender().send(base + i).await();
                        }
                    }));
                }
                for (JoinHandle<Void> h : senders) {
                    h.await();
                }
                ch.sender().close();
                for (JoinHandle<Void> h : receivers) {
                    h.await();
                }
                return seen;
            });
            assertThat(got).hasSize(900).doesNotHaveDuplicates();
            for (int s = 0; s < 3; s++) {
                int base = s * 1000;
                assertThat(got.stream().filter(v -> v / 1000 == base / 1000).toList()).as("sender %d in order", base)
                        .isSorted().hasSize(300);
            }
        }
    }

    @Test
    void aWokenRecvThatIsAbortedTakesNothingAndTheNextWaiterGetsTheValue() {
        try (var ex = LocalExecutor.create()) {
            ex.run(() -> {
                SpscChannel<String> ch = SpscChannel.create(2);
                JoinHandle<String> first = Weft.spawn(() -> ch.receiver().recv().await());
                JoinHandle<String> second = Weft.spawn(() -> ch.receiver().recv().await());
                Weft.yieldNow().await();
                Weft.yieldNow().await(); // both wait now, first in front
                assertThat(ch.sender().trySend("v")).isTrue(); // wakes the first waiter only
                first.abort(); // before it runs: its recv is cancelled after its wake-up
                assertThat(second.await()).as("the wake-up and the value went on").isEqualTo("v");
                assertThat(first.isFinished()).isTrue();
                assertThat(ch.receiver().tryRecv()).as("taken once").isNull();
                return null;
            });
        }
    }

    @Test
    void aWokenSendThatIsAbortedSentNothingAndTheNextSenderGetsTheSlot() {
        try (var ex = LocalExecutor.create()) {
            ex.run(() -> {
                SpscChannel<String> ch = SpscChannel.create(1);
                assertThat(ch.sender().trySend("first")).isTrue();
                JoinHandle<Void> cancelled = Weft.spawn(() -> ch.sender().send("cancelled").await());
                JoinHandle<Void> next = Weft.spawn(() -> ch.sender().send("next").await());
                Weft.yieldNow().await();
                Weft.yieldNow().await();
                assertThat(ch.receiver().tryRecv()).isEqualTo("first"); // wakes the first waiting send
                cancelled.abort();
                next.await();
                assertThat(ch.receiver().tryRecv()).isEqualTo("next");
                assertThat(ch.receiver().tryRecv()).as("the cancelled send sent nothing").isNull();
                return null;
            });
        }
    }

    // ---- the fast road of await(): a send or recv ready at once, in a task, completes without a poll ----

    @Test
    void aTaskWhoseSendsAndRecvsAreReadyAtOnceStillYieldsOnceItsBudgetIsSpent() {
        try (var ex = LocalExecutor.create()) {
            int[] seen = ex.run(() -> {
                SpscChannel<Integer> ch = SpscChannel.create(4096);
                int[] other = {0};
                boolean[] stop = {false};
                JoinHandle<Void> counter = Weft.spawn(() -> {
                    while (!stop[0]) {
                        other[0]++;
                        Weft.yieldNow().await();
                    }
                });
                Weft.yieldNow().await(); // the counter runs
                int start = other[0];
                for (int i = 0; i < 2560; i++) {
                    ch.sender().send(i).await(); // never full: every send takes the fast road
                }
                int afterSends = other[0];
                long sum = 0;
                for (int i = 0; i < 2560; i++) {
                    sum += ch.receiver().recv().await(); // never empty
                }
                int afterRecvs = other[0];
                stop[0] = true;
                counter.await();
                return new int[] {start, afterSends, afterRecvs, (int) sum};
            });
            // 2,560 operations are 20 budgets of 128: the task yields after each, and the counter runs once
            assertThat(seen[1] - seen[0]).as("the counter's turns while sending").isGreaterThanOrEqualTo(19);
            assertThat(seen[2] - seen[1]).as("the counter's turns while receiving").isGreaterThanOrEqualTo(19);
            assertThat(seen[3]).isEqualTo(2559 * 2560 / 2);
        }
    }

    @Test
    void aTaskBeingCancelledSendsNothingAndTakesNothingThoughTheRingIsReady() {
        try (var ex = LocalExecutor.create()) {
            ex.run(() -> {
                SpscChannel<String> ch = SpscChannel.create(4);
                AtomicReference<JoinHandle<Void>> sender = new AtomicReference<>();
                sender.set(Weft.spawn(() -> {
                    sender.get().abort(); // cancelled while it runs, before its await
                    ch.sender().send("not sent").await(); // room: only the cancellation stops it
                }));
                assertThatThrownBy(() -> sender.get().await()).isInstanceOf(TaskCancelledException.class);
                assertThat(ch.receiver().tryRecv()).as("the cancelled send sent nothing").isNull();

                assertThat(ch.sender().trySend("kept")).isTrue();
                AtomicReference<JoinHandle<String>> receiver = new AtomicReference<>();
                receiver.set(Weft.spawn(() -> {
                    receiver.get().abort();
                    return ch.receiver().recv().await(); // a value waits: only the cancellation stops it
                }));
                assertThatThrownBy(() -> receiver.get().await()).isInstanceOf(TaskCancelledException.class);
                assertThat(ch.receiver().tryRecv()).as("the cancelled recv took nothing").isEqualTo("kept");
                return null;
            });
        }
    }

    @Test
    void aFuturePolledByHandThenAwaitedTakesTheOrdinaryRoad() {
        try (var ex = LocalExecutor.create()) {
            ex.run(() -> {
                SpscChannel<String> ch = SpscChannel.create(1);
                CountingWaker w = new CountingWaker();
                WaitFuture<String> recv = ch.receiver().recv();
                assertThat(poll(recv, w).isReady()).isFalse(); // queued, with a waker of the test's
                assertThat(ch.sender().trySend("v")).isTrue();
                assertThat(w.wakes.get()).as("the hand-polled recv was woken").isEqualTo(1);
                assertThat(recv.await()).isEqualTo("v");
                assertThatThrownBy(() -> poll(recv, w)).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("polled after it completed");
                return null;
            });
        }
    }
}
