package io.weft.compose;

import io.weft.CancellableFuture;
import io.weft.Context;
import io.weft.Future;
import io.weft.Futures;
import io.weft.Poll;
import java.util.function.Function;

/**
 * {@code inner.map(f)}: inner's value through {@code f}, applied once, on the
 * poll that finds inner ready; a later poll returns the same value (or
 * throws the same failure) without running {@code f} again. From then on
 * {@code f} owns inner's value: what it throws is this future's failure,
 * and a value it held (a permit, a connection) is its to release first.
 * Cancelling it cancels inner (until inner has completed, after which
 * there is nothing left to give up).
 */
public final class Mapped<T, U> implements CancellableFuture<U>, TaskOutputs.Carrier {
    private final Future<T> inner;
    private final Function<? super T, ? extends U> f;
    private final boolean carries;

    public Mapped(Future<T> inner, Function<? super T, ? extends U> f) {
        if (f == null) {
            throw new NullPointerException("map function");
        }
        this.inner = inner;
        this.f = f;
        this.carries = TaskOutputs.mayCarry(inner);
    }

    @Override
    public boolean mayCarryTaskOutput() {
        return carries;
    }

    private Poll<U> result;
    private Throwable failure;

    @Override
    public Poll<U> poll(Context cx) {
        if (result != null) {
            return result;
        }
        if (failure != null) {
            throw Sneaky.rethrow(failure);
        }
        Poll<T> p = inner.poll(cx);
        if (!p.isReady()) {
            return Poll.pending();
        }
        try {
            return result = Poll.ready(f.apply(p.get()));
        } catch (Throwable t) {
            failure = t;
            throw t;
        }
    }

    @Override
    public void cancel() {
        if (result == null && failure == null) {
            Futures.cancel(inner);
        }
    }
}
