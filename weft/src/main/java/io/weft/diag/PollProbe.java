package io.weft.diag;

import io.weft.Stall;
import io.weft.task.Task;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;

/**
 * What one executor thread (a LocalExecutor's loop, a StealingExecutor's
 * worker) polls now, for those who look from outside: the stall watchdog
 * and a dump that the loop cannot answer in time. The loop thread writes
 * it around each poll ({@link #begin}, {@link #end}); with stall detection
 * off that is one reference store and one null store per poll, with no
 * clock read.
 *
 * <p>Ordering: the loop writes {@code start} (opaque), then {@code task}
 * (release); a reader acquires {@code task}, reads {@code start}, and
 * acquires {@code task} again: the same task both times means the start
 * it read belongs to a poll of that task (see {@link StallWatchdog}).
 */
public final class PollProbe {
    private static final VarHandle TASK;
    private static final VarHandle TASK_ID;
    private static final VarHandle START;
    private static final VarHandle LAST_START;
    private static final VarHandle LAST_END;

    static {
        try {
            var l = MethodHandles.lookup();
            TASK = l.findVarHandle(PollProbe.class, "task", Task.class);
            TASK_ID = l.findVarHandle(PollProbe.class, "taskId", long.class);
            START = l.findVarHandle(PollProbe.class, "start", long.class);
            LAST_START = l.findVarHandle(PollProbe.class, "lastStart", long.class);
            LAST_END = l.findVarHandle(PollProbe.class, "lastEnd", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The name reports give the executor (a worker's name on a StealingExecutor). */
    final String executor;
    /** Polls longer than this are stalls; 0: detection off. */
    final long thresholdNanos;
    final Consumer<Stall> onStall;
    /** Its poll times, or null if not asked for. */
    private final PollHistogram histogram;
    /** Every poll is timed (stall detection or the histogram is on). */
    private final boolean alwaysTimed;

    /**
     * The task being polled, or null between polls; the loop thread writes it (release), only while the
     * poll is timed (stall detection or SlowPoll on). A reference stored per poll into this long-lived
     * object costs the GC's card-marking barrier, measured at 6 ns per spawn and join; so untimed polls
     * store only {@link #taskId}.
     */
    @SuppressWarnings("unused")
    private Task<?> task;
    /** The id of the task being polled, or 0 between polls (opaque), when the poll is not timed. */
    @SuppressWarnings("unused")
    private long taskId;
    /** When the current poll began (System.nanoTime); written only while polls are timed. */
    @SuppressWarnings("unused")
    private long start;
    /** The last poll that ended: its start and end; written only while polls are timed. */
    @SuppressWarnings("unused")
    private long lastStart;
    @SuppressWarnings("unused")
    private long lastEnd;
    /** The loop thread while a loop runs, else null. */
    private volatile Thread thread;
    /** The current poll's start was read (detection or SlowPoll on when it began); the loop thread only. */
    private boolean timed;

    // ---- the watchdog's, under this probe's monitor ----
    /** The start of the poll reported as a stall and not yet as ended; 0 if none. */
    long reportedStart;
    Stall reported;
    /** The watchdog has taken reports of this probe (under the monitor) and is delivering them (outside it). */
    boolean delivering;
    /**
     * That delivery's handler waits for executors to close or their threads to end: the loop that exits
     * must not wait for the delivery (see {@link StallWatchdog#handlerWaitsForLoops}).
     */
    boolean handlerWaitsForLoops;

    /**
     * @param executor       the name reports use
     * @param thresholdNanos a poll longer than this is a stall; 0 turns detection off
     * @param onStall        where reports go (null: a WARNING through System.Logger "io.weft")
     */
    public PollProbe(String executor, long thresholdNanos, Consumer<Stall> onStall) {
        this(executor, thresholdNanos, onStall, false);
    }

    /** As above; {@code histogram}: record every poll's time ({@code pollTimeHistogram()} on a builder). */
    public PollProbe(String executor, long thresholdNanos, Consumer<Stall> onStall, boolean histogram) {
        this.executor = executor;
        this.thresholdNanos = thresholdNanos;
        this.onStall = onStall != null ? onStall : StallWatchdog::log;
        this.histogram = histogram ? new PollHistogram() : null;
        this.alwaysTimed = thresholdNanos > 0 || histogram;
    }

    /** The poll times so far ({@link io.weft.PollTimes#NONE} if not recorded); any thread. */
    public io.weft.PollTimes pollTimes() {
        return histogram != null ? histogram.snapshot() : io.weft.PollTimes.NONE;
    }

    /** The loop starts on this thread: the watchdog looks at it from now on (if detection is on). */
    public void loopEntered(Thread t) {
        thread = t;
        if (thresholdNanos > 0) {
            StallWatchdog.register(this);
        }
    }

    /** The loop ends: a stall still unreported as ended is reported now, and the watchdog forgets the probe. */
    public void loopExited() {
        if (thresholdNanos > 0) {
            StallWatchdog.unregister(this);
        }
        thread = null;
    }

    /** Loop thread: a poll of {@code t} begins. */
    public void begin(Task<?> t) {
        if (alwaysTimed || WeftEvents.slowPollOn) {
            beginTimed(t);
        } else {
            TASK_ID.setOpaque(this, t.id());
        }
    }

    private void beginTimed(Task<?> t) {
        beginTimedAt(t, System.nanoTime());
    }

    /** A timed poll of {@code t} begins at {@code startNanos} (the loop thread; public for the jcstress test). */
    public void beginTimedAt(Task<?> t, long startNanos) {
        timed = true;
        START.setOpaque(this, startNanos);
        TASK.setRelease(this, t); // after the start: the watchdog's acquire of the task sees it
    }

    /** Loop thread: the poll ends. */
    public void end() {
        if (timed) {
            endTimed();
        } else {
            TASK_ID.setOpaque(this, 0L);
        }
    }

    private void endTimed() {
        timed = false;
        long now = System.nanoTime();
        long began = (long) START.getOpaque(this);
        LAST_END.setOpaque(this, now);
        LAST_START.setOpaque(this, began);
        if (histogram != null) {
            histogram.record(now - began);
        }
        if (WeftEvents.slowPollOn) {
            WeftEvents.pollEnded(executor, (Task<?>) TASK.getOpaque(this), now - began);
        }
        TASK.setRelease(this, null);
    }

    /** The task being polled now if the poll is timed, from any thread (may be stale by the time it is used). */
    public Task<?> polling() {
        return (Task<?>) TASK.getAcquire(this);
    }

    /** The id of the task being polled now if the poll is not timed, else 0 (any thread; may be stale). */
    public long pollingId() {
        return (long) TASK_ID.getOpaque(this);
    }

    /** The loop thread, or null when no loop runs. */
    public Thread thread() {
        return thread;
    }

    /** When the current timed poll began (what the watchdog reads; public for the jcstress test). */
    public long start() {
        return (long) START.getOpaque(this);
    }

    long lastStart() {
        return (long) LAST_START.getOpaque(this);
    }

    long lastEnd() {
        return (long) LAST_END.getOpaque(this);
    }
}
