package io.weft.net;

import io.weft.CancellableFuture;
import io.weft.Context;
import io.weft.Poll;
import java.util.function.Consumer;

/**
 * An operation whose value, given back by a combinator that took it and was
 * given up (a join past its deadline), goes to {@code back}: a connection
 * handed back to its listener, a datagram kept for the next receive.
 */
final class TakenBack<T> implements CancellableFuture<T>, io.weft.compose.GivesBack<T> {
    private final CancellableFuture<T> op;
    private final Consumer<T> back;

    TakenBack(CancellableFuture<T> op, Consumer<T> back) {
        this.op = op;
        this.back = back;
    }

    @Override
    public Poll<T> poll(Context cx) {
        return op.poll(cx);
    }

    @Override
    public void cancel() {
        op.cancel();
    }

    @Override
    public void giveBack(T value) {
        back.accept(value);
    }
}
