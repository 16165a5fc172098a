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
 */
public final class Select<T> implements CancellableFuture<Selected<T>>, TaskOutputs.Carrier {
    private final Future<? extends T>[] children; // nulled when it is decided
    private final boolean carries;
    private Selected<T> winner;
    private Throwable failure;

    public Select(List<? extends Future<? extends T>> futures) {
        @SuppressWarnings("unchecked")
        Future<? extends T>[] cs = futures.toArray(new Future[0]);
        if (cs.length == 0) {
            throw new IllegalArgumentException("select of no futures would never finish");
        }
        for (int i = 0; i < cs.length; i++) {
            if (cs[i] == null) {
                throw new NullPointerException("future " + i);
            }
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
                cancelAllBut(i);
                throw t;
            }
            if (p.isReady()) {
                winner = new Selected<>(i, p.get());
                cancelAllBut(i);
                return Poll.ready(winner);
            }
        }
        return Poll.pending();
    }

    private void cancelAllBut(int keep) {
        for (int j = 0; j < children.length; j++) {
            Future<? extends T> c = children[j];
            children[j] = null;
            if (j != keep && c != null) {
                Futures.cancel(c);
            }
        }
    }

    @Override
    public void cancel() {
        if (winner == null && failure == null && !cancelled) {
            cancelled = true;
            cancelAllBut(-1);
        }
    }
}
