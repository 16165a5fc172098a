package io.weft.net;

import io.weft.CancellableFuture;
import io.weft.Context;
import io.weft.Poll;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * An operation that first takes what an earlier operation given up had
 * already produced (an accepted connection, a received datagram), else is
 * the operation itself. It takes at its first poll, not when it is made:
 * an operation starts at its first poll, so a future dropped unpolled (an
 * await in an aborted task drops it without a cancel) holds nothing, and
 * what was given back stays for the next operation. What it takes it
 * delivers in that same poll, so it never holds a value between polls.
 *
 * <p><b>Cancel safety:</b> cancelled before its first poll it took
 * nothing; after it, as the operation's own.
 */
final class GivenBack<V, R> implements CancellableFuture<R> {
    private Supplier<V> take;
    private final Function<V, R> deliver;
    private Supplier<CancellableFuture<R>> otherwise;
    /** The operation itself, made at the first poll when nothing was given back. */
    private CancellableFuture<R> live;

    GivenBack(Supplier<V> take, Function<V, R> deliver, Supplier<CancellableFuture<R>> otherwise) {
        this.take = take;
        this.deliver = deliver;
        this.otherwise = otherwise;
    }

    @Override
    public Poll<R> poll(Context cx) {
        if (live != null) {
            return live.poll(cx);
        }
        Supplier<V> t = take;
        if (t == null) {
            throw new IllegalStateException("operation polled after it completed or was cancelled");
        }
        take = null;
        V v = t.get();
        if (v != null) {
            otherwise = null;
            return Poll.ready(deliver.apply(v));
        }
        live = otherwise.get();
        otherwise = null;
        return live.poll(cx);
    }

    @Override
    public void cancel() {
        take = null;
        otherwise = null;
        if (live != null) {
            live.cancel();
        }
    }
}
