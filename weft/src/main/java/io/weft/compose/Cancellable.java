package io.weft.compose;

import io.weft.Future;
import io.weft.JoinHandle;

/**
 * A future made by {@code io.weft.Futures} that can pass a cancellation on to
 * its children. Owner thread only, like polling.
 */
public interface Cancellable {

    /** Stops the future: aborts the JoinHandles among its unfinished children, recursively. */
    void cancel();

    /**
     * Cancels a child that will not be polled again: a {@link JoinHandle} is
     * aborted (a coroutine task runs its {@code finally} blocks), a
     * {@link Cancellable} passes it on, any other future is just dropped.
     */
    static void cancel(Future<?> f) {
        if (f instanceof JoinHandle<?> h) {
            h.abort();
        } else if (f instanceof Cancellable c) {
            c.cancel();
        }
    }

    /** Throws {@code t} as it is, checked or not (a poll may rethrow what a child threw). */
    @SuppressWarnings("unchecked")
    static <E extends Throwable> RuntimeException sneakyThrow(Throwable t) throws E {
        throw (E) t;
    }
}
