/**
 * Tasks: the state word, waking, aborting and joining.
 *
 * <h2>Who holds a task</h2>
 * <ul>
 *   <li>The <b>owner</b> executor: one loop thread, fixed for the task's life.
 *       Only it polls the task, and only it touches the bookkeeping fields
 *       {@code queue}, {@code prevLive}, {@code nextLive}, {@code registered},
 *       the poll and self-wake flags, and the output slot before COMPLETE.
 *       {@code nextInQueue} is the link of the remote queue, written by the
 *       thread that queues the task there. The fields of
 *       {@code TaskIdentity} (name, id, birth, poll count) are the owner
 *       thread's too: the id and birth are written once when it admits the
 *       task, the count at each poll; other threads may read them stale,
 *       which only shows in messages and dumps.</li>
 *   <li><b>Wakers</b>: the task itself ({@code Task implements Waker}), held
 *       by futures the task waits on. Any thread may call {@code wake()}.</li>
 *   <li>The <b>join handle</b>: also the task itself. Any number of waiters,
 *       on any threads, may poll it and call {@code abort()}.</li>
 * </ul>
 *
 * <h2>When tasks move between threads (a StealingExecutor)</h2>
 * The owner is then the executor's scheduler, and "the owner thread" above
 * reads "the worker that took the task off a queue, for that turn": the
 * state word's RUNNING bit still gives one poll at a time, and each hand-off
 * between workers goes through a queue whose release/acquire (a local
 * queue's tail and head, the shared queue's lock, a remote queue's
 * exchange) orders the previous turn's writes of the bookkeeping fields
 * before the next turn. What still holds as written: the transitions, the
 * join protocol, wakers on any thread. What changes: the self-wake shortcut
 * asks {@code owner.pollsHere(task)} (the thread polling that very task,
 * not any worker); {@code queue} holds the task's home worker once a
 * coroutine task has run (it never moves after that, see
 * {@code io.weft.steal}); {@code prevLive}/{@code nextLive}/{@code
 * registered} link the home worker's list of its residents (that worker's
 * thread only);
 * {@code nextInQueue} is also the link of the shared queue, under its lock.
 *
 * <h2>The state word (one int, through a VarHandle)</h2>
 * <pre>
 * bit  name           set by                         cleared by                  meaning
 * 0    RUNNING        owner, transitionToRunning      owner, toIdle / toComplete  the owner is polling it
 * 1    COMPLETE       owner, toComplete              never                       output published
 * 2    NOTIFIED       wake / abort / spawn           owner, toRunning/toComplete queued, or to be queued when
 *                                                                                the current poll ends
 * 3    CANCELLED      abort                          never                       run the cancellation path
 * 4    JOIN_INTEREST  a pending join poll, one that  never                       somebody waits for, or has
 *                     reads a failure, or peek();                                seen, the output
 *                     a detached wait when the
 *                     count below is full
 * 5    JOIN_WAKER     join poll (CAS, fails on        never                       a join waker is registered
 *                     COMPLETE)
 * 6    FAILURE_       a join poll that throws the    never                       a caller has received the
 *      RECEIVED       task's TaskFailedException                                 failure (a scope's peek does
 *                                                                                not count)
 * 16-  DETACHED       a detached wait's first        that wait's cancel          waits through detached() that
 * 30   (a count)      pending poll (+1, with         (-1; any thread)            registered and have not
 *                     JOIN_WAKER; when full,                                     ended: an interest that
 *                     JOIN_INTEREST instead)                                     leaves with them
 * </pre>
 *
 * <h2>Transitions (every one a CAS loop; each returns what the caller must do)</h2>
 * <ol>
 *   <li><b>spawn</b>: the task starts NOTIFIED and the spawner pushes it on a
 *       run queue. The owner owns it.</li>
 *   <li><b>toRunning</b> (owner, after popping it): requires NOTIFIED, not
 *       RUNNING, not COMPLETE (else {@link java.lang.IllegalStateException}
 *       with the state word); clears NOTIFIED, sets RUNNING. Returns
 *       {@code SUCCESS} (poll it) or {@code CANCELLED} (run the cancellation
 *       path). The owner owns it.</li>
 *   <li><b>toIdle</b> (owner, the poll returned pending): clears RUNNING.
 *       Returns {@code OK} — nobody woke it, the task now belongs to whoever
 *       holds its wakers — or {@code OK_NOTIFIED} — it was woken or aborted
 *       during the poll, NOTIFIED stays set, and the owner must queue it
 *       again (it still owns it).</li>
 *   <li><b>toComplete</b> (owner, the poll returned a value, threw, or the
 *       cancellation path ended): the output is written first, then the CAS
 *       sets COMPLETE and clears RUNNING and NOTIFIED. This CAS is the
 *       release that pairs with the acquire read of the state in
 *       {@code Task.poll} (the join side). If the state before had
 *       JOIN_WAKER, the owner wakes every registered join waker. Nobody
 *       owns the task any more; it is garbage once its handles are.</li>
 *   <li><b>wake</b> (any thread): if COMPLETE or NOTIFIED, nothing. Else set
 *       NOTIFIED; if the task was not RUNNING, the waker that set the bit
 *       calls {@code owner.schedule(task)} — whichever side set NOTIFIED
 *       first takes over the responsibility to queue it, exactly once. If it
 *       was RUNNING, the owner sees NOTIFIED in toIdle and queues it. This is
 *       the lost-wakeup race ("returns pending" vs "waker fires"), pinned by
 *       the jcstress tests in {@code weft-jcstress}.</li>
 *   <li><b>self-wake</b> (road 0, owner thread only): a task that wakes
 *       itself during its own poll ({@code yieldNow}, a spent budget) sets a
 *       plain flag instead of NOTIFIED; after the poll the owner queues it
 *       again <i>still RUNNING</i>, with no atomic operation. When it is popped,
 *       {@code turn()} sees RUNNING and polls it without toRunning (clearing a
 *       NOTIFIED that a foreign wake set meanwhile: that poll serves it). Other
 *       threads see RUNNING all along, so their wakes only set NOTIFIED and
 *       their aborts only set CANCELLED|NOTIFIED, both picked up by that
 *       poll. RUNNING thus means "owned by the loop: being polled, or queued
 *       by its own wake".</li>
 *   <li><b>abort</b> (any thread): if COMPLETE or CANCELLED, nothing (so
 *       aborting a finished task changes nothing). Else set CANCELLED and
 *       NOTIFIED; if neither RUNNING nor NOTIFIED was set, schedule it as a
 *       wake does. Then the thread whose CAS set CANCELLED, and only it,
 *       calls the task's {@code aborted(before)} hook: nothing for an
 *       executor's task; a blocking task stops its body there (see
 *       {@code io.weft.blocking}). An abort that comes while the task is
 *       polled does not change what that poll gives: a value is kept, and
 *       so is a failure of the body's own; only a throw that carries the
 *       cancellation ({@code thrownByAbort}: an await's
 *       TaskCancelledException, or a blocking body's throw after the
 *       abort's interrupt landed) completes it as cancelled.</li>
 *   <li><b>join poll</b> (any thread): read the state (acquire). If COMPLETE,
 *       spend one unit of the caller's budget and return the output. Else
 *       push the caller's waker on the join stack (a Treiber stack, skipping
 *       a waker already there), then CAS in JOIN_WAKER | JOIN_INTEREST; if
 *       that CAS finds COMPLETE, the completer may have missed the waker, so
 *       return the output now instead of pending.</li>
 *   <li><b>join wake</b> (owner, in toComplete): take the whole join stack
 *       and wake each waker once. A waiter that pushed before the completing
 *       CAS is either woken here (it had set JOIN_WAKER) or sees COMPLETE in
 *       its own CAS (it had not). Unlike tokio's single join-waker slot, the
 *       stack lets many waiters on many threads share one handle. It comes
 *       last in toComplete, after the unobserved-failure report and the
 *       owner's {@code completed} count: whoever a join wake reaches finds
 *       the task counted out.</li>
 *   <li><b>detached join</b> (any thread, {@code DetachedJoin}): its first
 *       pending poll pushes the waker, then CAS-adds one to the DETACHED
 *       count with JOIN_WAKER (as a join poll, but without JOIN_INTEREST);
 *       later polls register the waker without interest. A poll that finds
 *       the task complete returns its output as a join poll does (its
 *       count stays: after COMPLETE only a failure nobody received matters,
 *       and this poll received it or there was none).</li>
 *   <li><b>detached leave</b> (any thread, the wait's cancel): an atomic
 *       subtraction of one; see "Failures nobody awaits".</li>
 * </ol>
 *
 * <h2>Tasks that run on no executor</h2>
 * A blocking task ({@code io.weft.blocking.BlockingTask}) is this same state
 * word and join stack, turned by a blocking pool thread instead of an
 * executor: it is queued once, at spawn, and its poll runs the whole body,
 * so it is never idle, never woken and never scheduled again. Its "owner"
 * for a turn is whichever thread claims it first (the pool thread that
 * takes it off the pool's queue, or an abort that finds it still queued);
 * {@code io.weft.blocking}'s package docs give that protocol.
 *
 * <h2>Failures nobody awaits</h2>
 * A task that fails while JOIN_INTEREST is clear and no detached wait is
 * counted is handed to {@code TaskOwner.failedUnobserved}; the executor
 * reports it to its handler once the handle can no longer be awaited
 * (collected) or at close, unless a join poll has set JOIN_INTEREST by then.
 * A detached wait that gives up takes its count back with one atomic
 * subtraction on the state word; if that leaves the task COMPLETE with a
 * failure, no count, no JOIN_INTEREST and no FAILURE_RECEIVED, the wait
 * hands it to {@code TaskOwner.failedLeftBehind} (any thread). The
 * completing CAS and the subtraction are ordered on the same word, so
 * exactly one of them reports it (jcstress {@code
 * DetachedLeaveVsCompletionTest}). Other waiters leave a failure behind
 * the same way ({@code Task.failureLeftBehind}): a {@code firstSuccessful}
 * given up undecided after it saw a child's failure, a scope whose close
 * gave up before a child failed. The LEFT_BEHIND bit, set by an atomic
 * or, lets only the first of them offer it; the executor reports it unless
 * a join receives it first (FAILURE_RECEIVED, looked at when it sweeps).
 *
 * <h2>Failures somebody received</h2>
 * "Received" is not the opposite of "unobserved" above: a scope's child
 * always has JOIN_INTEREST (the scope looks at it), yet its failure may
 * have reached nobody.
 * A {@code TaskScope} registers a join waker on each child (so JOIN_INTEREST
 * is set and the executor never reports a child) and reads each outcome
 * with {@code peek()}, which leaves FAILURE_RECEIVED clear. Every other read
 * of a failure is a join poll, which sets FAILURE_RECEIVED before it throws:
 * the scope throws from {@code join()}/{@code close()} only failures whose
 * bit is still clear, and sets it on those it throws or sets aside for a
 * first-success winner ({@code receiveFailure}), so that a combinator that
 * saw one of them and was given up does not report it too.
 */
package io.weft.task;
