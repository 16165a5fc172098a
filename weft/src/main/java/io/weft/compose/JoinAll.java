package io.weft.compose;

import io.weft.Context;
import io.weft.Future;
import io.weft.Poll;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * All of n futures, values in argument order. Each poll polls every unfinished
 * child with the caller's context (so a JoinHandle child registers the
 * caller's waker); the first child whose poll throws ends it: the others are
 * cancelled ({@link Cancellable#cancel(Future)}) and the exception is rethrown
 * as it is, on this poll and on every later one.
 */
public final class JoinAll<T> implements Future<List<T>>, Cancellable {
    private final Future<? extends T>[] children; // a slot is nulled once that child is done
    private final Object[] values;
    private int remaining;
    private List<T> result;
    private Throwable failure;

    public JoinAll(List<? extends Future<? extends T>> futures) {
        @SuppressWarnings("unchecked")
        Future<? extends T>[] cs = futures.toArray(new Future[0]);
        for (int i = 0; i < cs.length; i++) {
            if (cs[i] == null) {
                throw new NullPointerException("future " + i);
            }
        }
        this.children = cs;
        this.values = new Object[cs.length];
        this.remaining = cs.length;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Poll<List<T>> poll(Context cx) {
        if (failure != null) {
            throw Cancellable.sneakyThrow(failure);
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
                cancel();
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
        result = Collections.unmodifiableList((List<T>) Arrays.asList(values));
        return Poll.ready(result);
    }

    @Override
    public void cancel() {
        for (int i = 0; i < children.length; i++) {
            Future<? extends T> c = children[i];
            if (c != null) {
                children[i] = null;
                Cancellable.cancel(c);
            }
        }
    }
}
