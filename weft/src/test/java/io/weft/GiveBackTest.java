package io.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.sync.Broadcast;
import io.weft.sync.Channel;
import io.weft.sync.ChannelClosedException;
import io.weft.sync.Oneshot;
import io.weft.sync.SpscChannel;
import io.weft.time.TimedOutException;
import io.weft.time.Timeout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A join given up after it took values (its deadline passed, another child
 * failed) gives them back where they came from, on every executor kind:
 * the receives of a Channel, an SpscChannel, a Oneshot and a Broadcast,
 * also through a nested select, join or Timeout. They used to be dropped.
 */
@org.junit.jupiter.api.Timeout(value = 60, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
class GiveBackTest {

    private static final Duration WAIT = Duration.ofSeconds(5); // a hang guard

    /** A join of {@code f} and a gate never opened, under a Timeout of 5 ms: it times out, having polled {@code f}. */
    private static void timesOutHolding(Future<?> f) {
        assertThatThrownBy(() -> Timeout.of(Duration.ofMillis(5), Futures.join(f, new Probes.Gate<String>())).await())
                .isInstanceOf(TimedOutException.class);
    }

    /**
     * A join given up after it took a value from a channel (its deadline
     * passed, another child failed) gives the value back to the front of
     * that channel, also through a nested select, join or Timeout. It used
     * to drop it: nobody received "x".
     */
    @EveryKind
    void aJoinGivenUpAfterItTookAValueGivesItBackToTheFrontOfItsChannel(ExecutorKind kind) {
        try (var ex = kind.open()) {
            ex.run(() -> {
                Channel<String> a = Channel.bounded(2);
                a.sender().trySend("x");
                a.sender().trySend("y");
                timesOutHolding(a.receiver().recv());
                assertThat(a.receiver().tryRecv()).as("given back before y").isEqualTo("x");
                a.sender().trySend("x");
                IllegalStateException boom = new IllegalStateException("boom");
                Throwable t = FuturesTest.thrown(() -> Futures.join(
                        Futures.select(a.receiver().recv(), new Probes.Gate<String>()),
                        Futures.join(Timeout.of(Duration.ofHours(1), a.receiver().recv())),
                        Futures.failed(boom)).await());
                assertThat(t).isSameAs(boom);
                assertThat(a.receiver().tryRecv()).isEqualTo("y");
                assertThat(a.receiver().tryRecv()).isEqualTo("x");
                assertThat(a.receiver().tryRecv()).as("nothing twice").isNull();
                return null;
            });
        }
    }

    /** The same for a oneshot, shared and (where tasks stay on their thread) local: its value is held again. */
    @EveryKind
    void aJoinGivenUpAfterItTookAOneshotsValueGivesItBack(ExecutorKind kind) {
        try (var ex = kind.open()) {
            ex.run(() -> {
                List<Oneshot<String>> shots = new ArrayList<>(List.of(Oneshot.create()));
                if (kind != ExecutorKind.STEALING_1 && kind != ExecutorKind.STEALING_2) {
                    shots.add(Oneshot.local());
                }
                for (var shot : shots) {
                    shot.send("reply");
                    timesOutHolding(shot.recv());
                    assertThat(shot.recv().await()).isEqualTo("reply");
                    assertThatThrownBy(shot::tryRecv).as("received once")
                            .isInstanceOf(ChannelClosedException.class);
                }
                return null;
            });
        }
    }

    /**
     * The same for a broadcast receiver: its cursor moves back onto the
     * value, so it receives it next, in order; if a later lap overwrote it
     * meanwhile, the next recv reports the lag instead of skipping silently.
     */
    @EveryKind
    void aJoinGivenUpAfterItTookABroadcastValueMovesTheReceiverBackOntoIt(ExecutorKind kind) {
        try (var ex = kind.open()) {
            ex.run(() -> {
                Broadcast<String> b = Broadcast.create(2);
                var rx = b.subscribe();
                var other = b.subscribe();
                b.sender().send("a");
                b.sender().send("b");
                timesOutHolding(rx.recv());
                assertThat(other.recv().await()).isEqualTo("a");
                assertThat(rx.recv().await()).as("given back, received next").isEqualTo("a");
                assertThat(rx.recv().await()).isEqualTo("b");
                b.sender().send("c");
                IllegalStateException boom = new IllegalStateException("boom");
                Throwable t = FuturesTest.thrown(() -> Futures.join(rx.recv(), Futures.failed(boom)).await());
                assertThat(t).isSameAs(boom);
                b.sender().send("d");
                b.sender().send("e"); // a lap later: "c" is overwritten
                assertThatThrownBy(() -> rx.recv().await())
                        .isInstanceOf(Broadcast.LaggedException.class);
                assertThat(rx.recv().await()).isEqualTo("d");
                return null;
            });
        }
    }

    /**
     * The same for the channel between two executors: the values a join
     * took go back to its receiving side, received next, in their order,
     * before what the ring holds; a recv waiting on that side is woken.
     */
    @EveryKind
    void aJoinGivenUpAfterItTookSpscValuesGivesThemBackInOrder(ExecutorKind kind) {
        try (var ex = kind.open()) {
            ex.run(() -> {
                SpscChannel<String> ch = SpscChannel.create(4);
                ch.sender().trySend("a");
                ch.sender().trySend("b");
                ch.sender().trySend("c");
                var rx = ch.receiver();
                timesOutHolding(Futures.join(rx.recv(), rx.recv()));
                assertThat(rx.tryRecv()).isEqualTo("a");
                assertThat(rx.recv().await()).isEqualTo("b");
                assertThat(rx.recv().await()).isEqualTo("c");
                IllegalStateException boom = new IllegalStateException("boom");
                ch.sender().trySend("d");
                Throwable t = FuturesTest.thrown(() -> Futures.join(rx.recv(), Futures.failed(boom)).await());
                assertThat(t).isSameAs(boom);
                rx.close();
                assertThat(rx.recv().await()).as("drained after the close").isEqualTo("d");
                assertThatThrownBy(rx::tryRecv).isInstanceOf(ChannelClosedException.class);
                return null;
            });
        }
    }

    /** A give-back wakes a recv that went to sleep on the emptied side (a task of the same thread). */
    @SameThreadKinds
    void aSpscGiveBackWakesARecvWaitingOnThatSide(ExecutorKind kind) {
        try (var ex = kind.open()) {
            ex.run(() -> {
                SpscChannel<String> ch = SpscChannel.create(2);
                ch.sender().trySend("a");
                var rx = ch.receiver();
                CancellableFuture<List<String>> join = Futures.join(rx.recv(), new Probes.Gate<String>());
                assertThat(join.poll(new Context(() -> { })).isReady()).as("took a, waits for the gate").isFalse();
                JoinHandle<String> waiting = Weft.spawn(() -> rx.recv().await());
                for (int i = 0; i < 3; i++) {
                    Weft.yieldNow().await(); // it runs, finds the ring empty and sleeps
                }
                assertThat(waiting.isFinished()).isFalse();
                join.cancel();
                assertThat(Timeout.of(Duration.ofSeconds(5), waiting).await()).isEqualTo("a");
                return null;
            });
        }
    }

    /**
     * A notifyOne that a join's notified() took, the join then given up: the
     * notification is passed on (stored as the permit here: nobody waits),
     * as a cancelled notified() passes it on. One from notifyWaiters is for
     * the waiters of its moment and is not.
     */
    @EveryKind
    void aJoinGivenUpAfterItTookANotifyOnePassesItOn(ExecutorKind kind) {
        try (var ex = kind.open()) {
            ex.run(() -> {
                io.weft.sync.Notify n = io.weft.sync.Notify.create();
                n.notifyOne(); // stored: the next notified() takes it at once
                timesOutHolding(n.notified());
                Timeout.of(WAIT, n.notified()).await(); // the permit again: ready at once
                var waiting = n.notified();
                CancellableFuture<List<Void>> join = Futures.join(waiting, new Probes.Gate<Void>());
                assertThat(join.poll(new Context(() -> { })).isReady()).isFalse(); // queued
                n.notifyWaiters();
                assertThat(join.poll(new Context(() -> { })).isReady()).isFalse(); // took it, waits for the gate
                join.cancel();
                assertThatThrownBy(() -> Timeout.of(Duration.ofMillis(20), n.notified()).await())
                        .as("notifyWaiters stores nothing").isInstanceOf(TimedOutException.class);
                return null;
            });
        }
    }

    /** A watch version that a join's changed() took, the join then given up: unseen again for that receiver. */
    @EveryKind
    void aJoinGivenUpAfterItTookAWatchChangeLeavesTheVersionUnseen(ExecutorKind kind) {
        try (var ex = kind.open()) {
            ex.run(() -> {
                io.weft.sync.Watch<String> w = io.weft.sync.Watch.create("v0");
                var rx = w.subscribe();
                w.sender().send("v1");
                timesOutHolding(rx.changed());
                assertThat(rx.hasChanged()).as("v1 unseen again").isTrue();
                Timeout.of(WAIT, rx.changed()).await();
                assertThat(rx.hasChanged()).isFalse();
                return null;
            });
        }
    }

    /** Through a race (a select's winner's value alone), a firstSuccessful and a then's second future. */
    @EveryKind
    void aJoinGivenUpAfterARaceOrAFirstSuccessTookAValueGivesItBackToItsChannel(ExecutorKind kind) {
        try (var ex = kind.open()) {
            ex.run(() -> {
                Channel<String> a = Channel.bounded(2);
                a.sender().trySend("x");
                timesOutHolding(Futures.race(new Probes.Gate<String>(), a.receiver().recv()));
                assertThat(a.receiver().tryRecv()).isEqualTo("x");
                a.sender().trySend("y");
                timesOutHolding(Futures.firstSuccessful(Futures.failed(new IllegalStateException("no")),
                        a.receiver().recv()));
                assertThat(a.receiver().tryRecv()).isEqualTo("y");
                a.sender().trySend("z");
                timesOutHolding(Futures.ready(1).then(v -> a.receiver().recv()));
                assertThat(a.receiver().tryRecv()).as("through a then's second future").isEqualTo("z");
                return null;
            });
        }
    }

    /**
     * A value given back after a receiver was told the stream ended (or, for
     * a oneshot, that it was received) does not come back after that end:
     * it goes as a failed join's value goes, closed if AutoCloseable (a
     * broadcast's is the other receivers' too: dropped, never closed).
     * Review of this change: it came back after the end.
     */
    @EveryKind
    void aValueGivenBackAfterTheEndWasReportedDoesNotComeBack(ExecutorKind kind) {
        try (var ex = kind.open()) {
            ex.run(() -> {
                java.util.concurrent.atomic.AtomicInteger closes = new java.util.concurrent.atomic.AtomicInteger();
                AutoCloseable v = closes::incrementAndGet;

                Channel<AutoCloseable> ch = Channel.bounded(2);
                ch.sender().trySend(v);
                ch.sender().close();
                takeSeeTheEndGiveBack(ch.receiver().recv(), ch.receiver()::tryRecv);
                assertThat(closes).as("the channel's value, closed").hasValue(1);

                SpscChannel<AutoCloseable> spsc = SpscChannel.create(2);
                spsc.sender().trySend(v);
                spsc.sender().close();
                takeSeeTheEndGiveBack(spsc.receiver().recv(), spsc.receiver()::tryRecv);
                assertThat(closes).as("the SPSC channel's value, closed").hasValue(2);

                Oneshot<AutoCloseable> shot = Oneshot.create();
                shot.send(v);
                takeSeeTheEndGiveBack(shot.recv(), shot::tryRecv);
                assertThat(closes).as("the oneshot's value, closed").hasValue(3);

                Broadcast<AutoCloseable> b = Broadcast.create(2);
                var rx = b.subscribe();
                b.sender().send(v);
                b.sender().close();
                takeSeeTheEndGiveBack(rx.recv(), rx::tryRecv);
                assertThat(closes).as("a broadcast value is shared: never closed").hasValue(3);
                return null;
            });
        }
    }

    /** A join takes {@code recv}'s value; {@code tryRecv} then reports the end; the join is given up; the end stays. */
    private static void takeSeeTheEndGiveBack(Future<AutoCloseable> recv, java.util.concurrent.Callable<?> tryRecv) {
        CancellableFuture<List<AutoCloseable>> join = Futures.join(recv, new Probes.Gate<AutoCloseable>());
        assertThat(join.poll(new Context(() -> { })).isReady()).as("took the value, waits for the gate").isFalse();
        assertThatThrownBy(tryRecv::call).isInstanceOf(ChannelClosedException.class);
        join.cancel();
        assertThatThrownBy(tryRecv::call).as("still the end").isInstanceOf(ChannelClosedException.class);
    }
}
