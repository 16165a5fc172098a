package io.weft;

import io.weft.compose.StageBridge;
import io.weft.coro.Await;
import io.weft.executor.ExecutorCore;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A value that may not be there yet.
 *
 * <p>{@link #poll} never blocks: it returns {@link Poll#ready} or, after
 * arranging for {@code cx.waker()} to be woken when progress is possible,
 * {@link Poll#pending()}. Leaf futures (I/O, timers, channels, join handles)
 * are written this way; task bodies use {@link #await()} instead.
 */
@FunctionalInterface
public interface Future<T> {

    Poll<T> poll(Context cx);

    /**
     * The value, once ready; the only place a task suspends. Inside a
     * coroutine task this polls with the task's waker and suspends the task
     * (not the thread) while pending; outside any task it parks the calling
     * thread until the future is ready. Throws {@link TaskCancelledException}
     * once the task is aborted.
     */
    default T await() {
        return Await.await(this);
    }

    default <U> Future<U> map(Function<? super T, ? extends U> f) {
        Future<T> self = this;
        return cx -> {
            Poll<T> p = self.poll(cx);
            return p.isReady() ? Poll.ready(f.apply(p.get())) : Poll.pending();
        };
    }

    default <U> Future<U> then(Function<? super T, ? extends Future<U>> f) {
        Future<T> self = this;
        return new Future<>() {
            private Future<U> next;

            @Override
            public Poll<U> poll(Context cx) {
                if (next == null) {
                    Poll<T> p = self.poll(cx);
                    if (!p.isReady()) {
                        return Poll.pending();
                    }
                    next = f.apply(p.get());
                }
                return next.poll(cx);
            }
        };
    }

    /**
     * This future as a JDK {@link CompletableFuture}, for code outside weft.
     *
     * <p>A {@link JoinHandle} may be polled from any thread, so it is bridged
     * directly, from anywhere: the CompletableFuture completes with the task's
     * value, exceptionally with what the task threw (not the
     * {@link TaskFailedException} around it), or with a
     * {@link java.util.concurrent.CancellationException} once the task is
     * aborted. Any other future must be polled on one executor's thread, so
     * it is spawned as a task of the current executor and that task's handle
     * is bridged: this must then be called inside a task
     * ({@link IllegalStateException} otherwise), and the future is polled by
     * that task from now on, not by its caller.
     *
     * <p>The CompletableFuture is completed on the executor's thread when the
     * task finishes, so dependent stages added with non-async methods
     * ({@code thenApply}, ...) run on that thread: use the {@code *Async}
     * variants for anything that blocks. Cancelling the CompletableFuture
     * aborts the task.
     */
    default CompletableFuture<T> toCompletableFuture() {
        JoinHandle<T> h = this instanceof JoinHandle<T> jh
                ? jh
                : ExecutorCore.current("Future.toCompletableFuture (of a future that is not a JoinHandle)").spawn(this, null);
        return StageBridge.of(h);
    }
}
