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
 * <p>Values already taken from children when the join fails or is
 * cancelled will never reach anyone: those that are {@link AutoCloseable}
 * (a lock guard, a permit, a stream) are closed, so a lock taken by one
 * child of a failed join is not held for ever, and so are those inside the
 * result of a combinator child (a join's list, a select's
 * {@link io.weft.Selected}); what their close throws is added to the failure
 * as suppressed. A {@link JoinHandle} child's value is
 * not the join's to close: it stays with its task, and the handle gives it
 * to any other waiter; nor is the value of a combinator child that may
 * carry one (a race, select, map or join with a handle among its children:
 * {@link TaskOutputs}), whichever of its children gave it.
 *
 * <p>A child whose cancel throws stops neither the other cancels nor the
 * closes: what it threw is added to the join's failure as suppressed, or,
 * for a {@link #cancel()}, thrown once everything was given up (with what a
 * close threw). The same future given twice is refused when the join is
 * made (IllegalArgumentException), except a JoinHandle.
 */
public final class JoinAll<T> implements CancellableFuture<List<T>>, TaskOutputs.Carrier {
    private final Future<? extends T>[] children; // a slot is nulled once that child is done
    private final Object[] values;
    /** Whether the join owns child i's value once taken (it is no JoinHandle's shared output). */
    private final boolean[] owned;
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
     * Cancels the unfinished children and closes the values taken so far;
     * what a cancel or a close threw goes on {@code thrown} (the join's
     * failure, or null), which is returned (see {@link Children#cancel}).
     */
    private Throwable giveUp(Throwable thrown) {
        for (int i = 0; i < children.length; i++) {
            Future<? extends T> c = children[i];
            if (c != null) {
                children[i] = null;
                thrown = Children.cancel(c, thrown);
            } else if (owned[i]) {
                Object taken = values[i];
                values[i] = null;
                thrown = close(taken, thrown);
            }
        }
        return thrown;
    }

    /** Closes {@code v} if it is AutoCloseable, or what it holds if it is a combinator's result. */
    private static Throwable close(Object v, Throwable thrown) {
        if (v instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                thrown = Children.collect(e, thrown);
            }
        } else if (v instanceof io.weft.Selected<?> s) {
            thrown = close(s.value(), thrown);
        } else if (v instanceof Joined<?> l) {
            for (Object e : l) {
                thrown = close(e, thrown);
            }
        }
        return thrown;
    }

    /** A join's result, unmodifiable; its own type, so that a join that holds it knows what is inside. */
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
