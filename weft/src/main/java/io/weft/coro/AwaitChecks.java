package io.weft.coro;

import io.weft.task.Task;
import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The debug check of an {@code await()} about to suspend
 * ({@code -Dweft.debug.checkAwaits=true}): a task that suspends inside
 * {@code synchronized} keeps the monitor, and the JDK lets the
 * continuation yield with it, so the next task of the executor that enters
 * it blocks the executor's thread for ever, with no message; a task that
 * suspends holding a {@code ReentrantLock} (or any lock owned by the
 * thread) leaves it held by the executor's thread, so every other task on
 * that thread passes through it. With the check on, such an await throws
 * {@link IllegalStateException} naming the lock and the remedy before it
 * suspends, and counts it ({@link #pinnedAwaits()}).
 *
 * <p>Off by default: the check asks the JVM for the thread's locks (tens
 * of microseconds per suspension). Off, it costs one read of a static
 * field per suspension.
 */
public final class AwaitChecks {
    private static volatile boolean enabled = Boolean.getBoolean("weft.debug.checkAwaits");
    private static final LongAdder PINNED = new LongAdder();

    private AwaitChecks() {
    }

    static boolean enabled() {
        return enabled;
    }

    /** Turns the check on or off for the whole process (tests; the property sets it at start). */
    public static void enable(boolean on) {
        enabled = on;
    }

    /** Awaits refused because the task held a lock (since the JVM started). */
    public static long pinnedAwaits() {
        return PINNED.sum();
    }

    /** Throws if the calling task holds a monitor taken in its own frames, or the thread holds a lock. */
    static void beforeSuspend(Task<?> task) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        ThreadInfo info = mx.getThreadInfo(new long[] {Thread.currentThread().threadId()},
                mx.isObjectMonitorUsageSupported(), mx.isSynchronizerUsageSupported())[0];
        if (info == null) {
            return;
        }
        // frames above the body's entry are the task's; a monitor taken below it (by who runs the executor) stays
        int body = StackFrames.entryFrame(info.getStackTrace(), 0);
        for (MonitorInfo m : info.getLockedMonitors()) {
            int depth = m.getLockedStackDepth();
            if (depth >= 0 && depth < body) {
                PINNED.increment();
                io.weft.diag.WeftEvents.awaitPinned(task, "monitor " + name(m), m.getLockedStackFrame());
                throw new IllegalStateException("await() in task " + task + " would suspend inside synchronized: it"
                        + " holds the monitor of " + name(m) + " (locked at " + m.getLockedStackFrame() + "). A"
                        + " suspended task keeps its monitors, and the next task of this executor that enters"
                        + " one blocks the executor's thread for ever. Leave the synchronized block before the"
                        + " await, or use io.weft.sync.Mutex, which a task holds across awaits.");
            }
        }
        for (LockInfo l : info.getLockedSynchronizers()) {
            PINNED.increment();
            io.weft.diag.WeftEvents.awaitPinned(task, "lock " + name(l), null);
            throw new IllegalStateException("await() in task " + task + " would suspend while the executor's thread"
                    + " holds " + name(l) + ". A lock such as ReentrantLock belongs to the thread, not the task:"
                    + " while this task is suspended, every other task on the thread passes through it. Unlock"
                    + " it before the await, or use io.weft.sync.Mutex, which a task holds across awaits.");
        }
    }

    private static String name(LockInfo l) {
        return l.getClassName() + "@" + Integer.toHexString(l.getIdentityHashCode());
    }
}
