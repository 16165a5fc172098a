package io.weft.diag;

import io.weft.Stall;
import io.weft.coro.StackFrames;
import io.weft.task.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The one thread per process that watches the executor threads whose stall
 * detection is on: every quarter of the smallest threshold (at least 1 ms,
 * at most 250 ms) it reads each {@link PollProbe}; a poll that has run
 * longer than its threshold is reported at once, with the executor
 * thread's stack sampled then (the stall is still going on), and reported
 * again when it is over, with its whole time. The thread starts with the
 * first probe and exits once the last is gone.
 *
 * <p>A poll longer than the threshold by less than one sampling period may
 * end before a sample sees it, and is then not reported; every poll longer
 * than the threshold plus the period is.
 */
public final class StallWatchdog {
    private static final Object LOCK = new Object();
    /** Under LOCK. */
    private static final List<PollProbe> PROBES = new ArrayList<>();
    /** Under LOCK: the watchdog thread, null when none runs. */
    private static Thread thread;
    /** On the watchdog thread, the probe whose reports it delivers now (its handler runs); else null. */
    private static final ThreadLocal<PollProbe> DELIVERING = new ThreadLocal<>();

    private StallWatchdog() {
    }

    static void register(PollProbe p) {
        synchronized (LOCK) {
            PROBES.add(p);
            if (thread == null) {
                thread = Thread.ofPlatform().daemon().name("weft-stall-watchdog").unstarted(StallWatchdog::watch);
                thread.start();
            } else {
                LockSupport.unpark(thread); // a smaller threshold may shorten the period
            }
        }
    }

    static void unregister(PollProbe p) {
        synchronized (LOCK) {
            PROBES.remove(p);
            if (thread != null) {
                LockSupport.unpark(thread); // the last one gone: it exits now
            }
        }
        Stall ended = null;
        synchronized (p) {
            // Reports the watchdog took before this are delivered before this returns (and before the end
            // reported here): once a loop has exited, no report of its probe comes. Unless the handler that
            // delivers them waits for this very loop to end (it closes the executor): it comes after.
            boolean interrupted = false;
            while (p.delivering && !p.handlerWaitsForLoops) {
                try {
                    p.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (p.reportedStart != 0) {
                ended = reportEnd(p, System.nanoTime()); // the loop has ended: its last poll is over
            }
        }
        if (ended != null) {
            deliver(p, ended); // outside the probe's lock, as every report
        }
    }

    /**
     * Called by a thread about to wait for executors to close or their
     * threads to end: on the watchdog thread (a handler that closes an
     * executor), the loops that exit meanwhile no longer wait for this
     * delivery to end (it waits for them). Elsewhere, nothing.
     */
    public static void handlerWaitsForLoops() {
        PollProbe p = DELIVERING.get();
        if (p != null) {
            synchronized (p) {
                p.handlerWaitsForLoops = true;
                p.notifyAll();
            }
        }
    }

    /** The watchdog thread if one runs (for tests: it exits once no executor detects stalls). */
    public static Thread threadIfRunning() {
        synchronized (LOCK) {
            return thread;
        }
    }

    private static void watch() {
        io.weft.sys.Affinity.unpinHelperThread(); // never on an executor's CPU alone
        PollProbe[] probes = new PollProbe[0];
        Stall[] reports = new Stall[2]; // one look's: the end of the stall reported, then a new one
        for (;;) {
            long period;
            synchronized (LOCK) {
                if (PROBES.isEmpty()) {
                    thread = null;
                    return;
                }
                probes = PROBES.toArray(probes);
                period = 250_000_000L;
                for (PollProbe p : PROBES) {
                    period = Math.min(period, Math.max(1_000_000L, p.thresholdNanos / 4));
                }
            }
            for (PollProbe p : probes) {
                if (p == null) {
                    break;
                }
                try {
                    try {
                        synchronized (p) {
                            try {
                                look(p, reports);
                            } finally {
                                p.delivering = reports[0] != null || reports[1] != null;
                            }
                        }
                    } finally {
                        // Outside the probe's lock: a handler may close its executor, whose thread takes that lock
                        // on its way out (unregister). A report the look made before it failed goes too.
                        if (p.delivering) { // only this thread writes it
                            DELIVERING.set(p);
                            try {
                                for (Stall r : reports) {
                                    if (r != null) {
                                        deliver(p, r);
                                    }
                                }
                            } finally {
                                DELIVERING.remove();
                                synchronized (p) {
                                    p.delivering = false;
                                    p.handlerWaitsForLoops = false;
                                    p.notifyAll(); // a loop that exits waits for this delivery
                                }
                            }
                        }
                    }
                } catch (Throwable t) {
                    io.weft.task.Log.get().log(System.Logger.Level.ERROR, "weft stall watchdog: looking at executor " + p.executor
                            + " failed", t);
                }
            }
            java.util.Arrays.fill(probes, null);
            LockSupport.parkNanos(StallWatchdog.class, period);
        }
    }

    /**
     * One look at one executor thread, under the probe's lock: into
     * {@code out}, the reports to deliver once the lock is released, in
     * order (the end of the stall reported before, a stall found now; null:
     * none).
     */
    private static void look(PollProbe p, Stall[] out) {
        out[0] = null;
        out[1] = null;
        Task<?> t = p.polling();
        long start = p.start();
        boolean consistent = t != null && p.polling() == t; // the start read belongs to a poll of t
        long now = System.nanoTime();
        if (p.reportedStart != 0 && !(consistent && start == p.reportedStart)) {
            out[0] = reportEnd(p, now);
        }
        if (consistent && start != p.reportedStart && now - start >= p.thresholdNanos) {
            Thread th = p.thread();
            if (th == null) {
                return;
            }
            StackTraceElement[] stack = StackFrames.ofRunningTask(th.getStackTrace());
            if (p.polling() != t || p.start() != start) {
                return; // it yielded while its stack was taken: the stack may be another poll's
            }
            Thread.State state = th.getState();
            Stall s = new Stall(p.executor, describe(t), Duration.ofNanos(System.nanoTime() - start), stack, false);
            if (state == Thread.State.BLOCKED) {
                io.weft.task.Log.get().log(System.Logger.Level.WARNING, "executor " + p.executor + ": its thread is blocked entering a"
                        + " monitor in task " + s.task() + ". If another task of this executor suspended inside"
                        + " synchronized on that object, it holds the monitor and cannot release it until this"
                        + " thread runs it again: a deadlock. Use io.weft.sync.Mutex for a lock held across"
                        + " awaits; -Dweft.debug.checkAwaits=true makes such an await throw where it happens.");
            }
            p.reportedStart = start;
            p.reported = s;
            out[1] = s;
        }
    }

    /** The stall reported for {@code p} is over: its report, with its whole time (to deliver). */
    private static Stall reportEnd(PollProbe p, long now) {
        long start = p.reportedStart;
        Stall began = p.reported;
        p.reportedStart = 0;
        p.reported = null;
        long end = p.lastStart() == start ? p.lastEnd() : now;
        return new Stall(began.executor(), began.task(), Duration.ofNanos(Math.max(end - start,
                began.running().toNanos())), began.stack(), true);
    }

    private static void deliver(PollProbe p, Stall s) {
        WeftEvents.stall(s);
        try {
            p.onStall.accept(s);
        } catch (Throwable e) {
            io.weft.task.Log.get().log(System.Logger.Level.ERROR, "the onStall handler of executor " + p.executor + " threw", e);
        }
    }

    /** The task as a report names it: its label and, on a LocalExecutor, its task queue. */
    static String describe(Task<?> t) {
        String label = t.toString();
        if (t.name() != null && t.id() != 0) {
            label += " (#" + t.id() + ")";
        }
        String queue = TaskDumps.taskQueueName(t);
        return queue != null ? label + " in queue " + queue : label;
    }

    /** The default handler: one WARNING through System.Logger "io.weft". */
    static void log(Stall s) {
        io.weft.task.Log.get().log(System.Logger.Level.WARNING, s.toString());
    }
}
