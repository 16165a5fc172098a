/**
 * The blocking pool: platform threads for work that would block an
 * executor's thread, and the two kinds of work that run there.
 *
 * <ul>
 *   <li>{@link io.weft.blocking.BlockingPool}: the threads. One pool per JVM
 *       ({@code shared()}), so one cap ({@code weft.blockingThreads},
 *       default 64) bounds every blocking call at once; threads start on
 *       demand, are daemons named {@code weft-blocking-N} and end after
 *       {@code weft.blockingKeepAlive} ms idle (default 10,000, as
 *       tokio's). A StealingExecutor built with {@code blockingThreads(max)}
 *       runs its tasks' {@code spawnBlocking} bodies and host name lookups
 *       in a pool of its own ({@code weft-blocking-<name>-N}); the file
 *       calls of epoll and nio stay on the shared one.</li>
 *   <li>{@link io.weft.blocking.BlockingTask}: a user's body
 *       ({@code Weft.spawnBlocking}) and a host name lookup
 *       ({@code TcpStream.connect(host, port)}), with a join handle. An
 *       abort stops it: a queued body never runs, a running one is
 *       interrupted.</li>
 *   <li>{@link io.weft.blocking.BlockingJob}: weft's own file calls on the
 *       epoll and nio drivers, with a future the loop polls. A cancel never
 *       interrupts it (an interrupt would close the {@code FileChannel});
 *       the call runs to its end and what it opened is closed.</li>
 * </ul>
 *
 * <h2>Why a blocking task is a {@code Task}</h2>
 * The handle must behave as every {@code JoinHandle}: many waiters on many
 * threads, the budget, {@code FAILURE_RECEIVED} for scopes, the
 * unobserved-failure report, {@code detached()}, the bridge to
 * CompletableFuture. {@code Task} already is all of that, proven by the
 * jcstress tests of its state word and join stack; a second implementation
 * would be a second protocol to prove. So a blocking task is a {@code Task}
 * whose owner is no executor: it is queued once, at spawn, onto the pool;
 * its one poll ({@code pollTask}) calls the body to its end; it is never
 * idle, never woken, never scheduled again (its owner throws
 * IllegalStateException with the state word if asked). What a blocking
 * task adds is the <b>run word</b>, for the two things an executor's task
 * never needs: a turn that may be claimed by a thread other than a pool
 * thread, and an interrupt that must land in the right body.
 *
 * <h2>The run word (one int, through a VarHandle)</h2>
 * <pre>
 * value         set by                         from           meaning
 * QUEUED        spawn                          -              in the pool's queue, unclaimed
 * STARTED       the pool thread, run()         QUEUED (CAS)   that thread turns the task; it may be interrupted
 * INTERRUPTING  the abort, aborted()           STARTED (CAS)  the abort is calling runner.interrupt()
 * INTERRUPTED   the abort, aborted()           INTERRUPTING   that interrupt has landed (release store)
 * ENDED         the runner, endInterrupts()    STARTED (CAS)  the body is over; no interrupt comes any more
 *                                              or INTERRUPTED   (final)
 * TAKEN         the abort, aborted()           QUEUED (CAS)   the abort turned it: cancelled, the body never ran
 *                                                               (final)
 * </pre>
 *
 * <h2>The three actors</h2>
 * <ol>
 *   <li><b>Start</b> (a pool thread takes the task off the queue,
 *       {@code run()}): write {@code runner}, then CAS the run word QUEUED
 *       to STARTED. If the witness is TAKEN, an abort has finished the task:
 *       return. Else this thread owns the turn: {@code turn()} does
 *       {@code transitionToRunning} (CANCELLED already set: the
 *       cancellation path, the body never runs), then the body, unless
 *       CANCELLED is set by the time the body would start.</li>
 *   <li><b>Completion</b> (the runner, when the body returns or throws,
 *       before the task completes: {@code endInterrupts()}): CAS STARTED to
 *       ENDED. If the witness is INTERRUPTING or INTERRUPTED, an abort is
 *       interrupting this thread: wait (spin, then yield) until INTERRUPTED,
 *       then store ENDED. Then clear the thread's interrupt flag. Only then
 *       does {@code turn()} publish COMPLETE and wake the joiners. The output
 *       is {@code Task}'s rule: a body that threw after CANCELLED was set
 *       ends cancelled (TaskCancelledException, with what it threw
 *       suppressed); a body that returned a value keeps it, even if an
 *       abort arrived while it ran (as the poll that returns a task's value
 *       wins over an abort: the value may be something the body opened,
 *       which nobody else would close).</li>
 *   <li><b>Abort</b> (any thread, {@code JoinHandle.abort()}): {@code Task}'s
 *       CAS sets CANCELLED|NOTIFIED (the task is NOTIFIED or RUNNING, so
 *       abort never schedules it). The one abort whose CAS set CANCELLED
 *       then calls {@code aborted()}, which reads the run word:
 *       <ul>
 *         <li>QUEUED: CAS to TAKEN, and turn the task right here:
 *             {@code transitionToRunning} sees CANCELLED, the cancellation
 *             path completes it, its joiners wake on this thread. The
 *             handle is finished when {@code abort()} returns, even if
 *             every pool thread is busy; the pool thread that later takes
 *             the entry off its queue finds TAKEN and drops it.</li>
 *         <li>STARTED: CAS to INTERRUPTING, {@code runner.interrupt()},
 *             store INTERRUPTED (release).</li>
 *         <li>ENDED: nothing; the runner's turn completes the task with what
 *             the body gave.</li>
 *       </ul>
 *       A failed CAS re-reads and retries; any other value is a bug
 *       (IllegalStateException with both words).</li>
 * </ol>
 *
 * <h2>The races, in words</h2>
 * <ul>
 *   <li><b>Start vs abort.</b> Both CAS the run word from QUEUED: exactly
 *       one wins. If the abort wins, the body never runs and the pool
 *       thread returns. If the start wins, the abort sees STARTED and
 *       interrupts; if its CANCELLED came before {@code transitionToRunning}
 *       or before the body's first line, the body never runs either.</li>
 *   <li><b>Completion vs abort.</b> Both CAS the run word from STARTED.
 *       If completion wins (ENDED), the abort does nothing more: no
 *       interrupt reaches a thread that may already run the next job. If
 *       the abort wins (INTERRUPTING), the runner waits until the interrupt
 *       has landed, then clears it; so an interrupt is only ever delivered
 *       while its own body may run, and never outlives it. This is the
 *       guarantee {@code FutureTask} gives with its INTERRUPTING state.</li>
 *   <li><b>Who owns the turn.</b> Whoever moved the run word off QUEUED:
 *       the pool thread (STARTED) or the abort (TAKEN); nobody else calls
 *       {@code turn()}, so the task is turned once, by one thread, as
 *       {@code Task} requires of its owner.</li>
 *   <li><b>Joiners</b> wake as for any task ({@code Task.complete}), on the
 *       thread that completed it: the pool thread, or the aborting thread
 *       for a queued task. A join poll from any thread (a task of any
 *       executor, a plain thread, the CompletableFuture bridge) is
 *       {@code Task.poll}, unchanged.</li>
 *   <li><b>Unobserved failures.</b> A body that fails while nobody has
 *       polled its handle (JOIN_INTEREST clear) is reported through the
 *       sink given at spawn: the spawning executor's
 *       {@code failedUnobservedElsewhere}, which takes it from any thread and
 *       reports it as it reports its own tasks' (when the handle is
 *       collected unpolled, or at close, on the executor's thread).</li>
 * </ul>
 * Pinned by the jcstress tests {@code BlockingTaskAbortVsRunTest} (a body
 * that returns at once: value or cancelled, the body at most once, no
 * interrupt left over, every waiter woken) and
 * {@code BlockingTaskAbortInterruptsTest} (a body that waits for its
 * interrupt: always cancelled, never stuck).
 *
 * <h2>A file job ({@code BlockingJob}) and the loop</h2>
 * The pool thread writes the value, then the volatile {@code done}, then
 * reads the volatile {@code waker}; the loop writes {@code waker}, then
 * reads {@code done}. One of the two sees the other (jcstress:
 * {@code BlockingJobVsPollTest}). A cancelled job's value goes to its
 * discard action (an open closes what it opened) exactly once: the
 * canceller stores {@code cancelled} then reads {@code done}, the pool
 * thread stores {@code done} then reads {@code cancelled}; whichever sees
 * both claims the value with a CAS on {@code discarded} (jcstress:
 * {@code BlockingJobCancelTest}).
 *
 * <p>A pool thread may wait for another job to end ({@code awaitEnd}: a
 * file's write waits for a cancelled write still running, so that it lands
 * after it). The waiter stores the volatile {@code awaited}, then reads
 * {@code done}, under the job's monitor; the job's thread stores
 * {@code done}, then reads {@code awaited} and, if set, notifies under the
 * monitor. Either the waiter sees {@code done}, or the job's thread sees
 * {@code awaited} and its notify finds the waiter in {@code wait()} (the
 * waiter holds the monitor from its read of {@code done} until it waits).
 * Only a job a pool thread has started is waited for, so the wait ends
 * (jcstress: {@code BlockingJobAwaitEndTest}). A waiter also stops once its
 * {@code stop} condition holds (its own job was dropped): whoever changes
 * the condition then calls {@code nudge()}, a {@code notifyAll} under the
 * same monitor, so the waiter either sees the change before it waits or is
 * woken in {@code wait()}.
 */
package io.weft.blocking;
