package io.weft.executor;

import io.weft.Future;
import io.weft.Futures;
import io.weft.coro.Coroutines;
import io.weft.io.IoDriver;
import io.weft.task.Task;
import io.weft.task.TaskWords;
import io.weft.time.TimedOutException;
import io.weft.time.Timeout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Shutting an executor down and closing it, from any thread (see
 * package-info, "Shutdown and close"): the phase, the task the close waits
 * for when a task asked for it, and what outside threads wait on. The loop
 * calls {@link #afterTurn()} after every slice and idle turn (and in every
 * maintenance); other threads raise the phase and wait, taking the loop
 * themselves while no thread runs it.
 */
final class Lifecycle {
    /** Open: work is accepted. */
    static final int OPEN = 0;
    /** shutdown(grace) began: no new work from outside; the tasks may finish until the grace ends. */
    static final int DRAINING = 1;
    /** close(): every task but {@link #closeAfter} is cancelled; the loop closes once none is left. */
    static final int CLOSING = 2;
    /** The tasks are gone and the reactor is closed. */
    static final int CLOSED = 3;

    /** How long a thread waiting for a close or shutdown waits before it looks whether it must run the loop. */
    private static final long TAKEOVER_NANOS = 20_000_000L;
    private static final VarHandle PHASE;

    static {
        try {
            PHASE = MethodHandles.lookup().findVarHandle(Lifecycle.class, "phase", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ExecutorCore core;
    /** OPEN, DRAINING, CLOSING, CLOSED: only ever raised, by any thread; read by the loop after every slice. */
    volatile int phase;
    /** Loop thread: the task that asked for the close from inside; the close ends after it does. */
    private Task<?> closeAfter;
    /** Loop thread: every task but closeAfter was aborted; new ones are aborted as they are admitted. */
    boolean closing;
    /** Completed by the loop when the close is over. */
    final CompletableFuture<Void> terminated = new CompletableFuture<>();
    /**
     * Made when a drain with that target starts (under {@link #drainLock}):
     * completed by the loop once no task ([0]: a shutdown from another
     * thread), or only one ([1]: from a task, the caller itself) is live.
     * One each, so that a shutdown from a task during one from outside waits
     * for the others only.
     */
    @SuppressWarnings("unchecked")
    private final CompletableFuture<Void>[] quiet = new CompletableFuture[2];
    /**
     * Tasks of this executor waiting in {@link #shutdown} (loop thread only):
     * the drain from inside waits for the other tasks, not for them (two
     * callers waited for each other until their grace ran out), and the
     * close that follows spares them as it spares {@link #closeAfter}.
     */
    private final java.util.ArrayList<Task<?>> shuttingDownInside = new java.util.ArrayList<>(1);
    private final Object drainLock = new Object();
    /** The answer of the first shutdown: whether every task finished within its grace. */
    private volatile Boolean shutdownResult;
    /** The close cancelled at least one task (written by the loop thread when the close starts). */
    private volatile boolean closeCancelled;

    Lifecycle(ExecutorCore core) {
        this.core = core;
    }

    /** Throws RejectedExecutionException once shutdown or close began. */
    void checkAccepting() {
        int p = phase;
        if (p != OPEN) {
            throw new RejectedExecutionException("executor " + core.name + " is "
                    + (p == DRAINING ? "shutting down" : p == CLOSING ? "closing" : "closed")
                    + ": it takes no new tasks");
        }
    }

    /**
     * Closes: every task is cancelled (its {@code finally} blocks run), then
     * the reactor closes. Idempotent; from any thread.
     * <ul>
     *   <li>From another thread: returns once the close is over. The thread
     *       that runs the loop does it (a {@code run} then throws
     *       TaskCancelledException, as its root was cancelled); if no thread
     *       runs it, the caller does (a caller that cannot, a task of
     *       another executor or a virtual thread, has a thread of its own
     *       do it, and waits for that). A task of another executor waits
     *       suspended: its executor runs its other tasks meanwhile.</li>
     *   <li>From a task of this executor: the other tasks are cancelled now,
     *       the calling task goes on (a task it spawns is cancelled at once),
     *       and the close is over when it ends; this returns at once.</li>
     * </ul>
     */
    void close() {
        if (phase == CLOSED) {
            return;
        }
        if (core.inLoop()) {
            closeFromInside();
            return;
        }
        raise(CLOSING);
        awaitFromOutside(terminated, Long.MAX_VALUE);
    }

    /**
     * Stops taking new work (spawns from outside throw
     * RejectedExecutionException; tasks may still spawn helpers), waits up to
     * {@code grace} for every task to finish, then closes (cancels the rest).
     * Returns whether all finished in time. From a task of this executor it
     * waits (the task suspends, on the executor's clock) for the others, then
     * closes when the calling task ends. Idempotent: a second call waits for
     * the first one's close and returns its answer.
     */
    boolean shutdown(Duration grace) {
        long deadline = deadline(grace);
        if (core.inLoop()) {
            if (Coroutines.currentTask() == null) {
                throw new IllegalStateException("shutdown() called on executor " + core.name + "'s thread outside a"
                        + " coroutine task (it could not wait there): call it from a task, or from another thread");
            }
            boolean inTime;
            Task<?> me = Coroutines.currentTask();
            waitingInShutdown(me, true);
            try {
                inTime = awaitInTask(startDrain(1), deadline);
            } finally {
                waitingInShutdown(me, false);
            }
            recordShutdown(inTime && !closeCancelled);
            closeFromInside();
        } else {
            recordShutdown(awaitFromOutside(startDrain(0), deadline) && !closeCancelled);
            close();
        }
        return shutdownResult;
    }

    /** Whether the close (begun or over) cancelled a task: a shutdown after it did not see every task finish. */
    boolean closeCancelled() {
        return closeCancelled;
    }

    /** The System.nanoTime deadline a grace gives from now (a negative grace counts as zero). */
    static long deadline(Duration grace) {
        return System.nanoTime() + io.weft.time.Deadlines.graceNanos(grace);
    }

    /**
     * In a coroutine task: suspends until {@code f} completes (true) or the
     * deadline (System.nanoTime; Long.MAX_VALUE: none) passes (false); the
     * task's executor goes on meanwhile, and times the wait on its clock.
     */
    static boolean awaitInTask(CompletableFuture<Void> f, long deadline) {
        Future<Void> done = Futures.fromCompletionStage(f);
        if (deadline == Long.MAX_VALUE) {
            done.await();
            return true;
        }
        try {
            Timeout.of(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())), done).await();
            return true;
        } catch (TimedOutException e) {
            return false;
        }
    }

    private void recordShutdown(boolean inTime) {
        synchronized (drainLock) {
            if (shutdownResult == null) {
                shutdownResult = inTime;
            }
        }
    }

    /**
     * Starts draining (once per target, 0 or 1): the future completes when at
     * most {@code target} tasks are live, or once the executor is closed (no
     * task is: a shutdown after a close answers at once; see
     * {@link #closeCancelled}).
     */
    CompletableFuture<Void> startDrain(int target) {
        CompletableFuture<Void> q;
        boolean added = false;
        synchronized (drainLock) {
            q = quiet[target];
            if (q == null) {
                q = quiet[target] = new CompletableFuture<>();
                added = true;
            }
        }
        if (phase == CLOSED) { // after the lock's release: pairs with finishClose's store of phase, then lock
            q.complete(null);
        }
        if (!raise(DRAINING) && added) {
            VarHandle.fullFence(); // the drain's store (a lock's release), then the read of sleeping in nudge()
            nudge(); // already draining for another target: a parked loop must look at this one too
        }
        return q;
    }

    /**
     * Whether {@code live} tasks reach a drain's {@code target}: 0, none
     * (a shutdown from outside); 1, none but the caller (from inside); the
     * tasks of this executor waiting in a shutdown (its own, or a pool's)
     * never count: two such callers waited for each other until their
     * grace ran out.
     */
    private boolean reaches(long live, int target) {
        return live <= Math.max(target, shuttingDownInside.size());
    }

    /** Loop thread: {@code task}, of this executor, waits in a shutdown ({@code in}), or no longer. */
    void waitingInShutdown(Task<?> task, boolean in) {
        if (in) {
            shuttingDownInside.add(task);
        } else {
            shuttingDownInside.remove(task);
        }
    }

    /** Completes each drain whose target {@code live} tasks reach. */
    private void completeQuiet(long live) {
        for (int target = 0; target < quiet.length; target++) {
            CompletableFuture<Void> q = quietAt(target);
            if (q != null && reaches(live, target)) {
                q.complete(null);
            }
        }
    }

    /** Whether a drain waits that {@code live} tasks would complete. */
    private boolean quietDue(long live) {
        for (int target = 0; target < quiet.length; target++) {
            CompletableFuture<Void> q = quietAt(target);
            if (q != null && !q.isDone() && reaches(live, target)) {
                return true;
            }
        }
        return false;
    }

    private CompletableFuture<Void> quietAt(int target) {
        synchronized (drainLock) {
            return quiet[target];
        }
    }

    /**
     * From any thread: starts the close ({@link #closeFromInside} on the loop
     * thread, sparing the calling task if {@code spareCaller}); does not wait.
     */
    void beginClose(boolean spareCaller) {
        if (core.inLoop()) {
            closeFromInside(spareCaller);
        } else {
            raise(CLOSING);
        }
    }

    private void closeFromInside() {
        closeFromInside(true);
    }

    private void closeFromInside(boolean spareCaller) {
        Task<?> me = Coroutines.currentTask();
        if (me != null && me.owner() == core) {
            if (spareCaller && !closing && closeAfter == null) {
                closeAfter = me;
            } else if (!spareCaller && closing && me != closeAfter) {
                // The close began while this task waited in a shutdown, which spared it then; not spared now, it
                // goes as the others went (a pool's second caller: it would wait for the spared one's executor,
                // which waits for it)
                closeCancelled = true;
                me.abort();
            }
        }
        raise(CLOSING); // the loop starts the close after this task's turn
    }

    /** Raises the phase to at least {@code p}, then makes a parked loop look at it; whether it rose. */
    private boolean raise(int p) {
        for (;;) {
            int cur = phase;
            if (cur >= p) {
                return false;
            }
            if (PHASE.compareAndSet(this, cur, p)) {
                nudge();
                return true;
            }
        }
    }

    /** Makes the loop run {@link #afterTurn()} soon: after this task's turn, or now if it is parked. */
    private void nudge() {
        if (core.inLoop()) {
            core.scheduler.maintenanceDue(); // from a task: the loop acts right after this task's turn
        } else {
            core.unparkIfSleeping(); // store (phase, drain), then read sleeping: pairs with idle()'s store-then-read
        }
    }

    /**
     * Waits on a thread that is not the loop's until {@code f} completes or
     * the deadline passes; while no thread runs the loop, runs it here. Not
     * interruptible (an interrupt is kept for the caller). True if done.
     */
    boolean awaitFromOutside(CompletableFuture<Void> f, long deadline) {
        io.weft.diag.StallWatchdog.handlerWaitsForLoops(); // an onStall handler that closes its executor
        if (!LoopEntry.mayRunALoop()) {
            return awaitOnAThreadOfItsOwn(f, deadline); // this thread could never take the loop
        }
        boolean interrupted = false;
        try {
            while (!f.isDone()) {
                long left = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                if (core.tryEnter()) {
                    try {
                        driveUntil(f, deadline);
                    } finally {
                        core.exit();
                    }
                    continue;
                }
                try {
                    f.get(Math.min(left, TAKEOVER_NANOS), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    // look again: the thread that ran the loop may have left it (run() returned)
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw new IllegalStateException("executor " + core.name + ": " + e.getCause(), e.getCause());
                }
            }
            return true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * {@link #awaitFromOutside} for a caller that cannot take the loop (it
     * runs another executor's, or is a virtual thread): a platform thread of
     * its own waits, and runs the loop if no thread does (which would
     * otherwise never happen: the wait hung for ever); the caller joins it,
     * or, a coroutine task of another executor, suspends until it is done
     * (blocking that executor's thread for the whole close stopped its other
     * tasks).
     */
    private boolean awaitOnAThreadOfItsOwn(CompletableFuture<Void> f, long deadline) {
        return onAThreadOfItsOwn("weft-" + core.name + "-closing", () -> awaitFromOutside(f, deadline));
    }

    /**
     * Runs {@code step} on a new platform thread named {@code threadName}
     * and gives its answer, or throws what it threw. The caller joins the
     * thread; a coroutine task (of an executor the step waits for, never
     * its own) suspends until it is done instead, so that its executor runs
     * its other tasks meanwhile; an abort of the task ends its wait, not
     * the step.
     */
    @SuppressWarnings("unchecked")
    static <T> T onAThreadOfItsOwn(String threadName, java.util.function.Supplier<T> step) {
        Object[] answer = new Object[1];
        Throwable[] failed = new Throwable[1];
        CompletableFuture<Void> over = io.weft.coro.Await.maySuspendHere() ? new CompletableFuture<>() : null;
        Thread t = Thread.ofPlatform().name(threadName).start(() -> {
            try {
                answer[0] = step.get();
            } catch (Throwable e) {
                failed[0] = e;
            } finally {
                if (over != null) {
                    over.complete(null); // after the stores above: the waiting task reads them once it completes
                }
            }
        });
        if (over != null) {
            awaitInTask(over, Long.MAX_VALUE);
        } else {
            joinUninterruptibly(t); // its stores above happen-before this returns
        }
        if (failed[0] != null) {
            throw io.weft.compose.Sneaky.rethrow(failed[0]);
        }
        return (T) answer[0];
    }

    /** Waits for {@code t} to end; an interrupt meanwhile is kept for the caller, as awaitFromOutside keeps it. */
    private static void joinUninterruptibly(Thread t) {
        boolean interrupted = false;
        for (;;) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Loop thread (taken by a waiting close or shutdown): runs the loop until {@code f} completes or the deadline. */
    private void driveUntil(CompletableFuture<Void> f, long deadline) {
        core.parkLimit = deadline;
        try {
            afterTurn();
            while (!f.isDone() && (deadline == Long.MAX_VALUE || System.nanoTime() - deadline < 0)) {
                core.turn(null);
            }
        } finally {
            core.parkLimit = Long.MAX_VALUE;
        }
    }

    /** Loop thread: whether {@link #afterTurn()} has something to do now (idle must not park). */
    boolean due() {
        int p = phase;
        if (p == OPEN) {
            return false;
        }
        if (p == CLOSED) {
            return true; // closed (perhaps by the maintenance just now): the loop must end, not park
        }
        long live = core.liveTasks();
        return !core.remote.isEmpty() || (p == CLOSING && (!closing || live == 0)) || quietDue(live);
    }

    /** Loop thread, after every slice and idle turn: acts on a shutdown or close asked for meanwhile. */
    void afterTurn() {
        int p = phase;
        if (p == OPEN || p == CLOSED) {
            return;
        }
        core.drainRemote(); // tasks spawned from outside count once admitted
        if (p == CLOSING && !closing) {
            startClose();
        }
        long live = core.liveTasks();
        completeQuiet(live);
        if (!closing || !core.remote.isEmpty()) {
            return;
        }
        if (live == 0) {
            finishClose();
        } else if (closeAfter == null && !core.scheduler.inSlice() && !core.scheduler.hasRunnable()
                && core.suspended.first() != null && core.suspended.first().isCancelRequested()) {
            // Aborted tasks are always queued, so one still live here would never finish.
            Task<?> stuck = core.suspended.first();
            throw new IllegalStateException(live + " task(s) did not finish their cancellation, e.g. task "
                    + stuck + ": " + TaskWords.describe(stuck.state()));
        }
    }

    /** Loop thread: cancels every task but the one that asked for the close from inside. */
    private void startClose() {
        closing = true; // from now on admit() aborts every new task
        core.drainRemote(); // a task spawned from outside before the phase changed (see spawnFromAnyThread)
        core.scheduler.forEachQueued(this::abortUnlessSpared);
        core.suspended.forEach(this::abortUnlessSpared);
    }

    /** The task that asked for the close from inside, and those still in their shutdown, end on their own. */
    private void abortUnlessSpared(Task<?> t) {
        if (t != closeAfter && !shuttingDownInside.contains(t)) {
            closeCancelled = true;
            t.abort();
        }
    }

    /** Loop thread: no task is left; reports failures nobody saw, closes the reactor. */
    private void finishClose() {
        core.failures.sweepLast();
        IoDriver d = core.driverIfOpen();
        if (d != null) {
            d.close();
        }
        phase = CLOSED;
        PausedClockOwners.release(core.clock(), core);
        completeQuiet(0); // after the store of phase: pairs with startDrain's lock, then read of phase
        core.diag.closed();
        terminated.complete(null);
    }
}
