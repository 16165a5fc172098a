package io.weft.compose;

import io.weft.CancellableFuture;
import io.weft.Context;
import io.weft.Future;
import io.weft.Futures;
import io.weft.Poll;
import java.util.function.Function;

/**
 * {@code inner.map(f)}: inner's value through {@code f}, applied once, on the
 * poll that finds inner ready. Cancelling it cancels inner (until inner has
 * completed, after which there is nothing left to give up).
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

    @Override
    public Poll<U> poll(Context cx) {
        Poll<T> p = inner.poll(cx);
        return p.isReady() ? Poll.ready(f.apply(p.get())) : Poll.pending();
    }

    @Override
    public void cancel() {
        Futures.cancel(inner);
    }
}
