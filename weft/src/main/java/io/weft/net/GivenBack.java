package io.weft.net;

import io.weft.CancellableFuture;
import io.weft.Context;
import io.weft.Poll;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * An operation answered at once by what an earlier operation given up had
 * already produced (an accepted connection, a received datagram): ready at
 * its first poll with {@code deliver(value)}. <b>Cancel safety:</b>
 * cancelled before that poll, it gives the value back ({@code giveBack}),
 * for the next operation.
 */
final class GivenBack<V, R> implements CancellableFuture<R> {
    private V value;
    private final Function<V, R> deliver;
    private final Consumer<V> giveBack;

    GivenBack(V value, Function<V, R> deliver, Consumer<V> giveBack) {
        this.value = value;
        this.deliver = deliver;
        this.giveBack = giveBack;
    }

    @Override
    public Poll<R> poll(Context cx) {
        V v = value;
        if (v == null) {
            throw new IllegalStateException("operation polled after it completed or was cancelled");
        }
        value = null;
        return Poll.ready(deliver.apply(v));
    }

    @Override
    public void cancel() {
        V v = value;
        value = null;
        if (v != null) {
            giveBack.accept(v);
        }
    }
}
