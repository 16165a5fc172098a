package io.weft;

import io.weft.compose.Mapped;
import io.weft.compose.StageBridge;
import io.weft.compose.Then;
import io.weft.coro.Await;
import io.weft.executor.Worker;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A value that may not be there yet.
 *
 * <p>{@link #poll} never blocks: it returns {@link Poll#ready} or, after
 * arranging for {@code cx.waker()} to be woken when progress is possible,
 * {@link Poll#pending()}. Leaf futures (I/O, timers, channels, join handles)
 * are written this way; task bodies use {@link #await()} instead.
 *
 * <p>A future that waits for something that must not be lost when its
 * waiter gives up (a permit, a value, a connection, a timer) is a
 * {@link CancellableFuture}; see there for the cancellation contract.
 */
@FunctionalInterface
public interface Future<T> {

    /**
     * Makes progress without blocking.
     *
     * <ul>
     *   <li>Ready: the value; the future is complete and must not be polled
     *       again (unless its own docs allow it).</li>
     *   <li>Pending: the future has arranged for the waker of {@code cx}
     *       (this poll's waker, which replaces any earlier one) to be woken
     *       once polling again may make progress. A wake may be spurious:
     *       the next poll may return pending again.</li>
     *   <li>Throws: the operation failed; the future is complete, as if it
     *       had returned ready.</li>
     * </ul>
     * A future is polled by one thread at a time. A leaf future that is
     * ready spends one unit of the cooperative budget first
     * ({@link Context#consumeBudget()}) and returns pending if none is left.
     */
    Poll<T> poll(Context cx);

    /**
     * The value, once ready; the only place a task suspends. Inside a
     * coroutine task this polls with the task's waker and suspends the task
     * (not the thread) while pending; outside any task it parks the calling
     * thread until the future is ready.
     *
     * <p>Once the task is aborted, {@code await()} throws
     * {@link TaskCancelledException}. If it had polled this future and the
     * future had not completed, it first cancels it
     * ({@link Futures#cancel(Future)}): a lock, a permit or a value handed
     * to it goes to the next waiter, an I/O operation is withdrawn, a timer
     * leaves the wheel, a {@link JoinHandle} aborts its task. The task's
     * {@code finally} blocks then run with nothing left queued in its name.
     */
    default T await() {
        return Await.await(this);
    }

    /**
     * This future's value passed through {@code f}, which runs once, in the
     * poll that finds this future ready (on the polling thread; what it
     * throws is the mapped future's failure); a later poll gives the same
     * value or failure. Once it runs, {@code f} owns this future's value: a
     * value it held (a permit, a connection) and then threw over is its to
     * release first. Cancelling the result cancels this future until it
     * completes.
     */
    default <U> CancellableFuture<U> map(Function<? super T, ? extends U> f) {
        return new Mapped<>(this, f);
    }

    /**
     * Chains a second future: once this one is ready, {@code f} makes the
     * next future from its value, and the result is the second future's.
     * Cancelling the result cancels this future until it completes, then
     * the second one. As with {@link #map}, {@code f} owns the first value
     * once it runs: cancelling the second future gives up what {@code f}
     * made of it, nothing more.
     */
    default <U> CancellableFuture<U> then(Function<? super T, ? extends Future<U>> f) {
        return new Then<>(this, f);
    }

    /**
     * This future as a JDK {@link CompletableFuture}, for code outside weft.
     *
     * <p>A {@link JoinHandle} may be polled from any thread, so it is bridged
     * directly, from anywhere: the CompletableFuture completes with the task's
     * value, exceptionally with what the task threw (not the
     * {@link TaskFailedException} around it), or with the handle's
     * {@link TaskCancelledException} once the task is aborted (a
     * {@link java.util.concurrent.CancellationException}: the
     * CompletableFuture is then cancelled). Any other future must be polled
     * on one executor's thread, so it is spawned as a task of the current
     * executor and that task's handle is bridged: this must then be called
     * inside a task
     * ({@link IllegalStateException} otherwise), and the future is polled by
     * that task from now on, not by its caller.
     *
     * <p>The CompletableFuture is completed on the executor's thread when the
     * task finishes, so dependent stages added with non-async methods
     * ({@code thenApply}, ...) run on that thread: use the {@code *Async}
     * variants for anything that blocks. Cancelling the CompletableFuture
     * aborts the task. Completing it yourself (or {@code orTimeout}) gives
     * up the wait and leaves the task running: a failure it throws later
     * that nobody receives goes to the executor's unobserved-failure
     * handler.
     */
    default CompletableFuture<T> toCompletableFuture() {
        JoinHandle<T> h = this instanceof JoinHandle<T> jh
                ? jh
                : Worker.current("Future.toCompletableFuture (of a future that is not a JoinHandle)").spawn(this, null);
        return StageBridge.of(h);
    }
}
