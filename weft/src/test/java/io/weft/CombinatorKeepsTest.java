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

    /** Pending for ever; counts its cancels, and throws from each if {@code throwing}. */
    static class Pending<T> implements CancellableFuture<T> {
        final AtomicInteger cancels = new AtomicInteger();
        final AtomicInteger polls = new AtomicInteger();
        private final boolean throwing;

        Pending(boolean throwing) {
            this.throwing = throwing;
        }

        @Override
        public Poll<T> poll(Context cx) {
            polls.incrementAndGet();
            return Poll.pending();
        }

        @Override
        public void cancel() {
            cancels.incrementAndGet();
            if (throwing) {
                throw new IllegalStateException("this cancel throws");
            }
        }
    }

    /** Its cancel throws (a local primitive's, cancelled from the wrong thread, does). */
    static final class CancelThrows<T> extends Pending<T> {
        CancelThrows() {
            super(true);
        }
    }

    static final class Counted<T> extends Pending<T> {
        Counted() {
            super(false);
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
    void theSameOperationTwiceInOneCombinatorIsRefusedBeforeAnythingIsPolled(ExecutorKind kind) {
        try (var ex = kind.open()) {
            ex.run(() -> {
                Counted<String> g = new Counted<>(); // an operation: one waiter
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
                    many.add(new Counted<>());
                }
                many.add(many.get(40));
                assertThatThrownBy(() -> Futures.joinAll(many)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("future 40 and future 100 are the same");
                assertThat(g.polls).as("nothing was polled").hasValue(0);
                JoinHandle<String> h = Weft.spawn(() -> "shared");
                assertThat(Futures.join(h, h).await()).as("a handle has room for every waiter")
                        .containsExactly("shared", "shared");
                Future<Void> done = cx -> Poll.ready(null); // holds nothing: a shared constant, polled again and again
                assertThat(Futures.joinAll(List.of(done, done)).await()).as("a future that holds nothing, twice")
                        .containsExactly(null, null);
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
}
