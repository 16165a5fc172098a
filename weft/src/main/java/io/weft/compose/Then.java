package io.weft.compose;

import io.weft.CancellableFuture;
import io.weft.Context;
import io.weft.Future;
import io.weft.Futures;
import io.weft.Poll;
import java.util.function.Function;

/**
 * {@code first.then(f)}: once first is ready, the future {@code f} makes of
 * its value, polled in the same poll. Cancelling it cancels whichever of the
 * two is current: first until it completed, then the second one. Its value,
 * given back by a combinator that took it and was given up, goes back to
 * the second future ({@link GivesBack}); first's value is {@code f}'s.
 */
public final class Then<T, U> implements CancellableFuture<U>, TaskOutputs.Carrier, GivesBack<U> {
    private final Future<T> first;
    private final boolean carries;
    private final Function<? super T, ? extends Future<U>> f;
    private Future<U> second;

    public Then(Future<T> first, Function<? super T, ? extends Future<U>> f) {
        if (f == null) {
            throw new NullPointerException("then function");
        }
        this.first = first;
        this.f = f;
        this.carries = TaskOutputs.mayCarry(first);
    }

    @Override
    public boolean mayCarryTaskOutput() {
        return carries;
    }

    @Override
    public Poll<U> poll(Context cx) {
        if (second == null) {
            Poll<T> p = first.poll(cx);
            if (!p.isReady()) {
                return Poll.pending();
            }
            second = f.apply(p.get());
            if (second == null) {
                throw new NullPointerException("the function given to then() returned null instead of a future");
            }
        }
        return second.poll(cx);
    }

    @Override
    public void cancel() {
        Futures.cancel(second != null ? second : first);
    }

    @Override
    public void giveBack(U value) {
        if (second == null) {
            throw new IllegalStateException("a then gives back only the value it returned");
        }
        GivesBack.giveBackTo(second, value);
    }
}
