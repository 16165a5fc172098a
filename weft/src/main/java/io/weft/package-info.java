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
 * <h2>Threads</h2>
 * Everything in {@link io.weft.Weft} is for code running inside a task.
 * {@link io.weft.Waker#wake()}, {@link io.weft.JoinHandle#abort()} and
 * awaiting a {@link io.weft.JoinHandle} work from any thread.
 */
package io.weft;
