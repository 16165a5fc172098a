package io.weft;

import io.weft.coro.Await;
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
}
