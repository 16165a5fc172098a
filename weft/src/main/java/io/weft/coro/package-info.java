/**
 * Coroutine tasks: task bodies that are ordinary lambdas, suspended and
 * resumed with {@code jdk.internal.vm.Continuation}.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>A coroutine task's continuation is created on its first poll and run
 *       only by the owner's loop thread, inside {@code Task.turn()}: the
 *       task's RUNNING bit guarantees one run at a time.</li>
 *   <li>{@code await()} finds the current task from the carrier thread's
 *       innermost continuation of weft's scope (no thread-local). It polls
 *       the future with the task's context; while pending it yields the
 *       continuation, and after every resume it first checks CANCELLED.</li>
 *   <li>Once CANCELLED is set, every {@code await()} throws
 *       {@code TaskCancelledException} before it could yield, so a cancelled
 *       coroutine never suspends again: the cancellation path runs it to its
 *       end in one go.</li>
 *   <li>The body's result and throwable are written by the body on the loop
 *       thread and read by the same thread after the continuation ends.</li>
 *   <li>Outside any task, {@code await()} parks the calling thread (block_on)
 *       with a thread waker; on an executor's loop thread outside a
 *       coroutine (inside a {@code Future.poll}) it throws instead of
 *       blocking the loop.</li>
 *   <li>The {@code jdk.internal.vm} export is checked before any class that
 *       links against it is used, so a missing flag gives one message naming
 *       the flag.</li>
 * </ul>
 */
package io.weft.coro;
