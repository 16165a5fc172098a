package io.weft.compose;

import io.weft.Future;

/**
 * A leaf future that must be told when its waiter gives up (an I/O
 * operation, a job on the blocking pool, a loop of such operations): its
 * {@link #await()} cancels it however the await ends without a value, for
 * example with {@link io.weft.TaskCancelledException} when the awaiting task
 * is aborted.
 */
public interface CancellableFuture<T> extends Future<T>, Cancellable {

    @Override
    default T await() {
        try {
            return Future.super.await();
        } catch (Throwable t) {
            try {
                cancel();
            } catch (Throwable again) { // keep the first error
                t.addSuppressed(again);
            }
            throw t;
        }
    }
}
