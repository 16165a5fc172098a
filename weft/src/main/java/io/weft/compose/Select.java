package io.weft.compose;

import io.weft.CancellableFuture;
import io.weft.Context;
import io.weft.Future;
import io.weft.Futures;
import io.weft.Poll;
import io.weft.Selected;
import java.util.List;

/**
 * The first of n futures to finish. Each poll polls every child in argument
 * order with the caller's context and stops at the first that is ready or
 * throws (so when several are ready in one poll, the lowest index wins); all
 * the others are then cancelled ({@link Futures#cancel(Future)}). A child
 * that throws wins too: its exception is rethrown, now and on later polls.
 * A loser whose cancel throws stops neither the other cancels nor the
 * outcome: with a winner it is reported as a WARNING, with a failure it is
 * added to it as suppressed, and a {@link #cancel()} throws it once every
 * child was cancelled. The same operation (a cancellable future other than
 * a JoinHandle) given twice is refused when the select is made
 * (IllegalArgumentException).
 */
public final class Select<T> implements CancellableFuture<Selected<T>>, TaskOutputs.Carrier, GivesBack<Selected<T>> {
    private final Future<? extends T>[] children; // nulled when it is decided
    private final boolean carries;
    private Selected<T> winner;
    /** The child that gave the winner's value. */
    private Future<? extends T> winnerFrom;
    private Throwable failure;

    public Select(List<? extends Future<? extends T>> futures) {
        Future<? extends T>[] cs = Children.checked(futures);
        if (cs.length == 0) {
            throw new IllegalArgumentException("select of no futures would never finish");
        }
        this.children = cs;
        this.carries = TaskOutputs.anyMayCarry(cs);
    }

    @Override
    public boolean mayCarryTaskOutput() {
        return carries;
    }

    private boolean cancelled;

    @Override
    public Poll<Selected<T>> poll(Context cx) {
        if (cancelled) {
            throw new IllegalStateException("select polled after it was cancelled");
        }
        if (failure != null) {
            throw Sneaky.rethrow(failure);
        }
        if (winner != null) {
            return Poll.ready(winner);
        }
        Future<? extends T>[] cs = children;
        for (int i = 0; i < cs.length; i++) {
            Future<? extends T> c = cs[i];
            if (c == null) {
                break; // cancelled as a loser of an outer select
            }
            Poll<? extends T> p;
            try {
                p = c.poll(cx);
            } catch (Throwable t) {
                failure = t;
                cancelAllBut(i, t);
                throw t;
            }
            if (p.isReady()) {
                winner = new Selected<>(i, p.get());
                winnerFrom = c;
                Children.reportLosers(cancelAllBut(i, null), "select");
                return Poll.ready(winner);
            }
        }
        return Poll.pending();
    }

    /** Cancels every child but {@code keep}; what their cancels threw, on {@code thrown} (see {@link Children#cancel}). */
    private Throwable cancelAllBut(int keep, Throwable thrown) {
        for (int j = 0; j < children.length; j++) {
            Future<? extends T> c = children[j];
            children[j] = null;
            if (j != keep && c != null) {
                thrown = Children.cancel(c, thrown);
            }
        }
        return thrown;
    }

    /**
     * The select's own result, which an outer combinator took and gives up:
     * the winner's value goes back to the child that gave it (or is closed:
     * {@link GivesBack#undo}). The select may not be polled again.
     */
    @Override
    public void giveBack(Selected<T> s) {
        if (s != winner) {
            throw new IllegalStateException("a select gives back only the Selected it returned");
        }
        winner = null;
        cancelled = true;
        GivesBack.giveBackTo(winnerFrom, s.value());
    }

    @Override
    public void cancel() {
        if (winner == null && failure == null && !cancelled) {
            cancelled = true;
            Children.rethrow(cancelAllBut(-1, null));
        }
    }

    /**
     * This select as {@code Futures.race}: the winner's value alone. Given
     * back, the value goes to the child that gave it, as the select's would.
     */
    public CancellableFuture<T> race() {
        return new Race();
    }

    private final class Race implements CancellableFuture<T>, TaskOutputs.Carrier, GivesBack<T> {
        @Override
        public Poll<T> poll(Context cx) {
            Poll<Selected<T>> p = Select.this.poll(cx);
            return p.isReady() ? Poll.ready(p.get().value()) : Poll.pending();
        }

        @Override
        public void cancel() {
            Select.this.cancel();
        }

        @Override
        public boolean mayCarryTaskOutput() {
            return carries;
        }

        @Override
        public void giveBack(T value) {
            Selected<T> w = winner;
            if (w == null || w.value() != value) {
                throw new IllegalStateException("a race gives back only the value it returned");
            }
            Select.this.giveBack(w);
        }
    }
}
