package io.weft.io;

import io.weft.Future;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Small futures of the I/O layer. */
final class IoFutures {
    private IoFutures() {
    }

    /** A future that fails at its first poll with {@code e} (as UncheckedIOException). */
    static <T> Future<T> failed(IOException e) {
        return cx -> {
            throw new UncheckedIOException(e);
        };
    }
}
