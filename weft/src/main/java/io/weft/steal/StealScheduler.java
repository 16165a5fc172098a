package io.weft.steal;

import io.weft.Driver;
import io.weft.Future;
import io.weft.blocking.BlockingPool;
import io.weft.StealingExecutorStats;
import io.weft.coro.CoroutineTask;
import io.weft.coro.Coroutines;
import io.weft.executor.FailureReports;
import io.weft.sys.Affinity;
import io.weft.task.Budget;
import io.weft.task.CurrentLoop;
import io.weft.task.FutureTask;
import io.weft.task.Task;
import io.weft.task.TaskOwner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;

/**
 * The engine behind {@link io.weft.StealingExecutor}: the owner of every
 * task of the executor (its tasks move between workers, the owner stays),
 * the workers, the shared queue, the idle protocol and the count of live
 * tasks. See {@code package-info.java} for the threads and the ownership of
 * a task.
 */
public final class StealScheduler implements TaskOwner, io.weft.diag.Registry.Dumpable {
    final String name;
    final StealWorker[] workers;
    final Inject inject = new Inject();
    final Idle idle;
    /**
     * Tasks spawned from outside the workers (those spawned on a worker are
     * in its counters). With the workers' spawn and completion counters it
     * gives the count of live tasks ({@link #liveTasks}): no shared counter
     * is touched by a spawn or a completion on a worker.
     */
    private final LongAdder spawnedOutside = new LongAdder();
    /** Tasks completed off their home worker's thread (none is expected; counted so that none is missed). */
    private final LongAdder completedElsewhere = new LongAdder();
    private final FailureReports failures;
    private final ReentrantLock failuresLock = new ReentrantLock();
    private final Object facade;

    /** No more spawns from outside (a shutdown or close began). */
    private volatile boolean refusing;
    /** Spawns are aborted at once, and so is every task a worker takes or has (a close began). */
    volatile boolean closing;
    /** Workers leave their loops. */
    volatile boolean stopping;

    /** The driver the builder asked for (null: the property's or the best available), for each worker's reactor. */
    final Driver driverChoice;

    public StealScheduler(Object facade, String name, int workers, Driver driverChoice,
                          BiConsumer<String, Throwable> onUnobservedFailure) {
        this.driverChoice = driverChoice;
        if (workers < 1) {
            throw new IllegalArgumentException("a StealingExecutor needs at least 1 worker, was " + workers);
        }
        this.facade = facade;
        this.name = name;
        this.idle = new Idle(workers);
        this.failures = new FailureReports(name, onUnobservedFailure);
        this.workers = new StealWorker[workers];
        for (int i = 0; i < workers; i++) {
            this.workers[i] = new StealWorker(this, i);
        }
    }

    /** Where {@code Weft.spawnBlocking} runs for this executor's tasks: the JVM's pool unless the builder set a cap; set before {@link #start} (the threads' start publishes it). */
    private BlockingPool blocking = BlockingPool.shared();

    /** A blocking pool of this executor's own, of at most {@code max} threads (the builder's); before {@link #start}. */
    public void blockingThreads(int max) {
        this.blocking = new BlockingPool(max, BlockingPool.shared().keepAliveNanos(), "weft-blocking-" + name + "-");
    }

    BlockingPool blockingPool() {
        return blocking;
    }

    /** How long a worker with nothing to run spins before it parks; set before {@link #start}. */
    long spinNanos;

    /** See {@code StealingExecutor.Builder.spinBeforePark}; before {@link #start} (the threads' start publishes it). */
    public void spinBeforePark(long nanos) {
        this.spinNanos = nanos;
    }

    /**
     * Starts one platform thread per worker, named {@code name-i}; worker i
     * pins itself to {@code cpus.get(i)} first (an empty array: not pinned).
     */
    public void start(List<int[]> cpus) {
        io.weft.diag.Registry.add(this);
        for (StealWorker w : workers) {
            int[] mine = cpus.get(w.index);
            Thread t = new Thread(() -> {
                if (mine.length > 0) {
                    try {
                        Affinity.set(mine);
                    } catch (RuntimeException e) {
                        io.weft.task.Log.get().log(System.Logger.Level.WARNING, "worker " + name + "-" + w.index
                                + " runs unpinned: pinning it to " + java.util.Arrays.toString(mine) + " failed", e);
                    }
                }
                w.run();
            }, name + "-" + w.index);
            w.thread = t;
            t.start();
        }
    }

    Object facade() {
        return facade;
    }

    /** Before {@link #start}: stall detection ({@code stallNanos} &gt; 0) and the poll-time histogram, on every worker. */
    public void diagnostics(long stallNanos, java.util.function.Consumer<io.weft.Stall> handler,
                            boolean pollTimeHistogram) {
        for (StealWorker w : workers) {
            w.probe = new io.weft.diag.PollProbe(w.name(), stallNanos, handler, pollTimeHistogram);
        }
    }

    /** tokio's metrics of each worker; any thread (none once closed). */
    @Override
    public List<io.weft.ExecutorMetrics> metrics() {
        if (stopping) {
            return List.of();
        }
        List<io.weft.ExecutorMetrics> out = new ArrayList<>(workers.length);
        for (StealWorker w : workers) {
            out.add(w.metrics());
        }
        return out;
    }

    @Override
    public String name() {
        return name;
    }

    /** Every live task that has started on a worker or waits in a worker's queue (see StealingExecutor.dumpTasks). */
    @Override
    public List<io.weft.TaskInfo> dumpTasks() {
        return io.weft.diag.TaskDumps.dumpAll(List.of(workers));
    }

    public int workers() {
        return workers.length;
    }

    /** The worker of this executor running on this thread, or null. */
    StealWorker currentWorker() {
        return CurrentLoop.get() instanceof StealWorker w && w.scheduler == this ? w : null;
    }

    // =====================================================================
    // Spawning
    // =====================================================================

    /** A coroutine task, from any thread: queued on this thread's worker, else on the shared queue. */
    public <T> Task<T> spawn(String taskName, Callable<T> body) {
        Coroutines.ensureAvailable();
        return spawnTask(new CoroutineTask<>(this, taskName, body));
    }

    /** A poll-based task, from any thread: as {@link #spawn(String, Callable)}. */
    public <T> Task<T> spawn(Future<T> future) {
        return spawnTask(new FutureTask<>(this, null, future));
    }

    /**
     * A poll-based task spawned by a task of another worker, homed on
     * {@code home} from the start ({@code Worker.spawnHere}): counted and
     * numbered by the spawning worker, written to {@code home}'s remote
     * queue (whose release publishes its home), and never stolen.
     */
    <T> Task<T> spawnOn(StealWorker home, Future<T> future) {
        StealWorker w = currentWorker();
        if (w == null) {
            throw new IllegalStateException("spawnHere is called by a task of " + name + ", not from " + Thread.currentThread().getName());
        }
        FutureTask<T> t = new FutureTask<>(this, null, future);
        register(t, w);
        t.queue = home;
        home.offerFromAfar(t);
        return t;
    }

    private <T> Task<T> spawnTask(Task<T> t) {
        StealWorker w = currentWorker();
        if (w == null && refusing) {
            throw new RejectedExecutionException("executor " + name + " is shutting down: it takes no new tasks");
        }
        register(t, w);
        if (w == null && refusing) {
            // A close or shutdown began while this spawn went on. We counted the task, then read refusing; it
            // raises refusing, then reads the count: either it counted this task and waits for it (we read
            // false, and queue it below), or the spawn is refused here (we read true): the count is taken back
            // and the task never queued, so nothing of it is left for workers that may be gone by now (jcstress
            // SpawnVsCloseTest).
            spawnedOutside.decrement();
            t.abort();
            throw new RejectedExecutionException("executor " + name + " is shutting down: it takes no new tasks");
        }
        schedule(t, w);
        return t;
    }

    /** Numbers and counts a new task (by {@code w}, or as spawned from outside); aborted first if the executor closes. */
    private void register(Task<?> t, StealWorker w) {
        if (w != null) {
            w.number(t);
            w.counters.spawned();
        } else {
            spawnedOutside.increment();
        }
        if (closing) {
            t.abort(); // spawned while the executor closes: it never runs its body
        }
    }

    // =====================================================================
    // TaskOwner
    // =====================================================================

    /**
     * A task that has run goes back to its home worker (see package-info:
     * a coroutine's frames must resume on the thread that froze them, and
     * its timers are in that worker's wheel): onto that worker's own list
     * (behind the others if it woke itself while polled, a yield; not if
     * another thread woke it during its poll, a wake like any), or, from
     * another thread, its remote queue (waking it if it sleeps). A
     * task that has not run yet: on a worker, onto its local queue (half of
     * a full one goes to the shared queue), waking a parked worker if this
     * one has more than it can run next and nobody searches; from
     * elsewhere, onto the shared queue, waking a parked worker if nobody
     * searches. Either kind, spawned or woken by the task a worker polls
     * (and living there, if it has run), goes to that worker's LIFO slot,
     * unless the wake comes from that task's end (a joiner, a scope): a
     * task that joins its children in turn would otherwise be resumed
     * ahead of the next child, find it unfinished and suspend again, once
     * per child; queued behind them, it finds most of them done.
     */
    @Override
    public void schedule(Task<?> task) {
        schedule(task, currentWorker());
    }

    /** {@link #schedule(Task)} from {@code w}, this thread's worker (null: from outside). */
    private void schedule(Task<?> task, StealWorker w) {
        if (w != null && w.blocking && task.queue == null) {
            w = null; // in blockInPlace: a new task goes where the other workers take it
        }
        if (w != null && !w.blocking && w.polling != null && w.polling != task
                && (task.queue == null || task.queue == w) && !w.polling.isFinished()) {
            // Spawned or woken by the task this worker polls: next, in the LIFO slot; what was there goes on.
            Task<?> previous = w.lifo;
            w.lifo = task;
            if (previous != null) {
                w.enqueue(previous);
            }
            return;
        }
        if (task.queue instanceof StealWorker home) {
            // It has run, on its home worker: its frames and its timers are there, it runs there again.
            if (home == w) {
                if (w.polling == task && task.wokeItself()) {
                    home.deferred.add(task); // a yield runs after the others
                } else { // a wake, also one from another thread during its poll
                    home.pin(task);
                }
            } else {
                home.offerFromAfar(task);
            }
            return;
        }
        if (w != null) {
            if (w.queue.push(task, inject)) {
                w.counters.overflow();
            }
            if (!w.searching && w.queue.size() > 1) {
                notifyOthers();
            }
        } else {
            inject.push(task);
            notifyParked();
        }
    }

    /**
     * A worker has more queued than it runs next: wakes another (see
     * {@link #notifyParked}), if there is another (one worker has nobody to
     * wake, and the read of the idle word costs an atomic per spawn).
     */
    void notifyOthers() {
        if (workers.length > 1) {
            notifyParked();
        }
    }

    /** Wakes one parked worker if the idle protocol says so. */
    void notifyParked() {
        StealWorker w = idle.workerToNotify(workers);
        if (w != null) {
            w.unpark();
        }
    }

    /** Whether any stealable queue holds a task (the last searcher's look before it parks). */
    boolean hasWork() {
        if (!inject.isEmpty()) {
            return true;
        }
        for (StealWorker w : workers) {
            if (!w.queue.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** Whether this thread is one of the workers (a task of this executor is running on it). */
    @Override
    public boolean inLoop() {
        return currentWorker() != null;
    }

    /** Only the worker polling {@code task} takes the self-wake shortcut. */
    @Override
    public boolean pollsHere(Task<?> task) {
        StealWorker w = currentWorker();
        return w != null && w.polling == task;
    }

    @Override
    public void suspended(Task<?> task) {
        // every task that has run is in its home worker's list already
    }

    /**
     * The budget of the worker polling the task: the task's home from its
     * first run on, where it stays, so the context that keeps this budget
     * stays right.
     */
    @Override
    public Budget budget() {
        StealWorker w = currentWorker();
        if (w == null) {
            throw new IllegalStateException("the budget of " + this + " asked for off its workers");
        }
        return w.budget;
    }

    /** On the task's home worker (a task completes where it runs, and it runs only at home once started). */
    @Override
    public void completed(Task<?> task) {
        if (task.queue instanceof StealWorker home && home.thread == Thread.currentThread()) {
            home.unregister(task);
            home.counters.completed();
        } else {
            completedElsewhere.increment();
        }
    }

    @Override
    public void failedUnobserved(Task<?> task, Throwable error) {
        failures.addFromElsewhere(task, error);
    }

    @Override
    public void failedLeftBehind(Task<?> task, Throwable error) {
        failures.addLeftBehind(task, error);
    }

    /** An idle worker's chore: report failures whose handles were collected unseen. */
    void sweepFailures() {
        if (failuresLock.tryLock()) {
            try {
                failures.sweep(false);
            } finally {
                failuresLock.unlock();
            }
        }
    }

    @Override
    public String whyNotRunning() {
        return stopping ? "executor " + name + " is closed" : null;
    }

    /**
     * Spawned minus completed, from any thread. The completions are read
     * first, with acquire loads, then the spawns. A task whose completion is
     * read has its spawn read too (counted before the task was queued), and
     * so has every task it spawned (counted before its completion, on its
     * thread): the figure is never negative, and it reads zero only if no
     * task is alive (a live task's nearest ancestor whose spawn was read, an
     * outside spawn at the root, counts as not completed). A close waits
     * for that zero; no spawn can follow it (only a live task, or an
     * outside spawn, refused by then, spawns).
     */
    public int liveTasks() {
        long done = completedElsewhere.sum();
        for (StealWorker w : workers) {
            done += w.counters.completedCount();
        }
        long spawned = spawnedOutside.sum();
        for (StealWorker w : workers) {
            spawned += w.counters.spawnedCount();
        }
        return (int) (spawned - done);
    }

    /** The counters now (any thread); see {@link StealingExecutorStats}. */
    public StealingExecutorStats stats() {
        List<StealingExecutorStats.Worker> ws = new ArrayList<>(workers.length);
        long spawned = spawnedOutside.sum();
        long completed = 0;
        for (StealWorker w : workers) {
            ws.add(w.counters.snapshot(w.index, Math.max(0, w.queue.size())));
            spawned += w.counters.spawnedCount();
            completed += w.counters.completedCount();
        }
        return new StealingExecutorStats(name, spawned, completed, liveTasks(), inject.length(), inject.overflows(),
                List.copyOf(ws));
    }

    // =====================================================================
    // Shutdown and close (from any thread but the workers)
    // =====================================================================

    private void checkNotOnWorker(String what) {
        if (currentWorker() != null) {
            throw new IllegalStateException(what + " called from a task of executor " + name
                    + ": a StealingExecutor is stopped from another thread");
        }
    }

    /** The first shutdown's answer; null before one ended. Under {@code this}. */
    private Boolean shutdownResult;
    /** Tasks were live when the first close began: it cancelled them. Written once, before {@code closing}. */
    private volatile boolean closeCancelled;

    /**
     * Refuses spawns from outside, waits up to {@code grace} for the live
     * tasks to finish, then closes; whether they all finished in time. Every
     * later call gives the first one's answer; one after a close answers at
     * once, false if the close cancelled a task.
     */
    public boolean shutdown(Duration grace) {
        checkNotOnWorker("shutdown");
        if (io.weft.coro.Await.maySuspendHere()) {
            // a task of another executor: it waits suspended, its executor going on
            return io.weft.executor.ShutdownSteps.onAThreadOfItsOwn(name + "-stopping", () -> shutdown(grace));
        }
        long deadline = System.nanoTime() + io.weft.time.Deadlines.graceNanos(grace); // before any change of state
        refusing = true;
        boolean inTime = (closing || waitForNoLiveTasks(deadline)) && !closeCancelled;
        close();
        synchronized (this) {
            if (shutdownResult == null) {
                shutdownResult = inTime;
            }
            return shutdownResult;
        }
    }

    /**
     * Aborts every live task (their finally blocks run on the workers), waits
     * for them, stops the workers. The aborts are the workers' own: each, on
     * seeing {@code closing}, aborts the tasks that live on it, and every
     * task it takes off a queue from then on; a task spawned from then on is
     * aborted at its spawn.
     */
    public void close() {
        checkNotOnWorker("close");
        if (io.weft.coro.Await.maySuspendHere()) {
            io.weft.executor.ShutdownSteps.onAThreadOfItsOwn(name + "-stopping", () -> {
                close();
                return null;
            });
            return;
        }
        startClosing();
        waitForNoLiveTasks(Long.MAX_VALUE);
        stopping = true;
        for (StealWorker w : workers) {
            w.unpark();
        }
        io.weft.diag.StallWatchdog.handlerWaitsForLoops(); // an onStall handler that closes its executor
        boolean interrupted = false;
        for (StealWorker w : workers) {
            Thread t = w.thread;
            while (t != null && t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        failuresLock.lock();
        try {
            failures.sweepLast();
        } finally {
            failuresLock.unlock();
        }
        io.weft.diag.Registry.remove(this);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The close's first step: no spawn from outside is taken from now on
     * (see {@link #spawnTask} for the race with one under way), every task
     * is to be aborted, and the workers are told.
     */
    void startClosing() {
        refusing = true;
        synchronized (this) {
            if (!closing) {
                closeCancelled = liveTasks() != 0;
                closing = true;
            }
        }
        for (StealWorker w : workers) {
            w.unpark(); // so that it sees the close
            BlockInPlace.interrupt(w); // a body blocking in place would keep its task from the abort for ever
        }
    }

    public boolean isClosed() {
        return stopping;
    }

    /** Waits until no task is live or the deadline passes; whether none is. */
    private boolean waitForNoLiveTasks(long deadline) {
        while (liveTasks() != 0) {
            long left = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            LockSupport.parkNanos(Math.min(left, 1_000_000L)); // polled: the count has no waiter list
        }
        return true;
    }

    @Override
    public String toString() {
        return "StealingExecutor " + name;
    }
}
