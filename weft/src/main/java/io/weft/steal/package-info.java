/**
 * The work-stealing executor behind {@link io.weft.StealingExecutor}
 * (tokio's multi-thread scheduler, issue 11): {@link io.weft.steal.StealScheduler}
 * (the owner of every task, the shared queue, the idle protocol, the
 * count of live tasks), one {@link io.weft.steal.StealWorker} per thread,
 * {@link io.weft.steal.LocalQueue}, {@code Inject}, {@code Idle},
 * {@code Spread} (the steal, and the hand-off before a task's first run),
 * and {@code BlockInPlace} (a blocking call on a worker's thread).
 *
 * <h2>Where a task runs: stealable until it starts, then at home</h2>
 * A coroutine task's frames are frozen on the thread that ran it, and must
 * be thawed there: inside a continuation the JIT treats
 * {@code Thread.currentThread()} as unchanged across a suspension (true for
 * a virtual thread, whose identity is its continuation's, false for a frame
 * moved to another platform thread). Measured with tasks that moved: 78
 * stale {@code currentThread()} reads in 4 million resumes, and a
 * {@code ReentrantLock} whose owner and waiters were taken from the stale
 * thread, which hung two workers. So:
 * <ul>
 *   <li>a task that has not run yet is stealable: it sits in a worker's
 *       {@code LocalQueue} or the shared queue, and any worker may take
 *       it;</li>
 *   <li>the worker that first runs a task becomes its home (a coroutine
 *       task's frames are frozen there, and any task's timers are in that
 *       worker's wheel, a poll-based task's too)
 *       ({@code Task.queue}, written by that worker before the first poll,
 *       read by wakers after their CAS of the state word, which orders it);
 *       from then on every wake queues it there: onto the home's own list
 *       ({@code pinned}, its thread only, a {@code HomeQueue}: each entry
 *       marked with how many tasks had been pushed onto the home's
 *       {@code LocalQueue} when it came, and the worker takes whichever
 *       head came first, so the two run in the order of arrival) when
 *       woken on that thread (or
 *       {@code deferred}, its thread only, when it woke itself while being
 *       polled and nothing else woke it meanwhile, a yield: it runs once
 *       nothing else on the worker is ready, or at the latest 61 ticks later,
 *       when it moves behind {@code pinned}'s tasks), else
 *       onto its {@code RemoteQueue} (any thread), waking the home if it
 *       sleeps ({@code sleeping}, a Dekker pair with the remote queue as
 *       in an executor's loop).</li>
 * </ul>
 * One kind of task is homed before it runs: a poll-based task that a task
 * of another worker spawns onto a given worker ({@code Worker.spawnHere},
 * {@code StealScheduler.spawnOn}) for work that must run on that worker's
 * thread, taking a stream off its reactor so that the stream can follow a
 * task elsewhere ({@code io.weft.net.StreamMove}). The spawning worker
 * numbers and counts it, writes its home, and offers it to the home's
 * remote queue, whose release publishes the home; it is never stolen.
 * Load still spreads (new tasks go to whichever worker is free); a task
 * that suspends does not move afterwards. Moving suspended tasks needs a
 * thread identity per task (a virtual thread's), which is left for later.
 * Since the first run chooses for life, it is balanced: a worker about to
 * run a task for the first time while another has at least 8 fewer tasks
 * living on it (and under four fifths as many) hands every other such task
 * to that worker instead ({@code Spread.homeOfNewTask}; never to a worker
 * blocking in place, whose {@code blocking} flag, volatile, its own thread
 * writes): it writes the
 * task's home, then offers it to that worker's remote queue (the offer's
 * release is the home's partner), and the task is that worker's from then
 * on, exactly as if it had been stolen. Before that, a burst of
 * connections accepted by one task all started, through its worker's LIFO
 * slot, on that worker before a parked worker woke to steal, and stayed
 * there (BENCHMARKS.md, TCP echo).
 *
 * <h2>Threads</h2>
 * <ul>
 *   <li>A worker's thread alone touches its {@code pinned} and
 *       {@code deferred} lists, its
 *       {@code budget}, {@code polling}, {@code searching} and the owner's
 *       end of its {@code LocalQueue} (push, pop); thieves take from the
 *       other end (see LocalQueue).</li>
 *   <li>Any thread: {@code schedule} (a wake), the shared queue (a
 *       compare-and-set push; one worker at a time takes, see
 *       {@code Inject}), a worker's {@code RemoteQueue} (an MPSC queue), the
 *       count of spawns from outside (a {@code LongAdder}; the live count is
 *       the spawns minus the completions, each worker counting its own with
 *       release stores, see {@code StealScheduler.liveTasks}), the failure
 *       reports' offer. A worker's
 *       list of the tasks that live on it ({@code residents}, through
 *       {@code Task.prevLive/nextLive}) is its thread's alone: a task joins
 *       it after a poll that leaves it unfinished and leaves it when it
 *       completes, both on that worker.</li>
 *   <li>The task state word and its transitions are those of
 *       {@code io.weft.task}: whichever worker takes a task off a queue owns
 *       it for the turn (RUNNING); the self-wake shortcut is taken only on
 *       the thread polling that very task ({@code TaskOwner.pollsHere}),
 *       since another worker may wake it meanwhile. The cooperative budget
 *       a task's context keeps is that of the worker where it first ran,
 *       which is the one that polls it ever after.</li>
 * </ul>
 *
 * <h2>Idle workers (tokio's protocol)</h2>
 * At most half the workers search (steal) at once; work queued from
 * outside, or more than a worker can run next, wakes a parked worker only
 * when nobody searches; the last searcher to find work wakes another; the
 * last searcher to give up looks at every stealable queue once more before
 * it parks. A worker leaves the parked list either because a notifier took
 * it off (its {@code notified} flag, set under the idle lock; it then
 * counts as searching) or by itself, woken for a task of its own
 * ({@code Idle.unparkSelf}). The counts and the re-check are in
 * {@code Idle}; the jcstress test {@code StealParkTest} races a spawn from
 * outside against the last searcher parking, and {@code WakeVsStealTest} a
 * wake from outside against a steal and first run (the wake is served once:
 * by that poll, or by one entry on the new home's remote queue, never on a
 * queue another worker could take it from).
 * A worker built with {@code spinBeforePark} first spins that long, looking
 * at its own queues, the executor's, its timers and (every 32 rounds) its
 * reactor; it is not parked meanwhile, so nothing needs to unpark it.
 *
 * <p>A worker that has opened its reactor (at the first I/O of a task that
 * lives there) parks inside it ({@code IoDriver.park}, bounded by its next
 * timer), and notifiers wake it with {@code IoDriver.wakeup()} instead of
 * {@code LockSupport.unpark}. The reactor is written once (volatile) by the
 * worker's thread during a task's poll, before the worker ever parks in it;
 * a notifier sets {@code notified} or offers to the remote queue before it
 * reads the reactor, and the worker reads both after, so a notifier that
 * found no reactor was seen by the worker's re-check. The park also runs
 * the wakers of completed I/O, which queue tasks that live here on
 * {@code pinned}: the park loop ends when that is non-empty. The reactor is
 * polled every 61 ticks while the worker has work, and closed by the
 * worker's thread when it stops (after every task ended).
 *
 * <h2>{@link io.weft.steal.LocalQueue}: a worker's run queue</h2>
 * <ul>
 *   <li><b>Threads.</b> One owner (the worker's thread) pushes and pops;
 *       any other worker's thread steals. {@code tail} is written by the
 *       owner alone (release) and read by thieves (acquire); {@code head}
 *       (two ints: {@code steal}, {@code real}) changes only by CAS, by the
 *       owner's pop and overflow and by a thief's claim and give-back. The
 *       slots are plain: the owner writes slot {@code tail} before releasing
 *       {@code tail}, a thief reads its claimed slots before the CAS that
 *       gives them back, and the owner refills a slot only after its acquire
 *       of {@code head} shows it given back.</li>
 *   <li><b>States of a slot index {@code i}</b> (in ring order):
 *       {@code [steal, real)} claimed by one thief and being copied;
 *       {@code [real, tail)} queued, handed out by the owner's pop (CAS of
 *       {@code real}) or claimed by a thief (CAS of {@code real}, only when
 *       no other claim is open: {@code steal == real}); the rest free. At
 *       most one claim is open at a time, so a second thief backs off.</li>
 *   <li><b>Who owns a task.</b> A queued task belongs to the queue. The
 *       CAS that moves {@code real} past it gives it to the owner's pop or to
 *       the claiming thief, who puts it into its own queue (or runs it); the
 *       owner's overflow CAS gives half the queue to the shared queue. A
 *       task is therefore in exactly one queue or in one thread's hands,
 *       which {@code weft-jcstress}'s {@code LocalQueueTest} checks (owner
 *       against a thief, a full push against a thief, two thieves: each task
 *       exactly once, capacity 4, across the wrap of the ring and of the
 *       int indices) and Lincheck checks against a sequential deque.</li>
 * </ul>
 *
 * <h2>Close</h2>
 * From a thread that is not a worker: refuse spawns from outside, raise
 * {@code closing} and wake every worker. Each worker, on seeing it, aborts
 * the tasks that live on it, and aborts every task it takes off a queue
 * from then on (one never started runs no body); a task spawned from then
 * on is aborted at its spawn. Each runs its cancellation path, and its
 * {@code finally} blocks, on its worker. The closing thread waits until the
 * count of live tasks is zero, then stops the workers and joins their
 * threads, then reports failures nobody looked at.
 */
package io.weft.steal;
