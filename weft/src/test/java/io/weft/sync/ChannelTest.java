package io.weft.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.Context;
import io.weft.JoinHandle;
import io.weft.LocalExecutor;
import io.weft.Poll;
import io.weft.TaskCancelledException;
import io.weft.Weft;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Channels inside one executor, run for both families (local and shared). */
class ChannelTest {

    static IntFunction<Channel<Integer>> bounded(boolean local) {
        return cap -> local ? Channel.localBounded(cap) : Channel.bounded(cap);
    }

    static <T> T run(java.util.concurrent.Callable<T> body) {
        try (var ex = LocalExecutor.create()) {
            return ex.run(body);
        }
    }

    /** Yields until the predicate holds, at most 1,000 times (a failing assertion, never a hang). */
    static void yieldUntil(java.util.function.BooleanSupplier cond) {
        for (int i = 0; i < 1_000 && !cond.getAsBoolean(); i++) {
            Weft.yieldNow().await();
        }
        assertThat(cond.getAsBoolean()).as("condition reached within 1,000 yields").isTrue();
    }

    @ParameterizedTest(name = "local={0}")
    @ValueSource(booleans = {true, false})
    void pingPongDeliversEveryMessageInOrder(boolean local) {
        List<Integer> got = run(() -> {
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

    @ParameterizedTest(name = "local={0}")
    @ValueSource(booleans = {true, false})
    void boundedSendSuspendsWhenFullAndResumesOnRecv(boolean local) {
        run(() -> {
            var ch = bounded(local).apply(2);
            AtomicInteger sent = new AtomicInteger();
            var producer = Weft.spawn(() -> {
                for (int i = 0; i < 5; i++) {
                    ch.sender().send(i).await();
                    sent.incrementAndGet();
                }
            });
            for (int i = 0; i < 10; i++) {
                Weft.yieldNow().await();
            }
            assertThat(sent).as("two fit, the third send waits").hasValue(2);
            assertThat(ch.sender().trySend(99)).as("trySend on a full channel").isFalse();
            assertThat(ch.receiver().recv().await()).isEqualTo(0);
            yieldUntil(() -> sent.get() == 3);
            for (int i = 0; i < 10; i++) {
                Weft.yieldNow().await();
            }
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

    @ParameterizedTest(name = "local={0}")
    @ValueSource(booleans = {true, false})
    void lastSenderClosingDrainsThenEndsTheStream(boolean local) {
        run(() -> {
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

    @ParameterizedTest(name = "local={0}")
    @ValueSource(booleans = {true, false})
    void closedReceiverGivesValuesBackToWaitingAndNewSenders(boolean local) {
        run(() -> {
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
            Weft.yieldNow().await();
            ch.receiver().close();
            assertThat(blocked.await()).as("the waiting send got its value back").isEqualTo(2);
            assertThatThrownBy(() -> ch.sender().send(3).await()).isInstanceOf(ChannelClosedException.class)
                    .extracting(e -> ((ChannelClosedException) e).value()).isEqualTo(3);
            assertThat(ch.receiver().tryRecv()).as("buffered values survive the close").isEqualTo(1);
            assertThatThrownBy(() -> ch.receiver().recv().await()).isInstanceOf(ChannelClosedException.class);
            return null;
        });
    }

    @ParameterizedTest(name = "local={0}")
    @ValueSource(booleans = {true, false})
    void abortedReceiverThatWasWokenPassesTheMessageOn(boolean local) {
        run(() -> {
            var ch = bounded(local).apply(4);
            AtomicInteger aGot = new AtomicInteger(-1);
            JoinHandle<Void> a = Weft.spawn(() -> aGot.set(ch.receiver().recv().await()));
            JoinHandle<Integer> b = Weft.spawn(() -> ch.receiver().recv().await());
            Weft.yieldNow().await(); // both wait, a first
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

    @ParameterizedTest(name = "local={0}")
    @ValueSource(booleans = {true, false})
    void abortedOnlyReceiverLeavesTheMessageInTheChannel(boolean local) {
        run(() -> {
            var ch = bounded(local).apply(4);
            JoinHandle<Integer> a = Weft.spawn(() -> ch.receiver().recv().await());
            Weft.yieldNow().await();
            ch.sender().trySend(5);
            a.abort();
            assertThatThrownBy(a::await).isInstanceOf(TaskCancelledException.class);
            assertThat(ch.receiver().size()).isEqualTo(1);
            assertThat(ch.receiver().recv().await()).isEqualTo(5);
            return null;
        });
    }

    @ParameterizedTest(name = "local={0}")
    @ValueSource(booleans = {true, false})
    void abortedWokenSenderPassesTheFreeSlotOnAndSendsNothing(boolean local) {
        run(() -> {
            var ch = bounded(local).apply(1);
            ch.sender().trySend(0);
            JoinHandle<Void> a = Weft.spawn(() -> ch.sender().send(1).await());
            JoinHandle<Void> b = Weft.spawn(() -> ch.sender().send(2).await());
            Weft.yieldNow().await();
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

    @ParameterizedTest(name = "local={0}")
    @ValueSource(booleans = {true, false})
    void handPolledRecvCancelledAfterWakeHandsTheHintOn(boolean local) {
        run(() -> {
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

    @ParameterizedTest(name = "local={0}")
    @ValueSource(booleans = {true, false})
    void recvOfBufferedValuesSpendsTheBudgetAndLetsOthersRun(boolean local) {
        run(() -> {
            var ch = Channel.<Integer>localUnbounded();
            var shared = Channel.<Integer>unbounded();
            var c = local ? ch : shared;
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

    @ParameterizedTest(name = "local={0}")
    @ValueSource(booleans = {true, false})
    void nullValuesAreRefused(boolean local) {
        run(() -> {
            var ch = bounded(local).apply(1);
            assertThatThrownBy(() -> ch.sender().trySend(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> ch.sender().send(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> bounded(local).apply(0)).isInstanceOf(IllegalArgumentException.class);
            return null;
        });
    }
}
