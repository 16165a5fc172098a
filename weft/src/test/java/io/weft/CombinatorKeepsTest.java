package io.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;

/**
 * What the combinators keep when something goes wrong around them, on every
 * executor kind: a loser whose cancel throws costs neither the winner's
 * value nor the other losers' cancels; a future given twice is refused
 * before anything is polled; a map function runs once.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard, not a speed limit
class CombinatorKeepsTest {

    /** Pending for ever; its cancel throws (a local primitive cancelled from the wrong thread does). */
    static final class CancelThrows<T> implements CancellableFuture<T> {
        final AtomicInteger cancels = new AtomicInteger();

        @Override
        public Poll<T> poll(Context cx) {
            return Poll.pending();
        }

        @Override
        public void cancel() {
            cancels.incrementAndGet();
            throw new IllegalStateException("this cancel throws");
        }
    }

    /** Pending for ever; counts its cancels. */
    static final class Counted<T> implements CancellableFuture<T> {
        final AtomicInteger cancels = new AtomicInteger();

        @Override
        public Poll<T> poll(Context cx) {
            return Poll.pending();
        }

        @Override
        public void cancel() {
            cancels.incrementAndGet();
        }
    }

    @EveryKind
    void aSelectWhoseLoserCancelThrowsStillReturnsTheWinnerAndCancelsTheOtherLosers(ExecutorKind kind) {
        try (var ex = kind.open()) {
            ex.run(() -> {
                CancelThrows<String> throwing = new CancelThrows<>();
                Counted<String> other = new Counted<>();
                Selected<String> s = Futures.select(throwing, Futures.ready("w"), other).await();
                assertThat(s.index()).isEqualTo(1);
                assertThat(s.value()).isEqualTo("w");
                assertThat(throwing.cancels).hasValue(1);
                assertThat(other.cancels).as("the loser after the throwing one").hasValue(1);
                return null;
            });
        }
    }

    @EveryKind
    void aFirstSuccessWhoseLoserCancelThrowsStillReturnsTheWinnerAndCancelsTheOtherLosers(ExecutorKind kind) {
        try (var ex = kind.open()) {
            ex.run(() -> {
                CancelThrows<String> throwing = new CancelThrows<>();
                Counted<String> other = new Counted<>();
                String v = Futures.firstSuccessful(throwing, Futures.ready("w"), other).await();
                assertThat(v).isEqualTo("w");
                assertThat(throwing.cancels).hasValue(1);
                assertThat(other.cancels).hasValue(1);
                return null;
            });
        }
    }

    @EveryKind
    void aFailedJoinWhoseChildCancelThrowsThrowsItsOwnFailureAndCancelsTheOthers(ExecutorKind kind) {
        try (var ex = kind.open()) {
            ex.run(() -> {
                CancelThrows<Object> throwing = new CancelThrows<>();
                Counted<Object> other = new Counted<>();
                IllegalArgumentException boom = new IllegalArgumentException("boom");
                Throwable t = FuturesTest.thrown(() -> Futures.join(throwing, other, Futures.failed(boom)).await());
                assertThat(t).isSameAs(boom);
                assertThat(t.getSuppressed()).singleElement().satisfies(
                        s -> assertThat(s).hasMessage("this cancel throws"));
                assertThat(throwing.cancels).hasValue(1);
                assertThat(other.cancels).hasValue(1);
                return null;
            });
        }
    }

    @EveryKind
    void cancellingACombinatorCancelsEveryChildThenThrowsWhatACancelThrew(ExecutorKind kind) {
        try (var ex = kind.open()) {
            ex.run(() -> {
                List<CancellableFuture<?>> made = new ArrayList<>();
                List<Counted<Object>> counted = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    CancelThrows<Object> throwing = new CancelThrows<>();
                    Counted<Object> other = new Counted<>();
                    counted.add(other);
                    CancellableFuture<?> c = switch (i) {
                        case 0 -> Futures.join(throwing, other);
                        case 1 -> Futures.select(throwing, other);
                        default -> Futures.firstSuccessful(throwing, other);
                    };
                    c.poll(new Context(() -> { })); // both children polled, both pending
                    made.add(c);
                }
                for (CancellableFuture<?> c : made) {
                    assertThatThrownBy(c::cancel).hasMessage("this cancel throws");
                }
                assertThat(counted).allSatisfy(c -> assertThat(c.cancels).hasValue(1));
                return null;
            });
        }
    }

    @EveryKind
    void theSameFutureTwiceInOneCombinatorIsRefusedBeforeAnythingIsPolled(ExecutorKind kind) {
        try (var ex = kind.open()) {
            ex.run(() -> {
                Probes.Gate<String> g = new Probes.Gate<>();
                Future<String> other = Futures.ready("x");
                assertThatThrownBy(() -> Futures.join(g, other, g)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("future 0 and future 2 are the same");
                assertThatThrownBy(() -> Futures.select(other, g, g)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("future 1 and future 2 are the same");
                assertThatThrownBy(() -> Futures.firstSuccessful(g, g)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("future 0 and future 1 are the same");
                assertThatThrownBy(() -> Futures.zip(g, g, (a, b) -> a)).isInstanceOf(IllegalArgumentException.class);
                List<Future<String>> many = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    many.add(new Probes.Gate<>());
                }
                many.add(many.get(40));
                assertThatThrownBy(() -> Futures.joinAll(many)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("future 40 and future 100 are the same");
                assertThat(g.polls).as("nothing was polled").hasValue(0);
                JoinHandle<String> h = Weft.spawn(() -> "shared");
                assertThat(Futures.join(h, h).await()).as("a handle has room for every waiter")
                        .containsExactly("shared", "shared");
                return null;
            });
        }
    }

    @EveryKind
    void aMapFunctionRunsOnceWhateverPollsTheMappedFutureAfter(ExecutorKind kind) {
        try (var ex = kind.open()) {
            ex.run(() -> {
                AtomicInteger runs = new AtomicInteger();
                CancellableFuture<Integer> m = Futures.ready(20).map(v -> v + runs.incrementAndGet());
                Context cx = new Context(() -> { });
                assertThat(m.poll(cx).get()).isEqualTo(21);
                assertThat(m.poll(cx).get()).isEqualTo(21);
                CancellableFuture<Integer> f = Futures.ready(1).map(v -> {
                    runs.incrementAndGet();
                    throw new IllegalStateException("map failed");
                });
                assertThatThrownBy(() -> f.poll(cx)).hasMessage("map failed");
                assertThatThrownBy(() -> f.poll(cx)).hasMessage("map failed");
                assertThat(runs).hasValue(2);
                return null;
            });
        }
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
                io.weft.sync.Channel<String> a = io.weft.sync.Channel.bounded(2);
                io.weft.sync.Channel<String> never = io.weft.sync.Channel.bounded(1);
                a.sender().trySend("x");
                a.sender().trySend("y");
                assertThatThrownBy(() -> io.weft.time.Timeout.of(java.time.Duration.ofMillis(5),
                        Futures.join(a.receiver().recv(), never.receiver().recv())).await())
                        .isInstanceOf(io.weft.time.TimedOutException.class);
                assertThat(a.receiver().tryRecv()).as("given back before y").isEqualTo("x");
                a.sender().trySend("x");
                IllegalStateException boom = new IllegalStateException("boom");
                Throwable t = FuturesTest.thrown(() -> Futures.join(
                        Futures.select(a.receiver().recv(), new Probes.Gate<String>()),
                        Futures.join(io.weft.time.Timeout.of(java.time.Duration.ofHours(1), a.receiver().recv())),
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
                List<io.weft.sync.Oneshot<String>> shots = new ArrayList<>(List.of(io.weft.sync.Oneshot.create()));
                if (kind != ExecutorKind.STEALING_1 && kind != ExecutorKind.STEALING_2) {
                    shots.add(io.weft.sync.Oneshot.local());
                }
                for (var shot : shots) {
                    shot.send("reply");
                    assertThatThrownBy(() -> io.weft.time.Timeout.of(java.time.Duration.ofMillis(5),
                            Futures.join(shot.recv(), new Probes.Gate<String>())).await())
                            .isInstanceOf(io.weft.time.TimedOutException.class);
                    assertThat(shot.recv().await()).isEqualTo("reply");
                    assertThatThrownBy(shot::tryRecv).as("received once")
                            .isInstanceOf(io.weft.sync.ChannelClosedException.class);
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
                io.weft.sync.Broadcast<String> b = io.weft.sync.Broadcast.create(2);
                var rx = b.subscribe();
                var other = b.subscribe();
                b.sender().send("a");
                b.sender().send("b");
                assertThatThrownBy(() -> io.weft.time.Timeout.of(java.time.Duration.ofMillis(5),
                        Futures.join(rx.recv(), new Probes.Gate<String>())).await())
                        .isInstanceOf(io.weft.time.TimedOutException.class);
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
                        .isInstanceOf(io.weft.sync.Broadcast.LaggedException.class);
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
                io.weft.sync.SpscChannel<String> ch = io.weft.sync.SpscChannel.create(4);
                ch.sender().trySend("a");
                ch.sender().trySend("b");
                ch.sender().trySend("c");
                var rx = ch.receiver();
                assertThatThrownBy(() -> io.weft.time.Timeout.of(java.time.Duration.ofMillis(5),
                        Futures.join(rx.recv(), rx.recv(), new Probes.Gate<String>())).await())
                        .isInstanceOf(io.weft.time.TimedOutException.class);
                assertThat(rx.tryRecv()).isEqualTo("a");
                assertThat(rx.recv().await()).isEqualTo("b");
                assertThat(rx.recv().await()).isEqualTo("c");
                IllegalStateException boom = new IllegalStateException("boom");
                ch.sender().trySend("d");
                Throwable t = FuturesTest.thrown(() -> Futures.join(rx.recv(), Futures.failed(boom)).await());
                assertThat(t).isSameAs(boom);
                rx.close();
                assertThat(rx.recv().await()).as("drained after the close").isEqualTo("d");
                assertThatThrownBy(rx::tryRecv).isInstanceOf(io.weft.sync.ChannelClosedException.class);
                return null;
            });
        }
    }

    /** A give-back wakes a recv that went to sleep on the emptied side (a task of the same thread). */
    @SameThreadKinds
    void aSpscGiveBackWakesARecvWaitingOnThatSide(ExecutorKind kind) {
        try (var ex = kind.open()) {
            ex.run(() -> {
                io.weft.sync.SpscChannel<String> ch = io.weft.sync.SpscChannel.create(2);
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
                assertThat(io.weft.time.Timeout.of(java.time.Duration.ofSeconds(5), waiting).await()).isEqualTo("a");
                return null;
            });
        }
    }
}
