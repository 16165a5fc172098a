package io.weft.executor;

import io.weft.Clock;
import io.weft.Context;
import io.weft.ExecutorStats;
import io.weft.Future;
import io.weft.Latency;
import io.weft.Poll;
import io.weft.Shares;
import io.weft.TaskQueueHandle;
import io.weft.TaskQueueStats;
import io.weft.blocking.BlockingPool;
import io.weft.blocking.BlockingTask;
import io.weft.coro.Await;
import io.weft.coro.CoroutineTask;
import io.weft.coro.Coroutines;
import io.weft.io.Drivers;
import io.weft.io.IoDriver;
import io.weft.sys.Affinity;
import io.weft.task.Budget;
import io.weft.task.FutureTask;
import io.weft.task.Task;
import io.weft.task.TaskOwner;
import io.weft.time.Timers;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
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
public final class ExecutorCore implements TaskOwner {
    private static final ThreadLocal<ExecutorCore> CURRENT = new ThreadLocal<>();
    private static final System.Logger LOG = System.getLogger("io.weft");

    /** Tasks between two drains of the remote queue and the timers (as glommio and tokio: 61). */
    static final int MAINTENANCE_INTERVAL = 61;
    /** Tasks between two looks at the clock for the end of a slice. */
    static final int CLOCK_CHECK_INTERVAL = 16;

    final String name;
    private final int pinCpu;
    private final long spinNanos;
    private final long preemptNanos;
    private final BiConsumer<String, Throwable> failureHandler;
    private final Object facade;
    /** The clock of the timers (see package-info, "Time"); the scheduler's slices stay on System.nanoTime. */
    private final Clock clock;
    /** The clock is paused (virtual): the idle loop moves it to the next deadline instead of parking. */
    private final boolean pausedClock;

    /** The loop thread while {@link #run} runs, else null. Read by other threads to choose the road. */
    private volatile Thread thread;
    /** Set by the loop just before it parks; read by remote producers (Dekker pair with the remote queue). */
    private volatile boolean sleeping;

    /** The driver asked for (null: the property's or the best available); opened at the first I/O. */
    private final io.weft.Driver driverChoice;
    /**
     * The reactor, opened by the loop thread at the first I/O ({@link #driver()}). Written before the
     * loop ever parks in it; a remote waker that sees {@code sleeping} also sees it (both volatile).
     */
    private volatile IoDriver driver;
    private final RemoteQueue remote = new RemoteQueue();

    private final Budget budget = new Budget();
    private final Timers timers;
    private final List<TaskQueue> queues = new ArrayList<>();
    private final QueueHeap active = new QueueHeap();
    private final TaskQueue defaultQueue;

    /**
     * Tasks that have waited for a waker at least once and are not complete:
     * an intrusive list, so that close() finds the tasks on no run queue.
     * Tasks that never wait never touch it (nor its long-lived head field).
     */
    private Task<?> suspendedHead;

    private final ArrayList<Unobserved> unobserved = new ArrayList<>();
    /**
     * Unobserved failures of tasks this executor spawned and does not run
     * (blocking tasks), offered from any thread; the loop moves them to
     * {@link #unobserved} when it sweeps.
     */
    private final ConcurrentLinkedQueue<Unobserved> unobservedElsewhere = new ConcurrentLinkedQueue<>();
    /** Set by close() after its last sweep: a failure offered later is reported by the thread that offers it. */
    private volatile boolean swept;

    private TaskQueue runningQueue;
    private long sliceStart;
    private long sliceDeadline;
    private int tick;
    /** Set by needPreempt when timers or remote wakes wait: maintenance after the current task. */
    private boolean maintenanceDue;
    private boolean closing;
    /** Set by close() before its last drain; read by other threads in spawnFromAnyThread. */
    private volatile boolean closed;

    // counters
    private long tasksSpawned;
    private long tasksCompleted;
    private long polls;
    private long remoteWakes;
    private long parks;
    private long runtimeNanos;
    private long timedParks;
    private long lastParkNanos = -1;
    private long clockJumps;
    private long timerFires;

    public ExecutorCore(Object facade, String name, int pinCpu, long spinNanos, long preemptNanos,
                        BiConsumer<String, Throwable> failureHandler) {
        this(facade, name, pinCpu, spinNanos, preemptNanos, failureHandler, Clock.system());
    }

    public ExecutorCore(Object facade, String name, int pinCpu, long spinNanos, long preemptNanos,
                        BiConsumer<String, Throwable> failureHandler, Clock clock) {
        this(facade, name, pinCpu, spinNanos, preemptNanos, failureHandler, clock, null);
    }

    public ExecutorCore(Object facade, String name, int pinCpu, long spinNanos, long preemptNanos,
                        BiConsumer<String, Throwable> failureHandler, Clock clock, io.weft.Driver driverChoice) {
        this.driverChoice = driverChoice;
        this.clock = clock != null ? clock : Clock.system();
        this.pausedClock = this.clock.isPaused();
        this.timers = new Timers(this.clock);
        this.facade = facade;
        this.name = name;
        this.pinCpu = pinCpu;
        this.spinNanos = spinNanos;
        this.preemptNanos = preemptNanos;
        this.failureHandler = failureHandler != null ? failureHandler : this::logFailure;
        this.defaultQueue = newQueue("default", Shares.fixed(1000), Latency.notImportant());
    }

    // =====================================================================
    // Finding the executor
    // =====================================================================

    /** The executor whose loop runs on this thread, or null. */
    public static ExecutorCore currentOrNull() {
        return CURRENT.get();
    }

    /** The executor whose loop runs on this thread; {@code what} names the call for the error. */
    public static ExecutorCore current(String what) {
        ExecutorCore ex = CURRENT.get();
        if (ex == null) {
            throw new IllegalStateException(what + " called outside a weft executor: call it from inside a task,"
                    + " e.g. LocalExecutor.create().run(() -> ...)");
        }
        return ex;
    }

    public Object facade() {
        return facade;
    }

    public String name() {
        return name;
    }

    // =====================================================================
    // Spawning
    // =====================================================================

    public <T> Task<T> spawn(Callable<T> body, TaskQueueHandle into) {
        return spawn(null, body, into);
    }

    /** Spawns a coroutine task; {@code name} (may be null) appears in messages and failure reports. */
    public <T> Task<T> spawn(String name, Callable<T> body, TaskQueueHandle into) {
        Coroutines.ensureAvailable();
        TaskQueue q = queueOf(into);
        return admit(new CoroutineTask<>(this, name, body), q);
    }

    public <T> Task<T> spawn(Future<T> future, TaskQueueHandle into) {
        TaskQueue q = queueOf(into);
        return admit(new FutureTask<>(this, null, future), q);
    }

    /**
     * Spawns a coroutine task from any thread, into the default queue. On the
     * loop thread this is {@link #spawn(String, Callable, TaskQueueHandle)};
     * from another thread the new task takes the remote road and is admitted
     * (counted, given its queue) when the loop drains it.
     *
     * <p>Against a concurrent close(): the spawner offers, then reads
     * {@code closed}; close() stores {@code closed}, then drains. If the
     * spawner reads false, close's drain sees the task and cancels it; if it
     * reads true, the spawn is refused and the handle never escapes.
     */
    public <T> Task<T> spawnFromAnyThread(String name, Callable<T> body) {
        if (thread == Thread.currentThread()) {
            return spawn(name, body, null);
        }
        Coroutines.ensureAvailable();
        if (closed) {
            throw new java.util.concurrent.RejectedExecutionException("executor " + this.name + " is closed");
        }
        CoroutineTask<T> t = new CoroutineTask<>(this, name, body); // queue stays null until admitted
        remote.offer(t);
        if (closed) {
            throw new java.util.concurrent.RejectedExecutionException("executor " + this.name + " is closed");
        }
        unparkIfSleeping();
        return t;
    }

    /**
     * Runs {@code body} on the JVM's blocking pool, never on this thread
     * (see {@code io.weft.blocking}); a failure nobody awaits is reported
     * by this executor, as its own tasks' are. Loop thread only.
     */
    public <T> Task<T> spawnBlocking(String name, Callable<T> body) {
        assert inLoop();
        return BlockingTask.spawn(BlockingPool.shared(), name, body, this::failedUnobservedElsewhere);
    }

    private TaskQueue queueOf(TaskQueueHandle h) {
        if (h == null) {
            return defaultQueue;
        }
        if (!(h instanceof TaskQueue q) || q.executor != this) {
            throw new IllegalArgumentException("task queue " + h.name() + " belongs to another executor");
        }
        return q;
    }

    private <T> Task<T> admit(Task<T> t, TaskQueue q) {
        assert inLoop();
        t.queue = q;
        t.assignId(++tasksSpawned);
        q.tasksSpawned++;
        enqueue(t, q); // a new task starts NOTIFIED: we own it until it runs
        if (closing) {
            t.abort(); // spawned by a task that is being cancelled: it never runs its body
        }
        return t;
    }

    public TaskQueueHandle createTaskQueue(String name, Shares shares, Latency latency) {
        if (name == null || shares == null || latency == null) {
            throw new NullPointerException("createTaskQueue(name, shares, latency): no argument may be null");
        }
        return newQueue(name, shares, latency);
    }

    private TaskQueue newQueue(String name, Shares shares, Latency latency) {
        TaskQueue q = new TaskQueue(this, queues.size(), name, shares, latency, System.nanoTime());
        queues.add(q);
        return q;
    }

    // =====================================================================
    // TaskOwner: scheduling, the two roads
    // =====================================================================

    @Override
    public void schedule(Task<?> task) {
        if (thread == Thread.currentThread()) {
            enqueue(task, (TaskQueue) task.queue); // road 1: the owner thread pushes directly
        } else {
            remote.offer(task); // road 2: another thread queues the wake and unparks the owner
            unparkIfSleeping();
        }
    }

    private void unparkIfSleeping() {
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
        if (closed) {
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

    private void enqueue(Task<?> t, TaskQueue q) {
        q.push(t);
        if (q.status == TaskQueue.IDLE) {
            activate(q);
        }
    }

    private void activate(TaskQueue q) {
        long minActive = Long.MAX_VALUE;
        TaskQueue top = active.peek();
        if (top != null) {
            minActive = top.vruntime;
        }
        if (runningQueue != null) {
            minActive = Math.min(minActive, runningQueue.vruntime);
        }
        if (minActive != Long.MAX_VALUE && q.vruntime < minActive) {
            q.vruntime = minActive; // no credit for time spent idle
        }
        q.status = TaskQueue.ACTIVE;
        q.activatedAt = System.nanoTime();
        active.add(q);
        if (runningQueue != null && q.latency.isImportant()) {
            // A latency-sensitive queue woke up: the running slice must end in time for it.
            sliceDeadline = Math.min(sliceDeadline, q.activatedAt + q.latency.nanos());
        }
    }

    @Override
    public boolean inLoop() {
        return thread == Thread.currentThread();
    }

    @Override
    public void suspended(Task<?> t) {
        if (!t.registered) {
            t.registered = true;
            Task<?> h = suspendedHead;
            t.nextLive = h;
            if (h != null) {
                h.prevLive = t;
            }
            suspendedHead = t;
        }
    }

    @Override
    public Budget budget() {
        return budget;
    }

    @Override
    public void completed(Task<?> t) {
        if (t.registered) {
            Task<?> p = t.prevLive;
            Task<?> n = t.nextLive;
            if (p == null) {
                suspendedHead = n;
            } else {
                p.nextLive = n;
            }
            if (n != null) {
                n.prevLive = p;
            }
            t.prevLive = t.nextLive = null;
            t.registered = false;
        }
        tasksCompleted++;
        ((TaskQueue) t.queue).tasksCompleted++;
    }

    @Override
    public void failedUnobserved(Task<?> task, Throwable error) {
        unobserved.add(new Unobserved(new WeakReference<>(task), task.toString(), error));
    }

    /**
     * A task this executor spawned and does not run (a blocking task)
     * failed with JOIN_INTEREST clear; any thread. The loop reports it as
     * its own tasks' failures (see {@link #sweepUnobserved}). Against
     * close(): we offer, then read {@code swept}; close() stores
     * {@code swept}, then drains once more. If we read false, that drain
     * sees the record; if true, whichever of us removes it reports it.
     */
    public void failedUnobservedElsewhere(Task<?> task, Throwable error) {
        Unobserved u = new Unobserved(new WeakReference<>(task), task.toString(), error);
        unobservedElsewhere.offer(u);
        if (swept && unobservedElsewhere.remove(u)) {
            report(List.of(u)); // the executor is closed: nobody else will
        }
    }

    private record Unobserved(WeakReference<Task<?>> task, String name, Throwable error) {
    }

    /**
     * Reports failures whose handles nobody can await any more (collected) or,
     * with {@code all}, every failure not looked at by now; forgets those
     * whose handles were polled.
     */
    private void sweepUnobserved(boolean all) {
        for (Unobserved u; (u = unobservedElsewhere.poll()) != null; ) {
            unobserved.add(u);
        }
        if (unobserved.isEmpty()) {
            return;
        }
        List<Unobserved> report = new ArrayList<>();
        unobserved.removeIf(u -> {
            Task<?> t = u.task().get();
            if (t != null && (t.state() & Task.JOIN_INTEREST) != 0) {
                return true;
            }
            if (t == null || all) {
                report.add(u);
                return true;
            }
            return false;
        });
        report(report);
    }

    private void report(List<Unobserved> report) {
        for (Unobserved u : report) {
            try {
                failureHandler.accept(u.name(), u.error());
            } catch (Throwable handlerFailure) {
                LOG.log(System.Logger.Level.ERROR, "the failure handler of executor " + name + " threw", handlerFailure);
            }
        }
    }

    private void logFailure(String task, Throwable error) {
        LOG.log(System.Logger.Level.WARNING, "task " + task + " of executor " + name + " failed and nobody awaited it",
                error);
    }

    // =====================================================================
    // The loop
    // =====================================================================

    /** Runs {@code root} as a task on this thread until it finishes; returns its output or throws. */
    public <T> T run(Callable<T> rootBody, Future<T> rootFuture) {
        if (closed) {
            throw new IllegalStateException("executor " + name + " is closed");
        }
        enter("run");
        Task<T> root;
        try {
            root = rootBody != null ? spawn(rootBody, null) : spawn(rootFuture, null);
            while (!root.isFinished()) {
                if (!runSlice(root)) {
                    idle(root);
                }
            }
        } finally {
            exit();
        }
        Poll<T> p = root.poll(new Context(() -> { }));
        return p.get(); // throws TaskFailedException / TaskCancelledException as the handle does
    }

    private int[] savedAffinity;
    /** The loop thread was interrupted while idle: the flag was cleared to park, and is set again by exit(). */
    private boolean interruptedWhileIdle;

    private void enter(String what) {
        Thread me = Thread.currentThread();
        ExecutorCore other = CURRENT.get();
        if (other != null) {
            throw new IllegalStateException(what + "() called re-entrantly: this thread already runs executor "
                    + other.name + "; spawn a task instead of running a nested executor");
        }
        if (me.isVirtual()) {
            throw new IllegalStateException(what + "() called on a virtual thread: a weft executor needs a platform thread");
        }
        if (thread != null) {
            throw new IllegalStateException("executor " + name + " is already running on " + thread.getName());
        }
        if (pinCpu >= 0) {
            savedAffinity = Affinity.current();
            Affinity.pin(pinCpu);
        }
        CURRENT.set(this);
        Await.enterLoop(this);
        thread = me;
        IoDriver d = driver;
        if (d != null) {
            d.bindTo(me);
        }
        drainRemote();
    }

    private void exit() {
        if (interruptedWhileIdle) {
            interruptedWhileIdle = false;
            Thread.currentThread().interrupt();
        }
        thread = null;
        Await.exitLoop();
        CURRENT.remove();
        if (savedAffinity != null) {
            Affinity.set(savedAffinity);
            savedAffinity = null;
        }
    }

    /**
     * Picks the active queue with the smallest vruntime and runs its tasks
     * until it is empty, its slice ends, or {@code root} finishes. Returns
     * false when no queue was runnable.
     */
    private boolean runSlice(Task<?> root) {
        TaskQueue q = active.poll();
        if (q == null) {
            return false;
        }
        long start = System.nanoTime();
        q.status = TaskQueue.RUNNING;
        q.waitNanos += start - q.activatedAt;
        q.slices++;
        runningQueue = q;
        sliceStart = start;
        sliceDeadline = start + Math.min(preemptNanos, Math.min(q.latency.nanos(), active.minLatencyNanos()));
        Task<?> t;
        while ((t = q.pop()) != null) {
            budget.reset();
            q.polls++;
            polls++;
            t.turn();
            boolean checkClock = ++tick % CLOCK_CHECK_INTERVAL == 0;
            if (tick % MAINTENANCE_INTERVAL == 0 || maintenanceDue) {
                maintenanceDue = false;
                maintenance(); // may activate a latency-sensitive queue and shorten the slice
                checkClock = true;
            }
            if (root != null && root.isFinished()) {
                break;
            }
            if (checkClock && System.nanoTime() - sliceDeadline >= 0) {
                break;
            }
        }
        long end = System.nanoTime();
        long elapsed = end - start;
        runtimeNanos += elapsed;
        q.charge(elapsed, end);
        runningQueue = null;
        if (q.isEmpty()) {
            q.status = TaskQueue.IDLE;
        } else {
            q.status = TaskQueue.ACTIVE;
            q.activatedAt = end;
            active.add(q);
        }
        if (q.vruntime > (1L << 60)) {
            rebaseVruntimes();
        }
        return true;
    }

    /** Keeps vruntimes far from overflow: subtract the smallest from all. */
    private void rebaseVruntimes() {
        long min = Long.MAX_VALUE;
        for (TaskQueue q : queues) {
            min = Math.min(min, q.vruntime);
        }
        for (TaskQueue q : queues) {
            q.vruntime -= min;
        }
    }

    private int maintenance() {
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
        return n;
    }

    private int drainRemote() {
        int n = 0;
        Task<?> t;
        while ((t = remote.poll()) != null) {
            if (t.queue == null) {
                admit(t, defaultQueue); // spawned by another thread: admitted here, on the loop thread
            } else {
                enqueue(t, (TaskQueue) t.queue);
            }
            n++;
        }
        remoteWakes += n;
        return n;
    }

    /**
     * Nothing runnable: look for work, spin for {@code spinNanos}, then park
     * until a wake or the next timer. On a paused clock, instead of a timed
     * park the clock jumps to the next timer's deadline (the loop then fires
     * it); with no timer at all the loop parks until a remote wake.
     */
    private void idle(Task<?> root) {
        if (maintenance() > 0 || !active.isEmpty()) {
            return;
        }
        sweepUnobserved(false);
        if (root == null || root.isFinished()) {
            return;
        }
        if (spinNanos > 0) {
            long until = System.nanoTime() + spinNanos;
            while (remote.isEmpty() && System.nanoTime() - until < 0) {
                Thread.onSpinWait();
            }
            if (!remote.isEmpty()) {
                return;
            }
        }
        long next = timers.nextDeadline();
        if (pausedClock && next != Long.MAX_VALUE) {
            // Every task waits: virtual time moves straight to the next deadline (no park).
            ((Clock.Paused) clock).advanceTo(next);
            clockJumps++;
            return;
        }
        if (Thread.interrupted()) {
            // An interrupt would make every park return at once: the idle loop would spin. The executor
            // does not stop on interrupts (abort tasks or close it instead); the flag is restored when run returns.
            interruptedWhileIdle = true;
        }
        sleeping = true; // pairs with the read of sleeping in schedule(): either we see the task or they see us
        try {
            if (!remote.isEmpty()) {
                return;
            }
            parks++;
            IoDriver d = driver;
            if (next == Long.MAX_VALUE) {
                if (d != null) {
                    d.park(-1);
                } else {
                    LockSupport.park(this);
                }
            } else {
                long wait = next - clock.nanoTime();
                if (wait > 0) {
                    timedParks++;
                    lastParkNanos = wait;
                    if (d != null) {
                        d.park(wait); // no longer than the next deadline
                    } else {
                        LockSupport.parkNanos(this, wait);
                    }
                }
            }
        } finally {
            sleeping = false;
        }
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
        if (runningQueue == null) {
            return false;
        }
        long now = System.nanoTime();
        if (now - sliceDeadline >= 0) {
            return true;
        }
        long clockNow = pausedClock ? clock.nanoTime() : now;
        if (clockNow - timers.nextDeadline() >= 0 || !remote.isEmpty()) {
            maintenanceDue = true;
            return true;
        }
        return false;
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
        return timedParks;
    }

    /** The timeout of the last timed park, in ns of the clock; -1 if none yet. */
    public long lastParkNanos() {
        return lastParkNanos;
    }

    /** Times the idle loop moved a paused clock to the next deadline. */
    public long clockJumps() {
        return clockJumps;
    }

    /** Timers fired by the loop. */
    public long timerFires() {
        return timerFires;
    }

    // =====================================================================
    // Closing
    // =====================================================================

    /** Cancels every task that is left, running their cancellation paths on this thread; idempotent. */
    public void close() {
        if (closed) {
            return;
        }
        if (CURRENT.get() == this) {
            throw new IllegalStateException("close() called from inside a task of executor " + name
                    + ": close it after run() returns");
        }
        enter("close");
        try {
            closing = true;
            // Volatile store, then the drains below: pairs with spawnFromAnyThread's offer-then-read.
            closed = true;
            drainRemote();
            while (tasksSpawned != tasksCompleted || !remote.isEmpty()) {
                // Every live task is on a run queue (local or remote) or in the suspended registry.
                drainRemote();
                for (TaskQueue q : queues) {
                    q.forEach(Task::abort);
                }
                for (Task<?> t = suspendedHead; t != null; t = t.nextLive) {
                    t.abort();
                }
                do {
                    drainRemote();
                } while (runSlice(null));
                if (tasksSpawned != tasksCompleted && active.isEmpty() && remote.isEmpty()
                        && (suspendedHead == null || suspendedHead.isCancelRequested())) {
                    // Aborted tasks are always queued, so one still live here would never finish.
                    throw new IllegalStateException((tasksSpawned - tasksCompleted) + " task(s) did not finish"
                            + " their cancellation" + (suspendedHead != null ? ", e.g. task " + suspendedHead + ": "
                            + Task.describe(suspendedHead.state()) : ""));
                }
            }
            sweepUnobserved(true);
            swept = true; // then one more drain: pairs with failedUnobservedElsewhere's offer-then-read
            sweepUnobserved(true);
            IoDriver d = driver;
            if (d != null) {
                d.close();
            }
        } finally {
            exit();
        }
    }

    public boolean isClosed() {
        return closed;
    }

    // =====================================================================
    // Stats
    // =====================================================================

    public ExecutorStats stats() {
        List<TaskQueueStats> qs = new ArrayList<>(queues.size());
        for (TaskQueue q : queues) {
            qs.add(q.stats());
        }
        return new ExecutorStats(name, tasksSpawned, tasksCompleted, polls, remoteWakes, parks, runtimeNanos,
                timerFires, timedParks, clockJumps, List.copyOf(qs));
    }

    public int liveTasks() {
        return (int) (tasksSpawned - tasksCompleted);
    }

    @Override
    public String toString() {
        return "LocalExecutor[" + name + "]";
    }
}
