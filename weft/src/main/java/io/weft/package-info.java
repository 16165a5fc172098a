/**
 * weft: an asynchronous task runtime — many small tasks on few threads,
 * sequential code with {@link io.weft.Future#await()}, and control over who
 * runs.
 *
 * <h2>Why it is built this way</h2>
 * <ul>
 *   <li><b>Thread per core.</b> A {@link io.weft.LocalExecutor} is one thread
 *       that owns its tasks, queues and timers; nothing it owns needs a lock.
 *       Other threads reach it only by waking one of its tasks, which goes
 *       through a remote queue.</li>
 *   <li><b>Tasks are futures.</b> A task is a {@link io.weft.Future} polled by
 *       its executor, with a state word that makes waking, aborting and
 *       joining safe from any thread ({@code io.weft.task}).</li>
 *   <li><b>Code stays sequential.</b> A task body is a lambda running on a
 *       continuation; {@code future.await()} suspends the task, not the
 *       thread, and is the only place a task can suspend
 *       ({@code io.weft.coro}).</li>
 *   <li><b>Scheduling is yours.</b> Task queues with {@link io.weft.Shares}
 *       and {@link io.weft.Latency} decide who runs: the queue with the
 *       smallest virtual runtime, for a bounded slice
 *       ({@code io.weft.executor}). Tasks cooperate through
 *       {@link io.weft.Weft#yieldIfNeeded()} and a per-poll budget.</li>
 * </ul>
 *
 * <h2>Giving up on a future</h2>
 * Java has no drop, so giving up is explicit: every future that waits for
 * something is a {@link io.weft.CancellableFuture}, and everything that
 * gives up on one cancels it — an {@code await()} whose task is aborted,
 * {@code Timeout}, {@link io.weft.Futures#select}, {@code race},
 * {@code join}, {@code firstSuccessful}, an aborted task spawned from a
 * future, and the futures {@code map} and {@code then} make, which pass it
 * on. The contract (as tokio's "cancel safety"): a cancelled operation
 * leaves the world as if it had not been asked for, and what it had been
 * handed goes on to the next waiter; where that is impossible, its Javadoc
 * says what remains. {@code io.weft.CancelMatrixTest} checks it for every
 * leaf future against every way to give up.
 *
 * <h2>Threads</h2>
 * Everything in {@link io.weft.Weft} is for code running inside a task.
 * {@link io.weft.Waker#wake()}, {@link io.weft.JoinHandle#abort()} and
 * awaiting a {@link io.weft.JoinHandle} work from any thread.
 */
package io.weft;
