package io.weft.sync;

import static io.weft.sync.Kinds.run;
import static io.weft.sync.Kinds.yieldUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.ExecutorKind;
import io.weft.JoinHandle;
import io.weft.Poll;
import io.weft.TaskCancelledException;
import io.weft.Weft;
import io.weft.sync.NotifyTest.Counting;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Timeout;

/**
 * Broadcast for both families: every value to every receiver, lag, close,
 * release, cancellation, threads. On the kinds of {@link Kinds}: an abort
 * between a wake and the next run, and the budget, where the children share
 * their parent's thread; the rest on every kind ({@link BroadcastThreadsTest}:
 * the cross-thread tests, with executors of each kind).
 */
// SEPARATE_THREAD: a lost wake leaves the loop waiting for ever; the test then fails instead of blocking the run
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BroadcastTest {

    static Broadcast<Integer> broadcast(boolean local, int capacity) {
        return local ? Broadcast.local(capacity) : Broadcast.create(capacity);
    }

    /** Receives until the end of the stream; a lag is an error here. */
    static List<Integer> drain(Broadcast.Receiver<Integer> rx) {
        List<Integer> got = new ArrayList<>();
        for (;;) {
            try {
                got.add(rx.recv().await());
            } catch (ChannelClosedException end) {
                return got;
            }
        }
    }

    @Kinds.Every
    void everyReceiverSeesEveryValueSentAfterItSubscribedInOrder(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            var b = broadcast(local, 4);
            var early = b.subscribe();
            assertThat(b.sender().send(0)).as("one receiver reached").isEqualTo(1);
            var late = b.subscribe();
            JoinHandle<List<Integer>> e = Weft.spawn(() -> drain(early));
            JoinHandle<List<Integer>> l = Weft.spawn(() -> drain(late));
            for (int i = 1; i < 100; i++) {
                assertThat(b.sender().send(i)).isEqualTo(2);
                yieldUntil(() -> early.size() == 0 && late.size() == 0); // never more than one behind: no lag
            }
            b.sender().close();
            List<Integer> all = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                all.add(i);
            }
            assertThat(e.await()).isEqualTo(all);
            assertThat(l.await()).as("the late receiver starts at what was sent after it subscribed")
                    .isEqualTo(all.subList(1, 100));
            assertThat(b.heldValues()).as("every value was read by all its receivers: none held").isZero();
            return null;
        });
    }

    @Kinds.Every
    void aLaggingReceiverIsToldExactlyHowManyItMissedThenResumesFromTheOldest(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            var b = broadcast(local, 4);
            var byTry = b.subscribe();
            var byRecv = b.subscribe();
            var keepsUp = b.subscribe();
            var partly = b.subscribe();
            List<Integer> upToDate = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                b.sender().send(i);
                upToDate.add(keepsUp.tryRecv()); // reads each value at once: never lags
                if (i < 2) {
                    assertThat(partly.tryRecv()).isEqualTo(i);
                }
            }
            assertThat(upToDate).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
            assertThat(byTry.size()).as("tokio's len: includes the values it will be told it missed").isEqualTo(10);

            assertThatThrownBy(byTry::tryRecv).isInstanceOf(Broadcast.LaggedException.class)
                    .extracting(x -> ((Broadcast.LaggedException) x).missed()).isEqualTo(6L);
            assertThat(byTry.size()).isEqualTo(4);
            List<Integer> rest = new ArrayList<>();
            for (Integer v; (v = byTry.tryRecv()) != null;) {
                rest.add(v);
            }
            assertThat(rest).as("resumes from the oldest value still held").containsExactly(6, 7, 8, 9);

            assertThatThrownBy(() -> byRecv.recv().await()).isInstanceOf(Broadcast.LaggedException.class)
                    .extracting(x -> ((Broadcast.LaggedException) x).missed()).isEqualTo(6L);
            assertThat(byRecv.recv().await()).isEqualTo(6);

            assertThatThrownBy(partly::tryRecv).as("read 0 and 1, then 2..5 were overwritten")
                    .isInstanceOf(Broadcast.LaggedException.class)
                    .extracting(x -> ((Broadcast.LaggedException) x).missed()).isEqualTo(4L);

            // lag is reported before the end of the stream, then the held values drain
            b.sender().send(10);
            b.sender().close();
            assertThatThrownBy(partly::tryRecv).isInstanceOf(Broadcast.LaggedException.class)
                    .extracting(x -> ((Broadcast.LaggedException) x).missed()).isEqualTo(1L);
            assertThat(drain(partly)).containsExactly(7, 8, 9, 10);
            assertThat(drain(byRecv)).as("10 overwrote 6, which byRecv had read").containsExactly(7, 8, 9, 10);
            return null;
        });
    }

    @Kinds.Every
    void lastSenderClosingDrainsEveryReceiverThenEndsTheStream(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            var b = broadcast(local, 8);
            var rx = b.subscribe();
            var tx2 = b.sender().copy();
            b.sender().send(1);
            tx2.send(2);
            b.sender().close();
            b.sender().close(); // idempotent: must not close tx2's share
            assertThatThrownBy(() -> b.sender().copy()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed sender handle");
            assertThatThrownBy(() -> b.sender().send(9)).isInstanceOf(ChannelClosedException.class)
                    .extracting(x -> ((ChannelClosedException) x).value()).isEqualTo(9);
            tx2.send(3);
            AtomicInteger ends = new AtomicInteger();
            JoinHandle<List<Integer>> waiter = Weft.spawn(() -> {
                List<Integer> got = drain(rx);
                ends.incrementAndGet();
                return got;
            });
            yieldUntil(() -> rx.size() == 0 && b.waiterCount() == 1);
            assertThat(ends).as("one sender still open").hasValue(0);
            tx2.close();
            assertThat(waiter.await()).containsExactly(1, 2, 3);
            assertThat(ends).hasValue(1);
            assertThatThrownBy(rx::tryRecv).isInstanceOf(ChannelClosedException.class)
                    .extracting(x -> ((ChannelClosedException) x).value()).isNull();
            assertThatThrownBy(() -> tx2.send(4)).isInstanceOf(ChannelClosedException.class)
                    .extracting(x -> ((ChannelClosedException) x).value()).isEqualTo(4);
            var afterClose = b.subscribe();
            assertThatThrownBy(() -> afterClose.recv().await()).as("subscribed after the close: the end at once")
                    .isInstanceOf(ChannelClosedException.class);
            return null;
        });
    }

    @Kinds.Every
    void sendWithNoReceiverStoresNothingAndGivesTheValueBack(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            var b = broadcast(local, 2);
            assertThatThrownBy(() -> b.sender().send(1)).isInstanceOf(ChannelClosedException.class)
                    .hasMessageContaining("no receiver")
                    .extracting(x -> ((ChannelClosedException) x).value()).isEqualTo(1);
            assertThat(b.heldValues()).isZero();
            var rx = b.subscribe();
            assertThat(b.receiverCount()).isEqualTo(1);
            assertThat(b.sender().send(2)).isEqualTo(1);
            assertThat(rx.tryRecv()).as("the refused value was never stored").isEqualTo(2);
            rx.close();
            rx.close(); // idempotent: counts once
            assertThat(b.receiverCount()).isZero();
            assertThatThrownBy(() -> b.sender().send(3)).isInstanceOf(ChannelClosedException.class);
            var again = b.subscribe();
            assertThat(b.sender().send(4)).as("a new subscription makes sends succeed again").isEqualTo(1);
            assertThat(again.tryRecv()).isEqualTo(4);
            return null;
        });
    }

    @Kinds.Every
    void aValueIsReleasedOnceEveryReceiverSubscribedWhenItWasSentReadItOrLeft(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            var b = broadcast(local, 8);
            var a = b.subscribe();
            var c = b.subscribe();
            b.sender().send(0);
            var d = b.subscribe(); // does not count for 0
            b.sender().send(1);
            b.sender().send(2);
            assertThat(a.tryRecv()).isEqualTo(0);
            assertThat(a.tryRecv()).isEqualTo(1);
            assertThat(a.tryRecv()).isEqualTo(2);
            assertThat(b.heldValues()).as("c and d have read nothing").isEqualTo(3);
            assertThat(d.tryRecv()).isEqualTo(1);
            assertThat(d.tryRecv()).isEqualTo(2);
            assertThat(b.heldValues()).as("c still has to read all three").isEqualTo(3);
            assertThat(c.tryRecv()).isEqualTo(0);
            assertThat(b.heldValues()).as("0 is released: a and c read it, d never counted").isEqualTo(2);
            c.close();
            assertThat(b.heldValues()).as("c left: nobody else has to read 1 and 2").isZero();
            assertThatThrownBy(c::tryRecv).isInstanceOf(ChannelClosedException.class)
                    .hasMessageContaining("closed broadcast receiver");

            // overwriting a held value releases it too, and the count of its successor starts fresh
            var e = b.subscribe();
            for (int i = 10; i < 30; i++) {
                b.sender().send(i);
            }
            assertThat(b.heldValues()).isEqualTo(8);
            e.close();
            assertThat(b.heldValues()).as("a and d still have to read the last eight").isEqualTo(8);
            assertThatThrownBy(a::tryRecv).isInstanceOf(Broadcast.LaggedException.class);
            assertThatThrownBy(d::tryRecv).isInstanceOf(Broadcast.LaggedException.class);
            for (int i = 22; i < 30; i++) {
                assertThat(a.tryRecv()).isEqualTo(i);
                assertThat(d.tryRecv()).isEqualTo(i);
            }
            assertThat(b.heldValues()).isZero();
            return null;
        });
    }

    @Kinds.Every
    void closingAReceiverFailsItsOwnWaitersOnly(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            var b = broadcast(local, 2);
            var mine = b.subscribe();
            var other = b.subscribe();
            var m = new Counting();
            var o = new Counting();
            var fm = mine.recv();
            var fo = other.recv();
            assertThat(fm.poll(m.cx).isReady()).isFalse();
            assertThat(fo.poll(o.cx).isReady()).isFalse();
            mine.close();
            assertThat(m.wakes).as("its waiter is woken once").hasValue(1);
            assertThat(o.wakes).hasValue(0);
            assertThat(b.waiterCount()).isEqualTo(1);
            assertThatThrownBy(() -> fm.poll(m.cx)).isInstanceOf(ChannelClosedException.class);
            assertThat(b.sender().send(5)).as("only the other receiver counts").isEqualTo(1);
            assertThat(o.wakes).hasValue(1);
            assertThat(fo.poll(o.cx).get()).isEqualTo(5);
            assertThat(b.waiterCount()).isZero();
            return null;
        });
    }

    /** SameThread: a is aborted after its wake and before it runs again (elsewhere it may take the value first). */
    @Kinds.SameThread
    void aRecvWokenThenAbortedLosesNothing(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            var b = broadcast(local, 4);
            var rx = b.subscribe();
            var other = b.subscribe();
            AtomicInteger aGot = new AtomicInteger(-1);
            JoinHandle<Void> a = Weft.spawn(() -> aGot.set(rx.recv().await()));
            JoinHandle<Integer> o = Weft.spawn(() -> other.recv().await());
            yieldUntil(() -> b.waiterCount() == 2);
            assertThat(b.sender().send(7)).isEqualTo(2); // wakes both; the value stays in its slot
            a.abort(); // before a runs again
            assertThatThrownBy(a::await).isInstanceOf(TaskCancelledException.class);
            assertThat(aGot).hasValue(-1);
            assertThat(o.await()).as("the other receiver is not affected").isEqualTo(7);
            assertThat(rx.tryRecv()).as("the value stays for rx's next recv").isEqualTo(7);
            assertThat(rx.tryRecv()).isNull();
            assertThat(b.heldValues()).isZero();

            // two tasks on one receiver: both are woken, the one aborted takes nothing, the other takes it
            AtomicInteger taken = new AtomicInteger();
            JoinHandle<Void> x = Weft.spawn(() -> {
                rx.recv().await();
                taken.incrementAndGet();
            });
            JoinHandle<Integer> y = Weft.spawn(() -> {
                int v = rx.recv().await();
                taken.incrementAndGet();
                return v;
            });
            yieldUntil(() -> b.waiterCount() == 2);
            b.sender().send(8);
            x.abort();
            assertThatThrownBy(x::await).isInstanceOf(TaskCancelledException.class);
            assertThat(y.await()).isEqualTo(8);
            assertThat(taken).as("received exactly once").hasValue(1);
            assertThat(other.tryRecv()).isEqualTo(8);
            return null;
        });
    }

    @Kinds.Every
    void aHandPolledRecvCancelledAfterItsWakeLeavesTheValueAndRefusesAnotherPoll(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            var b = broadcast(local, 4);
            var rx = b.subscribe();
            var c = new Counting();
            var f = rx.recv();
            assertThat(f.poll(c.cx).isReady()).isFalse();
            assertThat(f.poll(c.cx).isReady()).as("a second poll only refreshes the waker").isFalse();
            assertThat(b.waiterCount()).isEqualTo(1);
            b.sender().send(1);
            b.sender().send(2);
            assertThat(c.wakes).as("off the queue after the first wake").hasValue(1);
            f.cancel();
            f.cancel(); // idempotent
            assertThatThrownBy(() -> f.poll(c.cx)).isInstanceOf(IllegalStateException.class);
            var g = rx.recv();
            Poll<Integer> p = g.poll(new Counting().cx);
            assertThat(p.isReady()).isTrue();
            assertThat(p.get()).isEqualTo(1);
            g.cancel(); // a no-op once ready
            assertThat(rx.recv().poll(new Counting().cx).get()).isEqualTo(2);
            assertThat(b.waiterCount()).isZero();
            return null;
        });
    }

    /** SameThread: only the budget's yield lets the other task run; a second worker could run it anyway, or late. */
    @Kinds.SameThread
    void recvOfHeldValuesSpendsTheBudgetAndLetsOthersRun(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            var b = broadcast(local, 1_000);
            var rx = b.subscribe();
            for (int i = 0; i < 1_000; i++) {
                b.sender().send(i);
            }
            AtomicInteger otherRuns = new AtomicInteger();
            var other = Weft.spawn(() -> {
                otherRuns.incrementAndGet();
            });
            long sum = 0;
            for (int i = 0; i < 1_000; i++) {
                sum += rx.recv().await();
            }
            int seen = otherRuns.get();
            other.await();
            assertThat(sum).isEqualTo(999L * 1_000 / 2);
            assertThat(seen).as("1,000 ready recvs yielded to the other task").isEqualTo(1);
            return null;
        });
    }

    @Kinds.Every
    void nullValuesAndEmptyRingsAreRefused(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            var b = broadcast(local, 1);
            b.subscribe();
            assertThatThrownBy(() -> b.sender().send(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> broadcast(local, 0)).isInstanceOf(IllegalArgumentException.class);
            assertThat(b.isLocal()).isEqualTo(local);
            assertThat(b.capacity()).isEqualTo(1);
            return null;
        });
    }

    @Kinds.Local
    void aLocalBroadcastRefusesOtherThreadsAndNamesTheProblem(ExecutorKind kind) {
        AtomicReference<Throwable> fromOther = new AtomicReference<>();
        run(kind, () -> {
            var b = Broadcast.<Integer>local(2);
            var rx = b.subscribe();
            Thread t = new Thread(() -> {
                try {
                    b.sender().send(1);
                } catch (Throwable e) {
                    fromOther.set(e);
                }
                assertThatThrownBy(b::subscribe).isInstanceOf(IllegalStateException.class);
                assertThatThrownBy(rx::tryRecv).isInstanceOf(IllegalStateException.class);
                assertThatThrownBy(() -> rx.recv().poll(new Counting().cx))
                        .isInstanceOf(IllegalStateException.class);
            });
            t.start();
            t.join();
            assertThat(b.isLocal()).isTrue();
            assertThat(b.receiverCount()).as("the foreign subscribe did not count").isEqualTo(1);
            assertThat(rx.tryRecv()).as("nothing got in").isNull();
            return null;
        });
        assertThat(fromOther.get()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Broadcast.local").hasMessageContaining("used from thread");
        assertThatThrownBy(() -> Broadcast.local(1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("outside a weft executor");
    }
}
