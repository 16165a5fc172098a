package io.weft.compose;

import io.weft.CancellableFuture;
import io.weft.Context;
import io.weft.Future;
import io.weft.Futures;
import io.weft.JoinHandle;
import io.weft.Poll;
import java.util.List;

/**
 * All of n futures, values in argument order. Each poll polls every unfinished
 * child with the caller's context (so a JoinHandle child registers the
 * caller's waker); the first child whose poll throws ends it: the others are
 * cancelled ({@link Futures#cancel(Future)}) and the exception is rethrown
 * as it is, on this poll and on every later one.
 *
 * <p><b>Cancel safety:</b> values already taken from children when the
 * join fails or is cancelled (a Timeout around it passed its deadline) do
 * not reach the caller, and are not lost either: a child that can take its
 * value back ({@link GivesBack}: the receive of a Channel, an SpscChannel
 * or a Oneshot puts it back before the values not yet received, last
 * taken first, so the order holds; a Broadcast receiver's cursor moves
 * back onto it; a stream read puts its bytes back before the next read
 * and moves the buffer's position back; an accept hands its connection
 * back to the listener, a receive its datagram to the socket; a read of a
 * stream that lives on another worker too) gets it
 * back, and so do those inside the result of a combinator child (a join, a
 * select, a race, a Timeout); other values that are {@link AutoCloseable}
 * (a lock guard, a permit, a stream) are closed, so a lock taken by one
 * child of a failed join is not held for ever. What a give-back or a close
 * throws is added to the failure as suppressed. A {@link JoinHandle} child's value is
 * not the join's to close: it stays with its task, and the handle gives it
 * to any other waiter; nor is the value of a combinator child that may
 * carry one (a race, select, map or join with a handle among its children:
 * {@link TaskOutputs}), whichever of its children gave it.
 *
 * <p>A child whose cancel throws stops neither the other cancels nor the
 * closes: what it threw is added to the join's failure as suppressed, or,
 * for a {@link #cancel()}, thrown once everything was given up (with what a
 * close threw). The same operation (a cancellable future other than a
 * JoinHandle) given twice is refused when the join is made
 * (IllegalArgumentException).
 */
public final class JoinAll<T> implements CancellableFuture<List<T>>, TaskOutputs.Carrier, GivesBack<List<T>> {
    private final Future<? extends T>[] children; // a slot is nulled once that child is done
    private final Object[] values;
    /** Whether the join owns child i's value once taken (it is no JoinHandle's shared output). */
    private final boolean[] owned;
    /** The children that can take their values back ({@link GivesBack}), once done; null until one is. */
    private Future<?>[] takenFrom;
    private int remaining;
    /** Some child's value may be a task's output. */
    private boolean carries;
    private List<T> result;
    private Throwable failure;

    public JoinAll(List<? extends Future<? extends T>> futures) {
        Future<? extends T>[] cs = Children.checked(futures);
        this.children = cs;
        this.values = new Object[cs.length];
        this.owned = new boolean[cs.length];
        for (int i = 0; i < cs.length; i++) {
            owned[i] = !TaskOutputs.mayCarry(cs[i]);
            carries |= !owned[i];
        }
        this.remaining = cs.length;
    }

    private boolean cancelled;

    @Override
    public boolean mayCarryTaskOutput() {
        return carries;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Poll<List<T>> poll(Context cx) {
        if (cancelled) {
            throw new IllegalStateException("join polled after it was cancelled");
        }
        if (failure != null) {
            throw Sneaky.rethrow(failure);
        }
        if (result != null) {
            return Poll.ready(result);
        }
        for (int i = 0; i < children.length; i++) {
            Future<? extends T> c = children[i];
            if (c == null) {
                continue;
            }
            Poll<? extends T> p;
            try {
                p = c.poll(cx);
            } catch (Throwable t) {
                failure = t;
                children[i] = null;
                giveUp(t);
                throw t;
            }
            if (p.isReady()) {
                values[i] = p.get();
                children[i] = null;
                remaining--;
                if (c instanceof GivesBack<?>) {
                    (takenFrom == null ? takenFrom = new Future<?>[children.length] : takenFrom)[i] = c;
                }
            }
        }
        if (remaining > 0) {
            return Poll.pending();
        }
        result = new Joined<>(values);
        return Poll.ready(result);
    }

    @Override
    public void cancel() {
        if (result == null && failure == null && !cancelled) {
            cancelled = true;
            Children.rethrow(giveUp(null));
        }
    }

    /**
     * Cancels the unfinished children, then gives back (or closes) the
     * values taken so far, the last child's first; what a cancel, a give-back
     * or a close threw goes on {@code thrown} (the join's failure, or null),
     * which is returned (see {@link Children#cancel}).
     */
    private Throwable giveUp(Throwable thrown) {
        for (int i = 0; i < children.length; i++) {
            Future<? extends T> c = children[i];
            if (c != null) {
                children[i] = null;
                thrown = Children.cancel(c, thrown);
            }
        }
        return undoTaken(thrown);
    }

    /** Gives back (or closes) every owned value taken, the last child's first, so that a channel's order holds. */
    private Throwable undoTaken(Throwable thrown) {
        for (int i = values.length - 1; i >= 0; i--) {
            Object taken = values[i];
            values[i] = null;
            Future<?> from = takenFrom == null ? null : takenFrom[i];
            if (owned[i] && (taken != null || from != null)) { // a give-back of a null value too (a notification)
                thrown = GivesBack.undo(from, taken, thrown);
            }
        }
        return thrown;
    }

    /**
     * The join's own result, which an outer combinator took and gives up:
     * each value goes back to its child (or is closed), as when the join
     * fails. The join may not be polled again.
     */
    @Override
    public void giveBack(List<T> list) {
        if (list != result) {
            throw new IllegalStateException("a join gives back only the list it returned");
        }
        result = null;
        cancelled = true;
        Children.rethrow(undoTaken(null));
    }

    /** A join's result: unmodifiable, nulls allowed, over the join's own array. */
    private static final class Joined<T> extends java.util.AbstractList<T> implements java.util.RandomAccess {
        private final Object[] values;

        Joined(Object[] values) {
            this.values = values;
        }

        @Override
        @SuppressWarnings("unchecked")
        public T get(int i) {
            return (T) values[i];
        }

        @Override
        public int size() {
            return values.length;
        }
    }
}
