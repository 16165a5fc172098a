package io.weft.steal;

import io.weft.StealingExecutorStats;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The counters of one worker. Single writer: only the worker's thread
 * changes them, with an opaque store (a plain store on x86 and ARM, but
 * never torn and never hoisted out of the loop), so any thread may read
 * each one with an opaque load and see a value the worker wrote. A snapshot
 * reads them one by one: each value is one the worker had, not all from
 * the same instant (as tokio's runtime metrics).
 */
final class WorkerCounters {
    private static final VarHandle POLLS;
    private static final VarHandle LIFO_POLLS;
    private static final VarHandle PARKS;
    private static final VarHandle UNPARKS;
    private static final VarHandle STEALS;
    private static final VarHandle STOLEN;
    private static final VarHandle REMOTE;
    private static final VarHandle TIMERS;
    private static final VarHandle SPAWNED;
    private static final VarHandle COMPLETED;
    private static final VarHandle BUSY;
    private static final VarHandle OVERFLOWS;
    private static final VarHandle MOVES_IN;
    private static final VarHandle FORWARDED;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            POLLS = l.findVarHandle(WorkerCounters.class, "polls", long.class);
            LIFO_POLLS = l.findVarHandle(WorkerCounters.class, "lifoPolls", long.class);
            PARKS = l.findVarHandle(WorkerCounters.class, "parks", long.class);
            UNPARKS = l.findVarHandle(WorkerCounters.class, "unparks", long.class);
            STEALS = l.findVarHandle(WorkerCounters.class, "steals", long.class);
            STOLEN = l.findVarHandle(WorkerCounters.class, "stolen", long.class);
            REMOTE = l.findVarHandle(WorkerCounters.class, "remoteWakes", long.class);
            TIMERS = l.findVarHandle(WorkerCounters.class, "timerFires", long.class);
            SPAWNED = l.findVarHandle(WorkerCounters.class, "spawned", long.class);
            COMPLETED = l.findVarHandle(WorkerCounters.class, "completed", long.class);
            BUSY = l.findVarHandle(WorkerCounters.class, "busyNanos", long.class);
            OVERFLOWS = l.findVarHandle(WorkerCounters.class, "overflows", long.class);
            MOVES_IN = l.findVarHandle(WorkerCounters.class, "streamsMovedIn", long.class);
            FORWARDED = l.findVarHandle(WorkerCounters.class, "forwardedOps", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private long polls;
    private long lifoPolls;
    private long parks;
    private long unparks;
    private long steals;
    private long stolen;
    private long remoteWakes;
    private long timerFires;
    private long spawned;
    private long completed;
    private long busyNanos;
    private long overflows;
    private long streamsMovedIn;
    private long forwardedOps;
    /** When the worker last left a park (or started); its thread only. */
    private long busySince = System.nanoTime();

    void poll(boolean lifo) {
        POLLS.setOpaque(this, polls + 1);
        if (lifo) {
            LIFO_POLLS.setOpaque(this, lifoPolls + 1);
        }
    }

    /** The worker is about to park: the time since it last woke was busy. */
    void park() {
        BUSY.setOpaque(this, busyNanos + (System.nanoTime() - busySince));
        PARKS.setOpaque(this, parks + 1);
    }

    void unpark() {
        busySince = System.nanoTime();
        UNPARKS.setOpaque(this, unparks + 1);
    }

    void steal(int tasks) {
        STEALS.setOpaque(this, steals + 1);
        STOLEN.setOpaque(this, stolen + tasks);
    }

    void remoteWake() {
        REMOTE.setOpaque(this, remoteWakes + 1);
    }

    void timersFired(int n) {
        TIMERS.setOpaque(this, timerFires + n);
    }

    /**
     * A task spawned here, counted before it is queued: a release store, so
     * that whoever sees the task's completion counted (an acquire load of
     * {@link #completedCount}) sees its spawn counted too.
     */
    void spawned() {
        SPAWNED.setRelease(this, spawned + 1);
    }

    /** A task completed here (its home): a release store, the partner of {@link #completedCount}'s acquire. */
    void completed() {
        COMPLETED.setRelease(this, completed + 1);
    }

    /** A stream moved here (registered with this worker's reactor) for a task of this worker. */
    void streamMovedIn() {
        MOVES_IN.setOpaque(this, streamsMovedIn + 1);
    }

    /** A stream operation run here for a task of another worker. */
    void forwardedOp() {
        FORWARDED.setOpaque(this, forwardedOps + 1);
    }

    /** Its full local queue sent half of it to the shared queue. */
    void overflow() {
        OVERFLOWS.setOpaque(this, (long) OVERFLOWS.getOpaque(this) + 1);
    }

    long overflowCount() {
        return (long) OVERFLOWS.getOpaque(this);
    }

    long spawnedCount() {
        return (long) SPAWNED.getOpaque(this);
    }

    /** An acquire load: the spawn counts read after it include every task whose completion it counts. */
    long completedCount() {
        return (long) COMPLETED.getAcquire(this);
    }

    /** What the worker's counters read now (any thread). */
    StealingExecutorStats.Worker snapshot(int index, int queueDepth) {
        long p = (long) PARKS.getOpaque(this);
        long u = (long) UNPARKS.getOpaque(this);
        return new StealingExecutorStats.Worker(index, (long) POLLS.getOpaque(this),
                (long) LIFO_POLLS.getOpaque(this), p, u, (long) STEALS.getOpaque(this),
                (long) STOLEN.getOpaque(this), (long) REMOTE.getOpaque(this), (long) TIMERS.getOpaque(this),
                (long) BUSY.getOpaque(this), (long) MOVES_IN.getOpaque(this), (long) FORWARDED.getOpaque(this),
                queueDepth);
    }
}
