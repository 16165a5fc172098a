/**
 * The local executor: task queues, the scheduler, and the loop; and
 * {@link io.weft.executor.Worker}, the seam every executor kind implements.
 *
 * <h2>Executor kinds (the {@code Worker} seam)</h2>
 * The API ({@code Weft}, sleeps, timeouts, intervals, sockets, files, the
 * local sync family, {@code TaskScope}, {@code JoinSet}) reaches "the
 * executor running here" only through {@code Worker.current(what)}, which
 * reads the runtime's one thread-local ({@code io.weft.task.CurrentLoop}):
 * a loop sets it when it starts on a thread and clears it when it leaves, and
 * {@code await()} reads the same one to refuse to block a loop thread. Two
 * kinds exist: {@code ExecutorCore} (a {@code LocalExecutor}, alone or in a
 * pool) and {@code io.weft.steal.StealWorker} (a worker of a
 * {@code StealingExecutor}); a simulation executor is to be a third. The
 * runtime's assumptions, and how each kind meets them:
 * <ul>
 *   <li><b>One owner per task.</b> {@code Task.owner} is final and is the
 *       {@code TaskOwner} a wake goes through: the LocalExecutor's
 *       {@code ExecutorCore}, whose loop thread alone polls the task; the
 *       StealingExecutor's {@code StealScheduler}, whose workers share the
 *       not-yet-started tasks and keep each started coroutine task on the
 *       worker that first ran it (its frames must thaw on the thread that
 *       froze them: see {@code io.weft.steal}).</li>
 *   <li><b>The self-wake shortcut</b> (a task woken during its own poll is
 *       queued again after the poll, with no atomic) is taken only where
 *       {@code TaskOwner.pollsHere(task)}: on the loop thread for an
 *       ExecutorCore, on the worker polling that very task for a
 *       StealScheduler.</li>
 *   <li><b>The budget</b> a task's {@code Context} captures (a poll-based
 *       task's at its first poll; a coroutine task's at the first await of
 *       each poll, made again after every suspension) is
 *       {@code owner.budget()}: the loop's own for an ExecutorCore; for a
 *       StealScheduler, the budget of the worker polling it then, the
 *       task's home, which polls it ever after. Both loops call
 *       {@code budget.pollEnded()} after every task poll (a StealWorker's
 *       LIFO polls too), before they poll another task or park: what a poll
 *       deferred to its end ({@code Budget.deferToPollEnd}: an
 *       {@code SpscChannel} side's fence) runs there, on that loop's
 *       thread.</li>
 *   <li><b>The registry of live tasks</b>: an ExecutorCore keeps the
 *       suspended ones in a list of its loop thread ({@code suspended}, a {@code task.TaskList});
 *       a StealScheduler counts its live tasks, and each of its workers
 *       lists the tasks that live on it (its thread only).</li>
 *   <li><b>Timers, sockets and files</b> belong to one loop's wheel and
 *       reactor. A StealWorker has a wheel and a reactor for the tasks that
 *       live on it (a task stays on the worker that first ran it). A stream
 *       used by a task of another worker moves to that worker at its first
 *       awaited operation there ({@code net.StreamMove}); a listener or a
 *       file stays on its worker, whose thread runs the operations of other
 *       workers' tasks as tasks of its own ({@link io.weft.executor.OnHome},
 *       {@code Worker.spawnHere}).</li>
 *   <li><b>Local sync primitives and task queues</b> capture their thread;
 *       on a worker whose tasks may move ({@code Worker.tasksStayOnThread()}
 *       false) they are refused at the call, naming the shared ones.
 *       {@code TaskScope} and {@code JoinSet} work on every kind: their
 *       children complete on any worker, so their bookkeeping is guarded by
 *       a monitor (never held across an await), and a child's completion is
 *       seen by its scope before the task that waits can find every child
 *       finished (see {@code compose.Completions}).</li>
 *   <li><b>Sleeps, timeouts and intervals</b> arm their timer in the wheel
 *       of the thread that polls them, which must have the clock they were
 *       made with.</li>
 *   <li><b>Streams</b> move between executors only by
 *       {@code detach}/{@code attach} (of the same driver kind); between the
 *       workers of one StealingExecutor also by themselves (above).</li>
 * </ul>
 *
 * <h2>Threads</h2>
 * <ul>
 *   <li>The <b>loop thread</b> is the thread inside {@code ExecutorCore.run}
 *       or {@code close} (the field {@code thread}, volatile, null otherwise).
 *       It alone touches the task queues, the active heap, the timers, the
 *       live-task list, the budget and every counter.</li>
 *   <li><b>Other threads</b> reach the executor only through
 *       {@code schedule(task)} (a wake or abort of one of its tasks). That
 *       call takes the remote road: offer the task to the MPSC remote queue,
 *       then, if the loop is parked, unpark it. The two roads are the two
 *       branches at the top of {@code schedule}.</li>
 * </ul>
 *
 * <h2>Parking without losing a wake (a Dekker pair)</h2>
 * The loop stores {@code sleeping = true} (volatile), then looks at the remote
 * queue, then parks. A remote waker offers to the queue (a volatile CAS),
 * then reads {@code sleeping}, and unparks the loop if set. Both sides store
 * then load with sequential consistency, so at least one sees the other:
 * either the loop finds the task before parking, or the waker unparks it.
 * An unpark that arrives before the park leaves a permit, so the park returns.
 * Any thread may also read {@code sleeping} (and {@code thread}) as a hint,
 * through {@code Worker.awake()}: an {@code SpscChannel} side spinning for
 * this executor's next value stops once it reads the executor parked. A
 * stale read costs only a spin that ends early or runs to its time limit;
 * no wake depends on it.
 *
 * <h2>Time</h2>
 * Two clocks, on purpose. The <b>executor's clock</b> ({@code io.weft.Clock},
 * set on the builder) drives the timers: deadlines, "is it due", the
 * maintenance check and {@code needPreempt()}'s "a timer is due". The
 * <b>scheduler</b> (slice deadlines, vruntime charges, queue wait times)
 * measures CPU time actually spent and always reads {@code System.nanoTime()},
 * so a paused clock never starves or favours a queue.
 *
 * <p>Idle: when nothing is runnable the loop fires due timers, drains the
 * remote queue, spins for {@code spinNanos}, then parks no longer than
 * {@code timers.nextDeadline()} (counted in {@code timedParks}); with no timer
 * it parks until a remote wake. On a paused clock it does not park while a
 * timer exists: it moves the clock to the next deadline ({@code clockJumps})
 * and loops, which fires the timer; time therefore advances only when every
 * task waits, as tokio's {@code start_paused}.
 *
 * <h2>Shutdown and close ({@code Lifecycle})</h2>
 * A phase, only ever raised, by any thread: OPEN, DRAINING (a shutdown
 * began), CLOSING (a close began), CLOSED.
 * <ul>
 *   <li><b>Raising.</b> A thread CASes the phase up, then reads
 *       {@code sleeping} and wakes a parked loop; the loop stores
 *       {@code sleeping}, then reads the phase (and the remote queue) before
 *       it parks: a Dekker pair, as for remote wakes, so a raise is never
 *       missed. From a task of the executor a raise instead asks for
 *       maintenance right after the current task's turn. A drain added while
 *       the phase is DRAINING already wakes the loop the same way.</li>
 *   <li><b>Acting.</b> The loop looks at the phase after every slice, every
 *       idle turn and every maintenance ({@code afterTurn}, one volatile read
 *       while OPEN). DRAINING: it completes the {@code quiet} future once no
 *       more tasks than the waiter allows are live (0, or 1: the task that
 *       asked); the tasks of the executor waiting in a shutdown (its own or
 *       a pool's: {@code shuttingDownInside}, loop thread only) never
 *       count, or two of them on two executors would wait for each other.
 *       CLOSING: the first look aborts every task but {@code closeAfter}
 *       (the task that asked from inside, if any) and those still waiting
 *       in a shutdown; such a task, once its shutdown returns, either ends
 *       on its own (the close waits for it) or, when its caller is not to
 *       be spared (a pool's second caller), aborts itself; from
 *       then on a task admitted is aborted at once; when none is live the
 *       loop reports failures nobody saw, closes the reactor, sets CLOSED and
 *       completes {@code terminated}.</li>
 *   <li><b>Spawns from outside</b> read the phase before and after they
 *       offer to the remote queue: a task offered while the phase rose is
 *       refused (RejectedExecutionException) and aborted, so it never runs.
 *       Tasks of the executor may still spawn while DRAINING.</li>
 *   <li><b>Who runs the loop.</b> {@code thread} is taken with a CAS, so two
 *       threads never run one loop. A thread that waits for a shutdown or a
 *       close while no thread runs the loop takes it ({@code tryEnter}) and
 *       runs it itself until what it waits for, or its deadline; otherwise it
 *       waits on the future, looking every 20 ms whether the loop's thread has
 *       left (a {@code run} whose root finished), in which case it takes over.
 *       A dump from another thread while no thread runs the loop takes it
 *       for its read under {@code LoopEntry}'s borrow lock; a {@code run}
 *       whose CAS fails takes that lock and tries once more, so a borrow
 *       never makes it fail. The loop's thread clears {@code thread} last
 *       when it leaves ({@code LoopEntry}).</li>
 * </ul>
 *
 * <h2>Paused clocks ({@code PausedClockOwners})</h2>
 * A paused clock belongs to one open executor at a time: any thread that
 * builds an executor claims it under the map's monitor (refused while
 * another open executor has it), the owner's loop releases it as the close
 * ends. The clock's reading itself is moved with a CAS that only raises it
 * (the owner's loop and any thread's {@code advance}; jcstress
 * {@code PausedClockMovesTest}).
 *
 * <h2>Task queues</h2>
 * A queue is IDLE (empty, not in the heap), ACTIVE (in the min-heap of
 * active queues, ordered by vruntime) or RUNNING (taken off the heap while
 * its tasks run). A push onto an IDLE queue activates it with
 * {@code vruntime = max(own, smallest active vruntime)}: no credit for time
 * spent idle. The loop always takes the queue with the smallest vruntime and
 * runs it until it is empty or its slice ends; the slice is
 * {@code min(preemptTimer, smallest Latency.matters among active queues)},
 * and shrinks when a latency-sensitive queue becomes active meanwhile. At the
 * end of a slice the queue is charged {@code elapsed * 1000 / shares}.
 * Dynamic shares are re-read at most every 250 ms. Vruntimes are rebased
 * before they can overflow. A queue with no live task (spawned minus
 * completed: none queued, running or suspended, so it is IDLE) may be
 * removed ({@code Weft.removeTaskQueue}): it leaves the scheduler's list,
 * which is copied on write (other threads read the list whole, for stats),
 * and a spawn into it is refused from then on. Tasks spawned from other
 * threads go to the default queue, which is never removed.
 *
 * <h2>Ownership of a task here</h2>
 * A task on a run queue (local or remote) belongs to the executor; the
 * executor pops it and calls {@code Task.turn()}, after which it either
 * completes, goes idle (it belongs to its wakers, and the executor records it
 * in its registry of suspended tasks), or is queued again. Every live task is
 * therefore on a run queue or in that registry, which is how close() finds
 * them all.
 *
 * <h2>Keeping the hot path off the G1 slow path</h2>
 * A store of a young task reference into a long-lived object (the executor,
 * a queue) takes G1's card-marking slow path, with a fence. The hot path
 * avoids such stores: run queues are chunked arrays whose chunks are never
 * reused (new chunks are young), the registry is touched only by tasks that
 * suspend, and the "being polled" flag lives on the task.
 */
package io.weft.executor;
