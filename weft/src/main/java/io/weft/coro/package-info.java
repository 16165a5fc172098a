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
 *       the future with the task's context; if pending it records the future
 *       (in the task's {@code slot}, held AWAITING) and yields the
 *       continuation. Every later poll of the task polls that future first,
 *       outside the continuation, and
 *       resumes the body only when it is ready (or threw, or the task is
 *       cancelled: the future is cancelled first, then the await throws
 *       {@code TaskCancelledException}). The body's frames, once resumed,
 *       only take what the re-poll left in the task's slot: see the next
 *       point.</li>
 *   <li><b>Resumed frames and the JIT.</b> A frozen frame resumes in the
 *       compiled code it was frozen with. Code compiled while tasks had only
 *       ever suspended has no profile for the re-poll's other branches (a
 *       future that is ready at last), and the JIT compiles those as
 *       uncommon traps: with the re-poll in the body's frames, each of a
 *       million tasks suspended at once deoptimized when it resumed
 *       (7 to 10 s in a fresh JVM, {@code weft-bench} {@code FirstBurst}).
 *       So the re-poll runs in the executor's frames, and the body's frames
 *       only take what it left. Code of the body's own after an
 *       {@code await} that had never run (a {@code finally} reached only
 *       by a cancellation) still deoptimizes once per frame: closing an
 *       executor with a million suspended tasks takes seconds the first
 *       time. What the re-polled future runs (a map function) still runs
 *       in the task's name: the loop says which task is in its turn
 *       ({@code CurrentLoop.taskInTurn}), so {@code TaskLocal}s read there
 *       are the task's. An await there has no frames of the task's to
 *       suspend, so an await inside any poll (the body's own first one
 *       too, held IN_POLL) is refused alike.</li>
 *   <li>A task's context lives for one poll: made at the poll's first
 *       await (or re-poll) of a future that is not one of weft's own leaf
 *       futures, dropped when the poll ends pending, so that a suspended
 *       task holds none, unless {@code TaskLocal} bindings live in it (then
 *       it is kept while they are bound). Weft's own leaf futures
 *       ({@code io.weft.task.LeafFuture}: they keep only the waker, and run
 *       no user code) are polled with the scratch context of the worker's
 *       budget, pointed at the task for that poll. Only the owner thread of
 *       a budget touches its scratch, and only the task's own thread its
 *       context.</li>
 *   <li>Once CANCELLED is set, every {@code await()} throws
 *       {@code TaskCancelledException} before it could yield, so a cancelled
 *       coroutine does not suspend again on a future: the cancellation path
 *       runs it to its end in one go. One exception: a body that caught the
 *       cancellation and awaits again (a catch-all in a loop) yields once
 *       before each such await throws (a self-wake, held {@code AWAITING} on
 *       a ready marker future), so the loop cannot keep the thread for
 *       ever. An await that threw the cancellation marks the task
 *       ({@code held} CANCEL_THROWN): what the body throws after it is the
 *       abort's (a cancellation), while a failure the body throws without
 *       having met the cancellation stays a failure, as a value is kept.</li>
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
