package io.weft.diag;

import io.weft.Stall;
import io.weft.task.Task;
import java.util.List;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.Recording;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * weft's JFR events, all off ({@code @Enabled(false)}) until a recording
 * turns them on (the {@code weft.jfc} settings file in the jar turns on all
 * four). While no recording has them on they cost nothing on the loop's
 * hot path: an executor reads the clock around a poll only while
 * {@code io.weft.SlowPoll} is on, and commits only polls over the
 * threshold (never a {@code begin()}/{@code end()} per poll). The flag is
 * kept by a recorder listener, so JFR is never started by weft.
 */
public final class WeftEvents {
    /**
     * Whether a recording has {@code io.weft.SlowPoll} on; read by the loops around each poll. A plain
     * field: a loop reads it again after every poll (a call the JIT cannot see through), so it sees a
     * change within a poll or two, and a volatile read there would cost the loop the freedom to keep its
     * other fields in registers.
     */
    static boolean slowPollOn;
    /** Polls at least this long are committed as SlowPoll ({@code -Dweft.jfr.slowPollMillis}, default 10). */
    static volatile long slowPollNanos = Long.getLong("weft.jfr.slowPollMillis", 10) * 1_000_000L;
    private static boolean periodicAdded;

    static {
        FlightRecorder.addListener(new FlightRecorderListener() {
            @Override
            public void recordingStateChanged(Recording recording) {
                refresh();
            }
        });
        if (FlightRecorder.isInitialized()) {
            refresh(); // a recording started with the JVM (-XX:StartFlightRecording), before this listener
        }
    }

    private WeftEvents() {
    }

    /** Makes sure the listener is registered ({@link Registry#add} calls it as each executor is made). */
    public static void init() {
    }

    private static synchronized void refresh() {
        if (!periodicAdded) {
            periodicAdded = true;
            FlightRecorder.addPeriodicEvent(ExecutorStatistics.class, WeftEvents::emitStatistics);
        }
        slowPollOn = EventType.getEventType(SlowPoll.class).isEnabled();
    }

    /** Sets the SlowPoll threshold (tests; the property sets it at start). */
    public static void slowPollThreshold(java.time.Duration d) {
        slowPollNanos = d.toNanos();
    }

    /** A poll of {@code t} on {@code executor} took {@code nanos}; commits a SlowPoll if it is over the threshold. */
    static void pollEnded(String executor, Task<?> t, long nanos) {
        if (nanos >= slowPollNanos) {
            SlowPoll e = new SlowPoll();
            if (e.isEnabled()) {
                e.executor = executor;
                e.task = StallWatchdog.describe(t);
                e.pollTime = nanos;
                e.commit();
            }
        }
    }

    static void stall(Stall s) {
        StallEvent e = new StallEvent();
        if (e.isEnabled()) {
            e.executor = s.executor();
            e.task = s.task();
            e.running = s.running().toNanos();
            e.ended = s.ended();
            e.stack = s.stack().length > 0 ? s.stack()[0].toString() : null;
            e.commit();
        }
    }

    /** An await refused by the debug check ({@code AwaitChecks}). */
    public static void awaitPinned(Task<?> t, String lock, StackTraceElement where) {
        AwaitPinned e = new AwaitPinned();
        if (e.isEnabled()) {
            e.task = t.toString();
            e.lock = lock;
            e.lockedAt = where != null ? where.toString() : null;
            e.commit();
        }
    }

    private static void emitStatistics() {
        for (io.weft.ExecutorMetrics s : Registry.metrics()) {
            ExecutorStatistics e = new ExecutorStatistics();
            e.executor = s.executor();
            e.tasksAlive = s.tasksAlive();
            e.tasksSpawned = s.tasksSpawned();
            e.tasksCompleted = s.tasksCompleted();
            e.polls = s.polls();
            e.parks = s.parks();
            e.unparks = s.unparks();
            e.remoteWakes = s.remoteWakes();
            e.budgetForcedYields = s.budgetForcedYields();
            e.queueDepth = s.queueDepth();
            e.steals = s.steals();
            e.reactorCompletions = s.reactorCompletions();
            e.busy = s.busyNanos();
            e.commit();
        }
    }

    @Name("io.weft.SlowPoll")
    @Label("Slow Poll")
    @Category("weft")
    @Description("A task poll that held its executor thread longer than the threshold (-Dweft.jfr.slowPollMillis)")
    @Enabled(false)
    @StackTrace(false)
    static final class SlowPoll extends Event {
        @Label("Executor")
        String executor;
        @Label("Task")
        String task;
        @Label("Poll Time")
        @Timespan
        long pollTime;
    }

    @Name("io.weft.Stall")
    @Label("Stall")
    @Category("weft")
    @Description("A task that has run longer than its executor's stall threshold without yielding")
    @Enabled(false)
    @StackTrace(false)
    static final class StallEvent extends Event {
        @Label("Executor")
        String executor;
        @Label("Task")
        String task;
        @Label("Running")
        @Timespan
        long running;
        @Label("Ended")
        boolean ended;
        @Label("Top Frame")
        String stack;
    }

    @Name("io.weft.AwaitPinned")
    @Label("Await Pinned")
    @Category("weft")
    @Description("An await refused because the task held a lock of its thread (-Dweft.debug.checkAwaits=true)")
    @Enabled(false)
    static final class AwaitPinned extends Event {
        @Label("Task")
        String task;
        @Label("Lock")
        String lock;
        @Label("Locked At")
        String lockedAt;
    }

    @Name("io.weft.ExecutorStatistics")
    @Label("Executor Statistics")
    @Category("weft")
    @Description("The counters of each weft executor (each worker of a StealingExecutor)")
    @Enabled(false)
    @Period("1 s")
    @StackTrace(false)
    static final class ExecutorStatistics extends Event {
        @Label("Executor")
        String executor;
        @Label("Tasks Alive")
        long tasksAlive;
        @Label("Tasks Spawned")
        long tasksSpawned;
        @Label("Tasks Completed")
        long tasksCompleted;
        @Label("Polls")
        long polls;
        @Label("Parks")
        long parks;
        @Label("Unparks")
        long unparks;
        @Label("Remote Wakes")
        long remoteWakes;
        @Label("Budget-Forced Yields")
        long budgetForcedYields;
        @Label("Queue Depth")
        long queueDepth;
        @Label("Steals")
        long steals;
        @Label("Reactor Completions")
        long reactorCompletions;
        @Label("Busy Time")
        @Timespan
        long busy;
    }

    /** For tests: the event names this class defines. */
    public static List<String> names() {
        return List.of("io.weft.SlowPoll", "io.weft.Stall", "io.weft.AwaitPinned", "io.weft.ExecutorStatistics");
    }
}
