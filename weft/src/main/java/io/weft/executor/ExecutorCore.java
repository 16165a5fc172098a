package io.weft.executor;

import io.weft.Clock;
import io.weft.Context;
import io.weft.Driver;
import io.weft.ExecutorStats;
import io.weft.Future;
import io.weft.Latency;
import io.weft.Poll;
import io.weft.Shares;
import io.weft.TaskQueueHandle;
import io.weft.blocking.BlockingPool;
import io.weft.blocking.BlockingTask;
import io.weft.coro.CoroutineTask;
import io.weft.coro.Coroutines;
import io.weft.io.Drivers;
import io.weft.io.IoDriver;
import io.weft.task.Budget;
import io.weft.task.FutureTask;
import io.weft.task.Task;
import io.weft.task.TaskList;
import io.weft.task.TaskOwner;
import io.weft.time.Timers;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;

/**
 * The engine behind {@link io.weft.LocalExecutor}: one thread's task queues,
 * timers and remote queue, and the loop that runs them.
 *
 * <pre>
 * loop:  pick the active queue with the smallest vruntime
 *        run its tasks until it is empty or its slice ends
 *          (every 61 tasks: drain the remote queue, fire timers)
 *        charge the slice: vruntime += elapsed x 1000 / shares
 *        nothing runnable: drain remote, fire timers, spin, then park
 *          no longer than the next timer (paused clock: jump the clock to it)
 * </pre>
 *
 * <p>Timers run on the executor's {@link Clock}; the scheduler's slices on
 * {@code System.nanoTime()} (see package-info, "Time").
 *
 * <p>Thread contract: everything here runs on the loop thread (the thread
 * inside {@link #run}), except {@link #schedule} from other threads, which
 * takes the remote road. See package-info.
 */
public final class ExecutorCore implements Worker, TaskOwner {

    final String name;
    private final int pinCpu;
    final FailureReports failures;
    private final Object facade;
    /** The clock of the timers (see package-info, "Time"); the scheduler's slices stay on System.nanoTime. */
    private final Clock clock;
    /** The clock is paused (virtual): a due timer is read on it, not on System.nanoTime. */
    private final boolean pausedClock;

    /**
     * The loop thread while a loop runs ({@link #run}, {@link #runOwnLoop}, or
     * a close or shutdown driving it), else null; taken with a CAS so that
     * two threads never both run the loop. Read by other threads to choose
     * the road.
     */
    volatile Thread thread;
    static final VarHandle THREAD;
    /** {@link #tasksCompleted}: stored with release, read with acquire by other threads before {@link #tasksSpawned}. */
    private static final VarHandle COMPLETED;

    static {
        try {
            var l = MethodHandles.lookup();
            THREAD = l.findVarHandle(ExecutorCore.class, "thread", Thread.class);
            COMPLETED = l.findVarHandle(ExecutorCore.class, "tasksCompleted", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    /** Set by the loop just before it parks ({@link IdlePark}); read by remote producers (Dekker pair with the remote queue). */
    volatile boolean sleeping;

    /** The driver asked for (null: the property's or the best available); opened at the first I/O. */
    private final Driver driverChoice;
    /**
     * The reactor, opened by the loop thread at the first I/O ({@link #driver()}). Written before the
     * loop ever parks in it; a remote waker that sees {@code sleeping} also sees it (both volatile).
     */
    private volatile IoDriver driver;
    final RemoteQueue remote = new RemoteQueue();

    final Budget budget = new Budget();
    private final Timers timers;
    final Scheduler scheduler;

    /**
     * Tasks that have waited for a waker at least once and are not complete:
     * an intrusive list, so that close() finds the tasks on no run queue.
     * Tasks that never wait never touch it (nor its long-lived head field).
     */
    final TaskList suspended = new TaskList();


    /** Shutdown and close: the phase and what waits for it (see package-info, "Shutdown and close"). */
    final Lifecycle lifecycle = new Lifecycle(this);
    /** Loop thread: while a close or shutdown drives the loop, idle parks no later than this (System.nanoTime). */
    long parkLimit = Long.MAX_VALUE;
    /** This executor's index in its pool; 0 outside a pool. */
    private int poolIndex;
    /** Its poll probe, the requests its loop answers, its side of task dumps. */
    final CoreDiagnostics diag;
    /** What the loop does when nothing is runnable: spin, jump a paused clock, or park. */
    final IdlePark idlePark;
    /** Which thread runs the loop: taking it, giving it back, lending it to a dump. */
    private final LoopEntry entry;

    // counters
    private long tasksSpawned;
    private long tasksCompleted;
    private long remoteWakes;
    private long timerFires;

    public ExecutorCore(Object facade, String name, int pinCpu, long spinNanos, long preemptNanos,
                        BiConsumer<String, Throwable> failureHandler, Clock clock, Driver driverChoice) {
        this.driverChoice = driverChoice;
        this.clock = clock != null ? clock : Clock.system();
        PausedClockOwners.claim(this.clock, this, name); // first: a refused build leaves nothing behind
        this.pausedClock = this.clock.isPaused();
        this.timers = new Timers(this.clock);
        this.facade = facade;
        this.name = name;
        this.pinCpu = pinCpu;
        this.failures = new FailureReports(name, failureHandler);
        this.scheduler = new Scheduler(this, preemptNanos);
        this.diag = new CoreDiagnostics(this);
        this.idlePark = new IdlePark(this, spinNanos);
        this.entry = new LoopEntry(this, pinCpu);
    }

    /**
     * Before the loop first runs: stall detection ({@code stallNanos} &gt; 0:
     * polls longer are reported to {@code handler}) and the poll-time histogram.
     */
    public void diagnostics(long stallNanos, java.util.function.Consumer<io.weft.Stall> handler,
                            boolean pollTimeHistogram) {
        diag.configure(stallNanos, handler, pollTimeHistogram);
    }

    /** tokio's metrics of this executor; any thread (a value may lag a little). */
    public io.weft.ExecutorMetrics metrics() {
        IoDriver d = driver;
        long completed = completedNow(); // first: the spawn count read after it is at least as large
        long spawned = tasksSpawned;
        return new io.weft.ExecutorMetrics(name, spawned - completed, spawned, completed,
                scheduler.polls, scheduler.runtimeNanos, idlePark.parks, idlePark.unparks, remoteWakes, budget.forcedYields(),
                scheduler.queued(), 0, 0, 0, d != null ? d.completions() : 0, diag.probe.pollTimes());
    }

    /** Every live task of this executor (see {@link io.weft.diag.TaskDumps}); any thread. */
    public java.util.List<io.weft.TaskInfo> dumpTasks() {
        return diag.dumpTasks();
    }

    /** This executor's side of a dump that spans several executors (a pool's). */
    public io.weft.diag.TaskDumps.Site dumpSite() {
        return diag;
    }

    /** The loop thread while a loop runs, else null. */
    Thread loopThread() {
        return thread;
    }

    /** A LocalExecutor's tasks never leave its thread. */
    @Override
    public boolean tasksStayOnThread() {
        return true;
    }

    /** A coroutine task whose code runs in the loop's frames ({@link #outsideItsFrames}); the loop thread only. */
    private Task<?> outsideItsFrames;

    /** Only while a coroutine task's own code runs in the loop's frames: the one case that asks (a store per poll costs). */
    @Override
    public Task<?> taskInTurn() {
        return outsideItsFrames;
    }

    @Override
    public void outsideItsFrames(Task<?> task) {
        outsideItsFrames = task;
    }

    @Override
    public Object facade() {
        return facade;
    }

    public String name() {
        return name;
    }

    // =====================================================================
    // Spawning
    // =====================================================================

    /** Spawns a coroutine task; {@code name} (may be null) appears in messages and failure reports. */
    @Override
    public <T> Task<T> spawn(String name, Callable<T> body, TaskQueueHandle into) {
        Coroutines.ensureAvailable();
        TaskQueue q = scheduler.queueOf(into);
        return admit(new CoroutineTask<>(this, name, body), q);
    }

    public <T> Task<T> spawn(Future<T> future, TaskQueueHandle into) {
        TaskQueue q = scheduler.queueOf(into);
        return admit(new FutureTask<>(this, null, future), q);
    }

    /**
     * Spawns a coroutine task from any thread, into the default queue. On the
     * loop thread this is {@link #spawn(String, Callable, TaskQueueHandle)};
     * from another thread the new task takes the remote road and is admitted
     * (counted, given its queue) when the loop drains it.
     *
     * <p>Against a concurrent shutdown or close: the spawner offers, then
     * reads {@code phase}; they raise {@code phase}, then the loop drains. If
     * the spawner reads OPEN, the drain sees the task (a close aborts it as it
     * is admitted); if it reads more, the spawn is refused, the handle never
     * escapes, and the task, already queued, is aborted before it can run.
     */
    public <T> Task<T> spawnFromAnyThread(String name, Callable<T> body) {
        lifecycle.checkAccepting();
        if (thread == Thread.currentThread()) {
            return spawn(name, body, null);
        }
        Coroutines.ensureAvailable();
        CoroutineTask<T> t = new CoroutineTask<>(this, name, body); // queue stays null until admitted
        remote.offer(t);
        try {
            lifecycle.checkAccepting(); // after the offer: pairs with the loop's drain (see the Javadoc)
        } catch (RejectedExecutionException refused) {
            t.abort(); // it is queued already: when the loop admits it, it never runs its body
            throw refused;
        }
        unparkIfSleeping();
        return t;
    }

    private <T> Task<T> admit(Task<T> t, TaskQueue q) {
        assert inLoop();
        t.queue = q;
        t.assignId(++tasksSpawned);
        t.assignBorn(diag.coarseNanos);
        q.tasksSpawned++;
        scheduler.enqueue(t, q); // a new task starts NOTIFIED: we own it until it runs
        if (lifecycle.closing) {
            t.abort(); // spawned while the executor closes: it never runs its body
        }
        return t;
    }

    /**
     * Runs {@code body} on the JVM's blocking pool, never on this thread
     * (see {@code io.weft.blocking}); a failure nobody awaits is reported
     * by this executor, as its own tasks' are. Loop thread only.
     */
    public <T> Task<T> spawnBlocking(String name, Callable<T> body) {
        assert inLoop();
        return BlockingTask.spawn(BlockingPool.shared(), name, body, failures::addFromElsewhere,
                failures::addLeftBehind);
    }

    public TaskQueueHandle createTaskQueue(String name, Shares shares, Latency latency) {
        if (name == null || shares == null || latency == null) {
            throw new NullPointerException("createTaskQueue(name, shares, latency): no argument may be null");
        }
        return scheduler.newQueue(name, shares, latency);
    }

    @Override
    public void removeTaskQueue(TaskQueueHandle q) {
        scheduler.removeQueue(q);
    }

    // =====================================================================
    // TaskOwner: scheduling, the two roads
    // =====================================================================

    @Override
    public void schedule(Task<?> task) {
        if (thread == Thread.currentThread()) {
            scheduler.enqueue(task, (TaskQueue) task.queue); // road 1: the owner thread pushes directly
        } else {
            remote.offer(task); // road 2: another thread queues the wake and unparks the owner
            unparkIfSleeping();
        }
    }

    void unparkIfSleeping() {
        if (sleeping) { // pairs with the store of sleeping in idle(): one of the two sees the other
            IoDriver d = driver;
            if (d != null) {
                d.wakeup();
                return;
            }
            Thread t = thread;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }

    /**
     * The executor's reactor, opened on first use (loop thread only): the
     * builder's driver, else the {@code weft.driver} property's, else the
     * best this machine allows.
     */
    public IoDriver driver() {
        IoDriver d = driver;
        if (d != null) {
            return d;
        }
        if (thread != Thread.currentThread()) {
            throw new IllegalStateException("I/O of executor " + name + " used from thread "
                    + Thread.currentThread().getName() + ": sockets and files belong to the executor that made them");
        }
        if (lifecycle.phase == Lifecycle.CLOSED) {
            throw new IllegalStateException("executor " + name + " is closed");
        }
        d = Drivers.open(driverChoice);
        d.bindTo(thread);
        driver = d;
        return d;
    }

    /** The reactor if it was opened, else null. */
    public IoDriver driverIfOpen() {
        return driver;
    }

    @Override
    public boolean inLoop() {
        return thread == Thread.currentThread();
    }

    @Override
    public void suspended(Task<?> t) {
        suspended.add(t);
    }

    @Override
    public Budget budget() {
        return budget;
    }

    @Override
    public void completed(Task<?> t) {
        suspended.remove(t);
        // Release: a thread that reads this count (acquire) then the spawn count sees every spawn before it.
        COMPLETED.setRelease(this, tasksCompleted + 1);
        ((TaskQueue) t.queue).tasksCompleted++;
    }

    @Override
    public void failedUnobserved(Task<?> task, Throwable error) {
        failures.add(task, error);
    }

    @Override
    public void failedLeftBehind(Task<?> task, Throwable error) {
        failures.addLeftBehind(task, error);
    }

    /** Whether an unobserved failure waits for its report (loop thread; for tests). */
    public boolean holdsFailureReports() {
        return failures.holdsAny();
    }

    /** A task this executor spawned and does not run (a blocking task) failed unobserved; any thread. */
    public void failedUnobservedElsewhere(Task<?> task, Throwable error) {
        failures.addFromElsewhere(task, error);
    }

    // =====================================================================
    // The loop
    // =====================================================================

    /**
     * Runs {@code root} as a task on this thread until it finishes; returns
     * its output or throws. A close asked for meanwhile (from any thread)
     * cancels the root too, and is over when this returns.
     */
    public <T> T run(Callable<T> rootBody, Future<T> rootFuture) {
        int phase = lifecycle.phase;
        if (phase != Lifecycle.OPEN) {
            throw new IllegalStateException("executor " + name + " is " + (phase == Lifecycle.CLOSED ? "closed" : "shutting down")
                    + ": run() takes no new root task");
        }
        enter("run");
        Task<T> root;
        try {
            root = rootBody != null ? spawn(rootBody, null) : spawn(rootFuture, null);
            // run() awaits it: a failure is this call's to throw, never an unobserved one (a close from inside the
            // root sweeps the failures before the poll below)
            root.wakeOnCompletion(() -> { }, true);
            while (!root.isFinished() || lifecycle.phase == Lifecycle.CLOSING) {
                turn(root);
            }
        } finally {
            exit();
        }
        Poll<T> p = root.poll(new Context(() -> { }));
        return p.get(); // throws TaskFailedException / TaskCancelledException as the handle does
    }

    /**
     * The loop of an executor with a thread of its own: runs on the calling
     * thread until the executor is closed (by {@link #close()} or
     * {@link #shutdown} from any thread, or from one of its tasks).
     */
    public void runOwnLoop() {
        enter("runOwnLoop");
        try {
            while (lifecycle.phase != Lifecycle.CLOSED) {
                turn(null);
            }
        } finally {
            exit();
        }
    }

    /**
     * One turn of the loop (loop thread): a slice of the scheduler (with
     * {@code root}, the task a {@code run} waits for, or null), else an idle
     * turn; then a shutdown or close asked for meanwhile.
     */
    void turn(Task<?> root) {
        if (!scheduler.runSlice(root, budget)) {
            idle();
        }
        lifecycle.afterTurn();
    }

    private void enter(String what) {
        entry.enter(what);
    }

    /** See {@link LoopEntry#runBorrowed}. */
    boolean runBorrowed(Runnable r) {
        return entry.runBorrowed(r);
    }

    /** See {@link LoopEntry#tryEnter}. */
    boolean tryEnter() {
        return entry.tryEnter();
    }

    /** See {@link LoopEntry#exit}. */
    void exit() {
        entry.exit();
    }

    /** Drains the remote queue, polls the driver, fires due timers; how much it found. Called during slices too. */
    int maintenance() {
        int n = drainRemote();
        IoDriver d = driver;
        if (d != null) {
            n += d.poll();
            n += drainRemote();
        }
        long next = timers.nextDeadline();
        if (next != Long.MAX_VALUE) {
            long now = clock.nanoTime();
            if (now - next >= 0) {
                int f = timers.fire(now);
                timerFires += f;
                n += f;
            }
        }
        diag.runRequests(); // between two polls: a dump reads the suspended tasks here, where none can resume
        lifecycle.afterTurn(); // a shutdown or close asked for meanwhile (one volatile read when there is none)
        return n;
    }

    int drainRemote() {
        int n = 0;
        Task<?> t;
        while ((t = remote.poll()) != null) {
            if (t.queue == null) {
                admit(t, scheduler.defaultQueue); // spawned by another thread: admitted here, on the loop thread
            } else {
                scheduler.enqueue(t, (TaskQueue) t.queue);
            }
            n++;
        }
        remoteWakes += n;
        return n;
    }

    /** Nothing runnable: see {@link IdlePark#idle}. */
    void idle() {
        idlePark.idle();
    }

    // =====================================================================
    // Preemption, timers
    // =====================================================================

    /**
     * Whether the running task should yield: its queue's slice is over, a
     * timer is due, or another thread has queued a wake (which may be for a
     * latency-sensitive queue). The last two also make the loop look at the
     * timers and the remote queue right after the current task, instead of at
     * the next 61-task mark. The slice is measured on {@code System.nanoTime()},
     * "a timer is due" on the executor's clock.
     */
    public boolean needPreempt() {
        if (!scheduler.inSlice()) {
            return false;
        }
        long now = System.nanoTime();
        if (scheduler.sliceOver(now)) {
            return true;
        }
        long clockNow = pausedClock ? clock.nanoTime() : now;
        if (clockNow - timers.nextDeadline() >= 0 || !remote.isEmpty()) {
            scheduler.maintenanceDue();
            return true;
        }
        return false;
    }

    @Override
    public boolean awake() {
        return !sleeping && thread != null;
    }

    @Override
    public boolean othersReady() {
        return scheduler.othersReady() || !remote.isEmpty();
    }

    public Timers timers() {
        return timers;
    }

    /** The clock of this executor's timers. */
    public Clock clock() {
        return clock;
    }

    /** Times the idle loop parked with a timeout (until the next timer's deadline). */
    public long timedParks() {
        return idlePark.timedParks;
    }

    /** The timeout of the last timed park, in ns of the clock; -1 if none yet. */
    public long lastParkNanos() {
        return idlePark.lastParkNanos;
    }

    /** Times the idle loop moved a paused clock to the next deadline. */
    public long clockJumps() {
        return idlePark.clockJumps;
    }

    /** Timers fired by the loop. */
    public long timerFires() {
        return timerFires;
    }

    /** See {@link Lifecycle}: every task is cancelled, then the reactor closes; from any thread. */
    public void close() {
        lifecycle.close();
    }

    /** See {@link Lifecycle}: no new outside work, up to {@code grace} for the tasks, then close. */
    public boolean shutdown(Duration grace) {
        return lifecycle.shutdown(grace);
    }

    public boolean isClosed() {
        return lifecycle.phase == Lifecycle.CLOSED;
    }

    @Override
    public String whyNotRunning() {
        if (thread == null && lifecycle.phase == Lifecycle.OPEN) {
            return "no thread runs executor " + name + ": call run(...) on it, or build it with"
                    + " LocalExecutor.builder().start() to give it a thread of its own";
        }
        return null;
    }

    /** This executor's index in its pool (0 outside a pool). */
    public int poolIndex() {
        return poolIndex;
    }

    /** Set once by the pool that makes this executor, before its loop starts. */
    public void poolIndex(int index) {
        this.poolIndex = index;
    }

    // =====================================================================
    // Stats
    // =====================================================================

    public ExecutorStats stats() {
        long completed = completedNow();
        return new ExecutorStats(name, tasksSpawned, completed, scheduler.polls, remoteWakes, idlePark.parks,
                scheduler.runtimeNanos, timerFires, idlePark.timedParks, idlePark.clockJumps, scheduler.stats());
    }

    public int liveTasks() {
        long completed = completedNow(); // first: never more than the spawns read after it
        return (int) (tasksSpawned - completed);
    }

    /** The completions so far, read with acquire (pairs with the release in {@link #completed}); any thread. */
    private long completedNow() {
        return (long) COMPLETED.getAcquire(this);
    }

    @Override
    public String toString() {
        return "LocalExecutor[" + name + "]";
    }
}
