package io.weft.executor;

import io.weft.Latency;
import io.weft.Shares;
import io.weft.TaskQueueHandle;
import io.weft.TaskQueueStats;
import io.weft.task.Budget;
import io.weft.task.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Which task runs next: an executor's task queues, the heap of the active
 * ones ordered by vruntime, and the slice of the queue that runs now (see
 * package-info, "Task queues"). Loop thread only; {@link ExecutorCore} owns
 * one and calls back into it for maintenance during a slice.
 */
final class Scheduler {
    /** Tasks between two drains of the remote queue and the timers (as glommio and tokio: 61). */
    static final int MAINTENANCE_INTERVAL = 61;
    /** Tasks between two looks at the clock for the end of a slice. */
    static final int CLOCK_CHECK_INTERVAL = 16;

    private final ExecutorCore core;
    private final long preemptNanos;
    /**
     * Every queue not removed, in the order made: copied on write by the
     * loop thread (a queue is made or removed rarely), read whole by other
     * threads (stats, metrics).
     */
    private volatile TaskQueue[] queueArray = new TaskQueue[0];
    /** The id of the next queue made. Loop thread only. */
    private int nextQueueId;
    private final QueueHeap active = new QueueHeap();
    final TaskQueue defaultQueue;

    private TaskQueue runningQueue;
    /**
     * The vruntime below which no queue is let back in: the smallest of the
     * active and running queues' when there are some, else the last such
     * (never decreasing, as CFS's min_vruntime). A queue woken while every
     * queue was idle gets no credit for its sleep against one that ran alone.
     */
    private long floor;
    private long sliceDeadline;
    private int tick;
    /** Set by needPreempt when timers or remote wakes wait: maintenance after the current task. */
    private boolean maintenanceDue;

    long polls;
    long runtimeNanos;

    Scheduler(ExecutorCore core, long preemptNanos) {
        this.core = core;
        this.preemptNanos = preemptNanos;
        this.defaultQueue = newQueue("default", Shares.fixed(1000), Latency.notImportant());
    }

    TaskQueue newQueue(String name, Shares shares, Latency latency) {
        TaskQueue q = new TaskQueue(core, nextQueueId++, name, shares, latency, System.nanoTime());
        q.vruntime = floor; // as if it had been woken: no credit for the time before it existed
        TaskQueue[] a = queueArray;
        TaskQueue[] more = java.util.Arrays.copyOf(a, a.length + 1);
        more[a.length] = q;
        queueArray = more;
        return q;
    }

    /**
     * Takes {@code h}'s queue out (see {@code Weft.removeTaskQueue}): refused
     * while a task of it is live. None is, so it is on no run queue, not in
     * the active heap and not running: it is IDLE.
     */
    void removeQueue(TaskQueueHandle h) {
        TaskQueue q = queueOf(h);
        long live = q.tasksSpawned - q.tasksCompleted;
        if (live > 0) {
            throw new IllegalStateException("task queue " + q.name + " still has " + live + " live task"
                    + (live == 1 ? "" : "s") + ": remove it once they have finished (await them, or abort and"
                    + " await them)");
        }
        assert q.status == TaskQueue.IDLE && q != defaultQueue;
        q.removed = true;
        TaskQueue[] a = queueArray;
        TaskQueue[] fewer = new TaskQueue[a.length - 1];
        for (int i = 0, j = 0; i < a.length; i++) {
            if (a[i] != q) {
                fewer[j++] = a[i];
            }
        }
        queueArray = fewer;
    }

    /** The queue behind a handle of this executor (the default queue for null), not removed. */
    TaskQueue queueOf(TaskQueueHandle h) {
        if (h == null) {
            return defaultQueue;
        }
        if (!(h instanceof TaskQueue q) || q.executor != core) {
            throw new IllegalArgumentException("task queue " + h.name() + " belongs to another executor");
        }
        if (q.removed) {
            throw new IllegalStateException("task queue " + q.name + " was removed (Weft.removeTaskQueue):"
                    + " make a new one");
        }
        return q;
    }

    void enqueue(Task<?> t, TaskQueue q) {
        q.push(t);
        if (q.status == TaskQueue.IDLE) {
            activate(q);
        }
    }

    private void activate(TaskQueue q) {
        long f = floor();
        if (q.vruntime < f) {
            q.vruntime = f; // no credit for time spent idle
        }
        q.status = TaskQueue.ACTIVE;
        q.activatedAt = System.nanoTime();
        active.add(q);
        if (runningQueue != null && q.latency.isImportant()) {
            // A latency-sensitive queue woke up: the running slice must end in time for it (compared by
            // subtraction: a bound near the clock's range must not wrap past it).
            long due = q.activatedAt + q.latency.nanos();
            if (due - sliceDeadline < 0) {
                sliceDeadline = due;
            }
        }
    }

    /** {@link #floor}, raised to the smallest vruntime of the active and running queues if there are some. */
    private long floor() {
        long min = Long.MAX_VALUE;
        TaskQueue top = active.peek();
        if (top != null) {
            min = top.vruntime;
        }
        if (runningQueue != null) {
            min = Math.min(min, runningQueue.vruntime);
        }
        if (min != Long.MAX_VALUE && min > floor) {
            floor = min;
        }
        return floor;
    }

    /** Whether a task besides the running one is queued: in the running queue, or in another active one. */
    boolean othersReady() {
        TaskQueue q = runningQueue;
        return (q != null && !q.isEmpty()) || !active.isEmpty();
    }

    /** Whether some queue has a task to run. */
    boolean hasRunnable() {
        return !active.isEmpty();
    }

    /**
     * Picks the active queue with the smallest vruntime and runs its tasks
     * until it is empty, its slice ends, or {@code root} finishes; every 61
     * tasks (and when {@link #needPreempt} asked for it) the executor's
     * maintenance runs. Returns false when no queue was runnable.
     */
    boolean runSlice(Task<?> root, Budget budget) {
        TaskQueue q = active.poll();
        if (q == null) {
            return false;
        }
        long start = System.nanoTime();
        CoreDiagnostics diag = core.diag;
        diag.coarseNanos = start;
        q.status = TaskQueue.RUNNING;
        q.waitNanos += start - q.activatedAt;
        q.slices++;
        runningQueue = q;
        sliceDeadline = start + Math.min(preemptNanos, Math.min(q.latency.nanos(), active.minLatencyNanos()));
        Task<?> t;
        while ((t = q.pop()) != null) {
            budget.reset();
            q.polls++;
            polls++;
            diag.probe.begin(t);
            t.turn();
            budget.pollEnded();
            diag.probe.end();
            boolean checkClock = ++tick % CLOCK_CHECK_INTERVAL == 0;
            if (tick % MAINTENANCE_INTERVAL == 0 || maintenanceDue) {
                maintenanceDue = false;
                core.maintenance(); // may activate a latency-sensitive queue and shorten the slice
                checkClock = true;
            }
            if (root != null && root.isFinished()) {
                break;
            }
            if (checkClock && (diag.coarseNanos = System.nanoTime()) - sliceDeadline >= 0) {
                break;
            }
        }
        long end = System.nanoTime();
        long elapsed = end - start;
        runtimeNanos += elapsed;
        q.charge(elapsed, end);
        floor(); // while q still counts as running: the floor follows the queues that ran
        runningQueue = null;
        if (q.isEmpty()) {
            q.status = TaskQueue.IDLE;
        } else {
            q.status = TaskQueue.ACTIVE;
            q.activatedAt = end;
            active.add(q);
        }
        if (floor > REBASE_AT) {
            rebaseVruntimes();
        }
        return true;
    }

    /** Vruntimes are brought down once the floor passes this, far from overflow. */
    static final long REBASE_AT = 1L << 60;

    /**
     * Keeps vruntimes far from overflow: subtracts the floor from every
     * queue's. The active queues are at or above it, so their order in the
     * heap holds; an idle one below it goes to 0 (it is lifted to the floor
     * when woken anyway).
     */
    private void rebaseVruntimes() {
        for (TaskQueue q : queues()) {
            q.vruntime = Math.max(0, q.vruntime - floor);
        }
        floor = 0;
    }

    /**
     * Whether a queue runs and its slice is over at {@code now}
     * ({@code System.nanoTime()}). False outside a slice.
     */
    boolean sliceOver(long now) {
        return runningQueue != null && now - sliceDeadline >= 0;
    }

    /** Whether a queue is running a slice now. */
    boolean inSlice() {
        return runningQueue != null;
    }

    /** Maintenance right after the current task (a timer is due, or a remote wake waits). */
    void maintenanceDue() {
        maintenanceDue = true;
    }

    /** Tasks on the run queues now. */
    int queued() {
        int tasks = 0;
        for (TaskQueue q : queues()) {
            tasks += q.size;
        }
        return tasks;
    }

    /** Every task on a run queue. */
    void forEachQueued(Consumer<Task<?>> action) {
        for (TaskQueue q : queues()) {
            q.forEach(action);
        }
    }

    List<TaskQueueStats> stats() {
        List<TaskQueue> all = queues();
        List<TaskQueueStats> qs = new ArrayList<>(all.size());
        for (TaskQueue q : all) {
            qs.add(q.stats());
        }
        return List.copyOf(qs);
    }

    /** The queues not removed (any thread): one read of the copy-on-write array. */
    private List<TaskQueue> queues() {
        return java.util.Arrays.asList(queueArray);
    }
}
