package io.weft.steal;

import io.weft.Clock;
import io.weft.Future;
import io.weft.Latency;
import io.weft.Shares;
import io.weft.StealingExecutorStats;
import io.weft.TaskQueueHandle;
import io.weft.blocking.BlockingTask;
import io.weft.diag.LoopRequests;
import io.weft.diag.PollProbe;
import io.weft.diag.TaskDumps;
import io.weft.executor.RemoteQueue;
import io.weft.executor.Worker;
import io.weft.io.Drivers;
import io.weft.io.IoDriver;
import io.weft.task.Budget;
import io.weft.task.CurrentLoop;
import io.weft.task.Task;
import io.weft.task.TaskList;
import io.weft.time.Timers;
import java.util.ArrayDeque;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/**
 * One worker of a StealingExecutor: a thread, its local run queue and its
 * budget, its timer wheel, and the tasks that live on it; the
 * {@link Worker} that the API finds on that thread. Its loop: fire the due
 * timers; take a task (every 61st time the shared queue first, so that work
 * from outside is not starved; else the one that came first of a woken task
 * that lives here and the head of its stealable queue; else the shared
 * queue); else steal (while
 * searching); else park until woken or the next timer.
 */
final class StealWorker implements Worker, TaskDumps.Site {
    /** How often the shared queue goes first (tokio's 61). */
    static final int INJECT_INTERVAL = 61;
    /** At most this many tasks taken off the shared queue at once (one for now, the rest onto the local queue). */
    static final int INJECT_BATCH = 64;
    /** At most this many polls in a row through the LIFO slot (tokio's 3), so a ping-pong pair cannot starve the rest. */
    static final int MAX_LIFO_POLLS = 3;

    final StealScheduler scheduler;
    final int index;
    final LocalQueue<Task<?>> queue = new LocalQueue<>();
    final Budget budget = new Budget();
    /** Its counters: written by its thread, read by stats() anywhere. */
    final WorkerCounters counters = new WorkerCounters();
    /** This worker's timer wheel: the sleeps, timeouts and intervals of the tasks that live here. Its thread only. */
    private final Timers timers = new Timers(Clock.system());
    /** Set before the thread starts; read by notifiers. */
    volatile Thread thread;
    /** The task this worker polls now; its thread only. */
    Task<?> polling;
    /** Counted as searching in the idle protocol; its thread only (read by schedule on the same thread). */
    boolean searching;
    /** Set by a notifier (under the idle lock) before it unparks this worker; cleared by the worker. */
    volatile boolean notified;
    /**
     * Tasks that live here (they have run here), woken, each marked with its arrival among the tasks pushed onto
     * {@link #queue}: the worker takes whichever of the two heads came first. This thread only.
     */
    final HomeQueue pinned = new HomeQueue();
    /**
     * Tasks that live here and woke themselves while being polled (a yield, a budget spent): they run
     * after the tasks that were ready when they yielded, as on a LocalExecutor, where a yield goes to the back
     * of the one run queue. Moved behind {@link #pinned} once neither that nor the local queue gives a task (a
     * queue that a thief is emptying may look non-empty and give none), or every {@link #INJECT_INTERVAL} ticks
     * so that a stream of new work cannot hold them back for ever. This thread only.
     */
    final ArrayDeque<Task<?>> deferred = new ArrayDeque<>();
    /**
     * The task most recently spawned or woken by the task this worker polls (tokio's LIFO slot; a task woken
     * by that task's end, a joiner, is queued as any wake instead, see StealScheduler.schedule): it runs
     * right after that poll, while what it needs is still in the cache, sharing the poller's budget; at most
     * {@link #MAX_LIFO_POLLS} in a row, then it goes to the back of its queue. Not stealable while here; it
     * never stays here past the poll that filled it and the LIFO polls after. This thread only.
     */
    Task<?> lifo;
    /**
     * In {@link #blockInPlace}: what this thread spawns goes to the shared queue. Written by this thread;
     * read by the others' hand-offs ({@code Spread.homeOfNewTask}), which send nothing new here meanwhile.
     */
    volatile boolean blocking;
    /** Whether a close may interrupt this thread now, and how far it got: {@code BlockInPlace}'s protocol. */
    volatile int body;
    /** Its reactor, opened at the first I/O (its thread writes it once; notifiers read it to wake the worker). */
    private volatile IoDriver driver;
    /** Tasks that live here, woken on other threads. */
    final RemoteQueue remote = new RemoteQueue();
    /** Set while this worker parks (Dekker pair with the remote queue, as an executor's {@code sleeping}). */
    private volatile boolean sleeping;
    private int tick;
    /** Alternates while this worker hands new tasks to a less loaded one (Spread.homeOfNewTask). This thread only. */
    boolean handOffTurn;
    final SplittableRandom random;
    /** The tasks that live here, have been polled and have not completed; this thread only. */
    private final TaskList residents = new TaskList();
    /** This worker has aborted its residents for the executor's close. */
    private boolean closeSeen;
    /** What it polls now, for the stall watchdog and for dumps it cannot answer; set before the thread starts. */
    PollProbe probe;
    /** Work for this thread between two polls (dump requests); any thread offers, this thread runs. */
    private final LoopRequests requests = new LoopRequests();
    /** System.nanoTime as this thread last read it (every 16 ticks, after a park): a new task's birth. */
    long coarseNanos = System.nanoTime();
    /** How many tasks this worker has numbered: their ids are {@code n * workers + index + 1}. This thread only. */
    private long numbered;

    StealWorker(StealScheduler scheduler, int index) {
        this.scheduler = scheduler;
        this.index = index;
        this.random = new SplittableRandom(0x5eed + index);
        this.probe = new PollProbe(name(), 0, null);
    }

    /** Gives {@code t} its id and its birth, on this thread (a spawn here, or its first run if it came from outside). */
    void number(Task<?> t) {
        t.assignId(numbered++ * scheduler.workers.length + index + 1);
        t.assignBorn(coarseNanos);
    }

    void run() {
        CurrentLoop.enter(this);
        probe.loopEntered(Thread.currentThread());
        try {
            while (!scheduler.stopping) {
                if (scheduler.closing && !closeSeen) {
                    closeSeen = true;
                    abortResidents();
                }
                fireDueTimers();
                Task<?> t = next();
                if (t == null) {
                    t = Spread.steal(this);
                }
                if (t != null) {
                    runTask(t, true);
                    runLifo();
                } else if (!spinForWork()) {
                    park();
                }
            }
        } finally {
            runRequests(); // a dump asked for now gets its answer before the worker goes
            probe.loopExited();
            CurrentLoop.exit();
            IoDriver d = driver;
            if (d != null) {
                d.close(); // every task has ended (a close waits for them): what is left in flight is reaped
            }
        }
    }

    private Task<?> next() {
        Task<?> t;
        boolean maintenance = ++tick % INJECT_INTERVAL == 0;
        if ((tick & 15) == 0) {
            coarseNanos = System.nanoTime();
        }
        if (maintenance) {
            runRequests(); // between two polls: a dump reads the tasks that live here, where none can resume
            IoDriver d = driver;
            if (d != null) {
                d.poll(); // completions and readiness wake tasks that live here, onto pinned
            }
            if ((t = fromInject()) != null) {
                return t;
            }
        }
        for (Task<?> r; (r = remote.poll()) != null; ) {
            pin(r);
            counters.remoteWake();
        }
        if (maintenance) {
            flushDeferred();
        }
        // The older of the two heads: a woken task that lives here once the stealable tasks queued before its
        // wake have been taken (by this worker or by thieves), so neither queue starves the other.
        t = null;
        if (pinned.isEmpty() || !queue.takenUpTo(pinned.headMark())) {
            t = queue.pop();
        }
        if (t == null) {
            t = pinned.poll();
        }
        if (t == null && flushDeferred()) {
            t = pinned.poll(); // nothing else here: the tasks that yielded run again
        }
        return t != null ? t : fromInject();
    }

    /**
     * The oldest task of the shared queue, with up to {@link #INJECT_BATCH}
     * - 1 more moved behind it onto this worker's queue (where the others
     * may steal them); null if it is empty.
     */
    Task<?> fromInject() {
        int room = queue.capacity() - queue.size();
        return scheduler.inject.popInto(queue, Math.max(1, Math.min(INJECT_BATCH, room)));
    }

    /** Moves the tasks that yielded behind this worker's own list; false if there were none. */
    private boolean flushDeferred() {
        if (deferred.isEmpty()) {
            return false;
        }
        pinned.addAll(deferred, queue.pushed());
        deferred.clear();
        return true;
    }

    /**
     * Polls what the LIFO slot holds after a poll, up to {@link #MAX_LIFO_POLLS} in a row and while the budget
     * lasts; then whatever is left in it goes to the back of its queue.
     */
    private void runLifo() {
        for (int n = 0; lifo != null; n++) {
            Task<?> t = lifo;
            lifo = null;
            if (n == MAX_LIFO_POLLS || budget.remaining() <= 0 || scheduler.stopping) {
                enqueue(t);
                return;
            }
            runTask(t, false);
        }
    }

    /**
     * Puts a task that was in the LIFO slot on the queue it would have gone to: its own list if it lives here,
     * else the stealable local queue (waking a parked worker if nobody searches).
     */
    void enqueue(Task<?> t) {
        if (t.queue == this) {
            pin(t);
        } else {
            if (queue.push(t, scheduler.inject)) {
                counters.overflow();
            }
            if (!searching) {
                scheduler.notifyOthers();
            }
        }
    }

    /** Queues {@code t}, woken and living here, behind the stealable tasks queued before now. This thread only. */
    void pin(Task<?> t) {
        pinned.add(t, queue.pushed());
    }

    private void runTask(Task<?> t, boolean freshBudget) {
        if (searching) {
            searching = false;
            if (scheduler.idle.transitionFromSearching()) {
                scheduler.notifyParked(); // the last searcher found work: there may be more, let another look
            }
        }
        if (freshBudget) {
            budget.reset(); // a LIFO poll shares the budget of the poll before it
        }
        if (t.queue == null) {
            // Its first run: a coroutine task's frames will be frozen on the thread that runs it, and any task's
            // timers go to that worker's wheel; so it lives there from now on: here, or where Spread sends it.
            if (t.id() == 0) {
                number(t); // spawned from outside
            }
            StealWorker home = Spread.homeOfNewTask(this);
            t.queue = home; // before the offer, whose release publishes it to that worker
            if (home != this) {
                home.offerFromAfar(t);
                return;
            }
        }
        counters.poll(!freshBudget);
        if (scheduler.closing) {
            t.abort(); // taken off a queue during a close: it runs its cancellation path, not its body
        }
        polling = t;
        probe.begin(t);
        try {
            t.turn();
        } finally {
            budget.pollEnded(); // before a LIFO poll too: each poll's own end
            probe.end();
            polling = null;
        }
        if (!t.isFinished()) {
            // It lives here (once in the list: add does nothing for a task in it). A task that ends in its first
            // poll, most of them, never joins: the list is read between polls only (a close, a dump).
            residents.add(t);
        }
    }

    /**
     * Nothing to run: spins up to {@code spinBeforePark} until something
     * comes (a task queued here or to the executor, a due timer, a close, a
     * dump request, I/O: the reactor is polled every 32 rounds); true when
     * something did.
     */
    private boolean spinForWork() {
        long spin = scheduler.spinNanos;
        if (spin <= 0) {
            return false;
        }
        long until = System.nanoTime() + spin;
        long timer = timers.nextDeadline();
        int round = 0;
        do {
            IoDriver d = driver;
            if ((++round & 31) == 0 && d != null && d.poll() > 0) {
                return true; // completions woke tasks that live here, onto pinned
            }
            if (!remote.isEmpty() || !pinned.isEmpty() || scheduler.hasWork() || scheduler.stopping
                    || (scheduler.closing && !closeSeen) || !requests.isEmpty()) {
                return true;
            }
            if (timer != Long.MAX_VALUE && timer - timers.clock().nanoTime() <= 0) {
                return true;
            }
            Thread.onSpinWait();
        } while (System.nanoTime() - until < 0);
        return false;
    }

    private void park() {
        scheduler.sweepFailures();
        boolean lastSearcher = scheduler.idle.transitionToParked(index, searching);
        searching = false;
        if (lastSearcher && scheduler.hasWork()) {
            scheduler.notifyParked(); // work came in while it searched: wake somebody (maybe itself)
        }
        counters.park();
        sleeping = true; // then look at the remote queue: pairs with wakeForHomeWork's offer-then-read
        // pinned: the reactor's park runs the wakers of completed I/O, which queue tasks that live here;
        // queue: the failure handler (the sweep above, on this thread) may have spawned onto it
        while (!notified && remote.isEmpty() && pinned.isEmpty() && queue.isEmpty() && !scheduler.stopping
                && (closeSeen || !scheduler.closing) && requests.isEmpty()) {
            long next = timers.nextDeadline();
            long wait = -1;
            if (next != Long.MAX_VALUE) {
                wait = next - timers.clock().nanoTime();
                if (wait <= 0) {
                    break; // a timer of a task that lives here is due
                }
            }
            IoDriver d = driver;
            if (d != null) {
                d.park(wait); // inside the reactor: I/O, a timer or a notifier's wakeup() ends it
            } else if (wait < 0) {
                LockSupport.park(this);
            } else {
                LockSupport.parkNanos(this, wait);
            }
        }
        sleeping = false;
        coarseNanos = System.nanoTime();
        counters.unpark();
        runRequests();
        if (notified) {
            notified = false;
            searching = true; // a notified worker is counted unparked and searching (Idle.workerToNotify)
        } else {
            searching = !scheduler.idle.unparkSelf(this); // false: it left the parked list itself, not searching
        }
    }

    /** How many tasks live here (polled, not completed); another thread reads a recent value. */
    int residentCount() {
        return residents.size();
    }

    /** A resident completed (on this thread: it runs only here). */
    void unregister(Task<?> t) {
        residents.remove(t);
    }

    /** The executor closes: every task that lives here runs its cancellation path soon (each abort queues it here). */
    private void abortResidents() {
        residents.forEach(Task::abort);
    }

    /** Fires the timers that are due (their tasks live here: the wakes go to {@link #pinned}). */
    private void fireDueTimers() {
        long next = timers.nextDeadline();
        if (next != Long.MAX_VALUE) {
            long now = timers.clock().nanoTime();
            if (now - next >= 0) {
                counters.timersFired(timers.fire(now));
            }
        }
    }

    /** A notifier took this worker off the parked list (Idle set {@code notified}), or the executor closes or stops. */
    void unpark() {
        IoDriver d = driver;
        if (d != null) {
            d.wakeup(); // it parks inside its reactor
            return;
        }
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /**
     * From another thread: queues {@code t}, a task that lives here, on
     * {@link #remote} (whose release publishes {@code t.queue} to this
     * worker), and wakes this worker if it sleeps.
     */
    void offerFromAfar(Task<?> t) {
        remote.offer(t);
        wakeForHomeWork();
    }

    /** After work for this worker was offered from another thread: wake it if it sleeps. */
    void wakeForHomeWork() {
        if (sleeping) { // pairs with the store of sleeping in park(): one of the two sees the other
            unpark();
        }
    }

    // =====================================================================
    // Dumps
    // =====================================================================

    private void runRequests() {
        requests.runAll();
    }

    @Override
    public String dumpName() {
        return name();
    }

    @Override
    public PollProbe probe() {
        return probe;
    }

    @Override
    public boolean onLoopThread() {
        return Thread.currentThread() == thread;
    }

    /** tokio's metrics of this worker; any thread (its thread's plain fields may lag a little). */
    io.weft.ExecutorMetrics metrics() {
        StealingExecutorStats.Worker s = counters.snapshot(index, Math.max(0, queue.size()));
        IoDriver d = driver;
        return new io.weft.ExecutorMetrics(name(), residents.size(), counters.spawnedCount(),
                counters.completedCount(), s.polls(), s.busyNanos(), s.parks(), s.unparks(), s.remoteWakes(),
                budget.forcedYields(), s.queueDepth(), s.steals(), s.stolen(), counters.overflowCount(),
                d != null ? d.completions() : 0, probe.pollTimes());
    }

    /** Its own {@code polling}, which it writes anyway: a plain field read from elsewhere, stale at worst. */
    @Override
    public Task<?> pollingSeenFromOutside() {
        Task<?> t = probe.polling();
        return t != null ? t : polling;
    }

    /** This thread: the tasks that live here, then those queued here that have not started (the LIFO slot first). */
    @Override
    public void collect(TaskDumps.Collector out) {
        residents.forEach(out::add);
        Task<?> l = lifo;
        if (l != null) {
            out.add(l);
        }
        queue.forEachQueued(out::add);
    }

    @Override
    public boolean post(Runnable r) {
        if (scheduler.stopping) {
            return false;
        }
        requests.offer(r);
        wakeForHomeWork(); // after the offer: pairs with park's sleeping-then-look
        return true;
    }

    // =====================================================================
    // Worker: what the API finds on this thread
    // =====================================================================

    @Override
    public String name() {
        return scheduler.name + "-" + index;
    }

    @Override
    public Object facade() {
        return scheduler.facade();
    }

    @Override
    public int poolIndex() {
        return index;
    }

    @Override
    public boolean tasksStayOnThread() {
        return false;
    }

    @Override
    public Task<?> taskInTurn() {
        return polling;
    }

    @Override
    public <T> Task<T> spawn(String taskName, Callable<T> body, TaskQueueHandle into) {
        if (into != null) {
            throw noTaskQueues();
        }
        return scheduler.spawn(taskName, body);
    }

    @Override
    public <T> Task<T> spawn(Future<T> future, TaskQueueHandle into) {
        if (into != null) {
            throw noTaskQueues();
        }
        return scheduler.spawn(future);
    }

    @Override
    public <T> Task<T> spawnHere(Future<T> future) {
        return scheduler.spawnOn(this, future);
    }

    @Override
    public void countStreamMovedIn() {
        counters.streamMovedIn();
    }

    @Override
    public void countForwardedOp() {
        counters.forwardedOp();
    }

    @Override
    public <T> Task<T> spawnBlocking(String taskName, Callable<T> body) {
        return BlockingTask.spawn(scheduler.blockingPool(), taskName, body, scheduler::failedUnobserved,
                scheduler::failedLeftBehind);
    }

    @Override
    public TaskQueueHandle createTaskQueue(String queueName, Shares shares, Latency latency) {
        throw noTaskQueues();
    }

    @Override
    public void removeTaskQueue(TaskQueueHandle q) {
        throw noTaskQueues();
    }

    private IllegalStateException noTaskQueues() {
        return new IllegalStateException("task queues with shares are per thread, and the tasks of "
                + scheduler + " move between threads: use a LocalExecutor (or a LocalExecutorPool) for them");
    }

    /** {@code Weft.blockInPlace}: see {@link BlockInPlace}. */
    @Override
    public <T> T blockInPlace(java.util.function.Supplier<T> body) {
        return BlockInPlace.run(this, body);
    }

    /**
     * This worker's reactor, opened by its thread at the first I/O of a task
     * that lives here: the builder's driver, else the {@code weft.driver}
     * property's, else the best this machine allows. A socket or file
     * belongs to it; the task that made it lives here, so it stays usable
     * across that task's awaits; another task, on another worker, moves a
     * stream with {@code detach()} and {@code attach()}.
     */
    @Override
    public IoDriver driver() {
        IoDriver d = driver;
        if (d != null) {
            return d;
        }
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException("I/O of worker " + name() + " used from thread "
                    + Thread.currentThread().getName() + ": sockets and files belong to the worker that made them");
        }
        if (scheduler.stopping) {
            throw new IllegalStateException(scheduler + " is closed");
        }
        d = Drivers.open(scheduler.driverChoice);
        d.bindTo(thread);
        driver = d; // before this worker ever parks in it: a notifier that reads it after its signal wakes it there
        return d;
    }

    /** The wheel of this worker: a task that arms a timer has run here, so it lives here (see package-info). */
    @Override
    public Timers timers() {
        return timers;
    }

    @Override
    public Clock clock() {
        return timers.clock();
    }

    @Override
    public boolean needPreempt() {
        return budget.remaining() == 0;
    }

    @Override
    public String toString() {
        return "worker " + name();
    }
}
