package io.weft.sync;

import static io.weft.sync.Kinds.run;
import static io.weft.sync.Kinds.settle;
import static io.weft.sync.Kinds.yieldUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.Context;
import io.weft.ExecutorKind;
import io.weft.JoinHandle;
import io.weft.Poll;
import io.weft.TaskCancelledException;
import io.weft.Weft;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Timeout;

/**
 * Channels inside one executor, for both families, on the kinds of
 * {@link Kinds}: aborts between a wake and the next run, and the budget,
 * where the children share their parent's thread; the rest on every kind.
 */
// SEPARATE_THREAD: a lost wake leaves the loop waiting for ever; the test then fails instead of blocking the run
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ChannelTest {

    static IntFunction<Channel<Integer>> bounded(boolean local) {
        return cap -> local ? Channel.localBounded(cap) : Channel.bounded(cap);
    }

    @Kinds.Every
    void pingPongDeliversEveryMessageInOrder(ExecutorKind kind, boolean local) {
        List<Integer> got = run(kind, () -> {
            var ping = bounded(local).apply(1);
            var pong = bounded(local).apply(1);
            var echo = Weft.spawn(() -> {
                for (int i = 0; i < 1_000; i++) {
                    pong.sender().send(ping.receiver().recv().await() + 1).await();
                }
            });
            List<Integer> out = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                ping.sender().send(i * 2).await();
                out.add(pong.receiver().recv().await());
            }
            echo.await();
            return out;
        });
        assertThat(got).hasSize(1_000);
        for (int i = 0; i < 1_000; i++) {
            assertThat(got.get(i)).isEqualTo(i * 2 + 1);
        }
    }

    @Kinds.Every
    void boundedSendSuspendsWhenFullAndResumesOnRecv(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            var ch = bounded(local).apply(2);
            AtomicInteger sent = new AtomicInteger();
            var producer = Weft.spawn(() -> {
                for (int i = 0; i < 5; i++) {
                    ch.sender().send(i).await();
                    sent.incrementAndGet();
                }
            });
            yieldUntil(() -> sent.get() == 2);
            settle();
            assertThat(sent).as("two fit, the third send waits").hasValue(2);
            assertThat(ch.sender().trySend(99)).as("trySend on a full channel").isFalse();
            assertThat(ch.receiver().recv().await()).isEqualTo(0);
            yieldUntil(() -> sent.get() == 3);
            settle();
            assertThat(sent).as("one recv frees exactly one slot").hasValue(3);
            List<Integer> rest = new ArrayList<>();
            for (int i = 1; i < 5; i++) {
                rest.add(ch.receiver().recv().await());
            }
            producer.await();
            assertThat(rest).containsExactly(1, 2, 3, 4);
            assertThat(ch.receiver().tryRecv()).as("empty, senders open").isNull();
            return null;
        });
    }

    @Kinds.Every
    void lastSenderClosingDrainsThenEndsTheStream(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            var ch = bounded(local).apply(8);
            var tx2 = ch.sender().copy();
            ch.sender().trySend(1);
            tx2.trySend(2);
            ch.sender().close();
            ch.sender().close(); // idempotent: must not close tx2's share
            assertThatThrownBy(() -> ch.sender().copy()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed sender handle");
            tx2.trySend(3);
            AtomicInteger ends = new AtomicInteger();
            var waiter = Weft.spawn(() -> {
                List<Integer> got = new ArrayList<>();
                for (;;) {
                    try {
                        got.add(ch.receiver().recv().await());
                    } catch (ChannelClosedException e) {
                        ends.incrementAndGet();
                        assertThat(e.value()).isNull();
                        return got;
                    }
                }
            });
            yieldUntil(() -> ch.receiver().size() == 0);
            assertThat(ends).as("one sender still open").hasValue(0);
            tx2.close();
            assertThat(waiter.await()).containsExactly(1, 2, 3);
            assertThat(ends).hasValue(1);
            assertThatThrownBy(() -> ch.receiver().tryRecv()).isInstanceOf(ChannelClosedException.class);
            assertThatThrownBy(() -> tx2.trySend(4)).isInstanceOf(ChannelClosedException.class)
                    .extracting(e -> ((ChannelClosedException) e).value()).isEqualTo(4);
            assertThatThrownBy(() -> ch.sender().copy()).isInstanceOf(IllegalStateException.class);
            return null;
        });
    }

    /** On STEALING_2 the blocked send may come after the close, which gives its value back as well. */
    @Kinds.Every
    void closedReceiverGivesValuesBackToWaitingAndNewSenders(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            var ch = bounded(local).apply(1);
            ch.sender().trySend(1);
            var blocked = Weft.spawn(() -> {
                try {
                    ch.sender().send(2).await();
                    return null;
                } catch (ChannelClosedException e) {
                    return e.<Integer>valueAs();
                }
            });
            settle();
            ch.receiver().close();
            assertThat(blocked.await()).as("the waiting send got its value back").isEqualTo(2);
            assertThatThrownBy(() -> ch.sender().send(3).await()).isInstanceOf(ChannelClosedException.class)
                    .extracting(e -> ((ChannelClosedException) e).value()).isEqualTo(3);
            assertThat(ch.receiver().tryRecv()).as("buffered values survive the close").isEqualTo(1);
            assertThatThrownBy(() -> ch.receiver().recv().await()).isInstanceOf(ChannelClosedException.class);
            return null;
        });
    }

    /** SameThread: a queues before b, and is aborted after its wake and before it runs again. */
    @Kinds.SameThread
    void abortedReceiverThatWasWokenPassesTheMessageOn(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            var ch = bounded(local).apply(4);
            AtomicInteger aGot = new AtomicInteger(-1);
            JoinHandle<Void> a = Weft.spawn(() -> aGot.set(ch.receiver().recv().await()));
            JoinHandle<Integer> b = Weft.spawn(() -> ch.receiver().recv().await());
            settle(); // both wait, a first
            assertThat(ch.sender().trySend(7)).isTrue(); // wakes a (a hint, the value stays)
            a.abort(); // before a runs again
            assertThatThrownBy(a::await).isInstanceOf(TaskCancelledException.class);
            yieldUntil(b::isFinished);
            assertThat(b.await()).as("the woken-then-aborted receiver handed the hint to b").isEqualTo(7);
            assertThat(aGot).hasValue(-1);
            assertThat(ch.receiver().tryRecv()).isNull();
            return null;
        });
    }

    /** SameThread: a is aborted after the send woke it and before it runs again (elsewhere it may take the value). */
    @Kinds.SameThread
    void abortedOnlyReceiverLeavesTheMessageInTheChannel(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            var ch = bounded(local).apply(4);
            JoinHandle<Integer> a = Weft.spawn(() -> ch.receiver().recv().await());
            settle();
            ch.sender().trySend(5);
            a.abort();
            assertThatThrownBy(a::await).isInstanceOf(TaskCancelledException.class);
            assertThat(ch.receiver().size()).isEqualTo(1);
            assertThat(ch.receiver().recv().await()).isEqualTo(5);
            return null;
        });
    }

    /** SameThread: a queues before b, and is aborted after its wake and before it runs again. */
    @Kinds.SameThread
    void abortedWokenSenderPassesTheFreeSlotOnAndSendsNothing(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            var ch = bounded(local).apply(1);
            ch.sender().trySend(0);
            JoinHandle<Void> a = Weft.spawn(() -> ch.sender().send(1).await());
            JoinHandle<Void> b = Weft.spawn(() -> ch.sender().send(2).await());
            settle();
            assertThat(ch.receiver().tryRecv()).isEqualTo(0); // frees a slot, wakes a
            a.abort();
            assertThatThrownBy(a::await).isInstanceOf(TaskCancelledException.class);
            yieldUntil(b::isFinished);
            b.await();
            assertThat(ch.receiver().tryRecv()).isEqualTo(2);
            assertThat(ch.receiver().tryRecv()).as("a's value was never sent").isNull();
            return null;
        });
    }

    /**
     * SameThread: a send on one handle and one on another wait on a full
     * channel; a recv frees the slot and wakes the first, whose handle is
     * then closed before it runs: it fails with its value and passes the
     * free slot on to the second. It used to fail without passing it on, and
     * the second waited for ever beside a free slot.
     */
    @Kinds.SameThread
    void aWokenSendWhoseHandleClosedPassesTheFreeSlotOn(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            var ch = bounded(local).apply(1);
            Sender<Integer> tx = ch.sender();
            Sender<Integer> other = tx.copy();
            tx.trySend(0);
            JoinHandle<Void> a = Weft.spawn(() -> tx.send(1).await());
            JoinHandle<Void> b = Weft.spawn(() -> other.send(2).await());
            settle();
            assertThat(ch.receiver().tryRecv()).isEqualTo(0); // frees the slot, wakes a
            tx.close(); // before a runs again
            yieldUntil(() -> a.isFinished() && b.isFinished());
            assertThat(valueGivenBack(a)).isEqualTo(1);
            b.await();
            assertThat(ch.receiver().tryRecv()).isEqualTo(2);
            return null;
        });
    }

    /**
     * Sends waiting through a handle fail with their values when that handle
     * is closed (the others go on waiting); they used to wait until a slot
     * came free, perhaps for ever.
     */
    @Kinds.Every
    void closingAHandleFailsTheSendsWaitingOnItAtOnce(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            var ch = bounded(local).apply(1);
            Sender<Integer> tx = ch.sender();
            Sender<Integer> other = tx.copy();
            tx.trySend(0);
            JoinHandle<Void> a = Weft.spawn(() -> tx.send(1).await());
            JoinHandle<Void> b = Weft.spawn(() -> other.send(2).await());
            JoinHandle<Void> c = Weft.spawn(() -> tx.send(3).await());
            settle();
            tx.close();
            yieldUntil(() -> a.isFinished() && c.isFinished());
            assertThat(valueGivenBack(a)).isEqualTo(1);
            assertThat(valueGivenBack(c)).isEqualTo(3);
            assertThat(b.isFinished()).as("the other handle's send still waits for room").isFalse();
            assertThat(ch.receiver().recv().await()).isEqualTo(0);
            b.await();
            assertThat(ch.receiver().recv().await()).isEqualTo(2);
            return null;
        });
    }

    /** The value a send task's failure gave back (its ChannelClosedException, as the task's cause). */
    static Object valueGivenBack(JoinHandle<Void> send) {
        try {
            send.await();
        } catch (io.weft.TaskFailedException e) {
            assertThat(e.getCause()).isInstanceOf(ChannelClosedException.class);
            return ((ChannelClosedException) e.getCause()).value();
        }
        throw new AssertionError("the send went through");
    }

    @Kinds.Every
    void handPolledRecvCancelledAfterWakeHandsTheHintOn(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            var ch = bounded(local).apply(4);
            AtomicInteger wakes = new AtomicInteger();
            var first = ch.receiver().recv();
            assertThat(first.poll(new Context(wakes::incrementAndGet)).isReady()).isFalse();
            AtomicInteger secondWakes = new AtomicInteger();
            var second = ch.receiver().recv();
            assertThat(second.poll(new Context(secondWakes::incrementAndGet)).isReady()).isFalse();
            ch.sender().trySend(1);
            assertThat(wakes).as("FIFO: the first waiter is woken").hasValue(1);
            assertThat(secondWakes).hasValue(0);
            first.cancel();
            assertThat(secondWakes).as("the cancelled first waiter passed the hint on").hasValue(1);
            Poll<Integer> p = second.poll(new Context(secondWakes::incrementAndGet));
            assertThat(p.isReady()).isTrue();
            assertThat(p.get()).isEqualTo(1);
            assertThatThrownBy(() -> first.poll(new Context(() -> { })))
                    .isInstanceOf(IllegalStateException.class);
            return null;
        });
    }

    /** SameThread: only the budget's yield lets the other task run; a second worker could run it anyway, or late. */
    @Kinds.SameThread
    void recvOfBufferedValuesSpendsTheBudgetAndLetsOthersRun(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            var c = local ? Channel.<Integer>localUnbounded() : Channel.<Integer>unbounded();
            for (int i = 0; i < 1_000; i++) {
                c.sender().trySend(i);
            }
            AtomicInteger otherRuns = new AtomicInteger();
            AtomicInteger seenByReceiver = new AtomicInteger(-1);
            var other = Weft.spawn(() -> {
                otherRuns.incrementAndGet();
            });
            long sum = 0;
            for (int i = 0; i < 1_000; i++) {
                sum += c.receiver().recv().await();
                if (i == 999) {
                    seenByReceiver.set(otherRuns.get());
                }
            }
            other.await();
            assertThat(sum).isEqualTo(999L * 1_000 / 2);
            assertThat(seenByReceiver.get()).as("1,000 ready recvs yielded to the other task").isEqualTo(1);
            return null;
        });
    }

    @Kinds.Every
    void nullValuesAreRefused(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            var ch = bounded(local).apply(1);
            assertThatThrownBy(() -> ch.sender().trySend(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> ch.sender().send(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> bounded(local).apply(0)).isInstanceOf(IllegalArgumentException.class);
            return null;
        });
    }
}
