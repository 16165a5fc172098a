package io.weft.io;

import io.weft.CancellableFuture;
import io.weft.Context;
import io.weft.Poll;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Small futures of the I/O layer. */
final class IoFutures {
    private IoFutures() {
    }

    /** A future that fails at its first poll with {@code e} (as UncheckedIOException). */
    static <T> CancellableFuture<T> failed(IOException e) {
        return failing(new UncheckedIOException(e));
    }

    /** A future ready with {@code v} at its first poll (spending budget as a ready leaf); nothing to cancel. */
    static <T> CancellableFuture<T> ready(T v) {
        return new CancellableFuture<>() {
            @Override
            public Poll<T> poll(Context cx) {
                return cx.consumeBudget() ? Poll.ready(v) : Poll.pending();
            }

            @Override
            public void cancel() {
                // nothing was asked of the kernel
            }
        };
    }

    /** A future that throws {@code e} at its first poll; nothing to cancel. */
    static <T> CancellableFuture<T> failing(RuntimeException e) {
        return new CancellableFuture<>() {
            @Override
            public Poll<T> poll(Context cx) {
                throw e;
            }

            @Override
            public void cancel() {
                // nothing was asked of the kernel
            }
        };
    }
}
