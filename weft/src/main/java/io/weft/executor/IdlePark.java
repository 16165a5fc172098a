package io.weft.executor;

import io.weft.Clock;
import io.weft.io.IoDriver;
import java.util.concurrent.locks.LockSupport;

/**
 * What a LocalExecutor's loop does when nothing is runnable: look for work
 * once more, spin for a while if asked, move a paused clock to the next
 * timer, or park (in its reactor once one is open) until a wake, the next
 * timer or a change of phase; and what it counts doing so. Loop thread
 * only; the {@code sleeping} flag it raises is its executor's, read by
 * other threads (see {@link ExecutorCore#schedule}).
 */
final class IdlePark {
    private final ExecutorCore core;
    /** How long to spin before parking (0: park at once). */
    private final long spinNanos;
    /** The clock is paused (virtual): the idle loop moves it to the next deadline instead of parking. */
    private final boolean pausedClock;
    /** The loop thread was interrupted while idle: the flag was cleared to park, and is set again when it leaves. */
    private boolean interruptedWhileIdle;

    // counters: written by the loop thread, read by stats() (a value may lag)
    long parks;
    long unparks;
    long timedParks;
    long lastParkNanos = -1;
    long clockJumps;

    IdlePark(ExecutorCore core, long spinNanos) {
        this.core = core;
        this.spinNanos = spinNanos;
        this.pausedClock = core.clock().isPaused();
    }

    /** Whether the thread was interrupted while idle (and forgets it): the loop sets the flag again as it leaves. */
    boolean takeInterrupt() {
        boolean was = interruptedWhileIdle;
        interruptedWhileIdle = false;
        return was;
    }

    /**
     * Nothing runnable: look for work, spin for {@code spinNanos}, then park
     * until a wake, the next timer, or a change of phase. On a paused clock,
     * instead of a timed park the clock jumps to the next timer's deadline
     * (the loop then fires it); with no timer at all the loop parks until a
     * remote wake.
     */
    void idle() {
        ExecutorCore core = this.core;
        if (core.maintenance() > 0 || core.scheduler.hasRunnable()) {
            return;
        }
        core.failures.sweep(false);
        if (core.lifecycle.due()) {
            return;
        }
        if (spinNanos > 0) {
            long until = System.nanoTime() + spinNanos;
            int round = 0;
            while (core.remote.isEmpty() && System.nanoTime() - until < 0) {
                IoDriver d = core.driverIfOpen();
                if ((++round & 31) == 0 && d != null && d.poll() > 0) {
                    return; // I/O completed meanwhile: its tasks run now, not after the spin
                }
                Thread.onSpinWait();
            }
            if (!core.remote.isEmpty()) {
                return;
            }
        }
        long next = core.timers().nextDeadline();
        if (pausedClock && next != Long.MAX_VALUE) {
            // Every task waits: virtual time moves straight to the next deadline (no park).
            ((Clock.Paused) core.clock()).advanceTo(next);
            clockJumps++;
            return;
        }
        if (Thread.interrupted()) {
            // An interrupt would make every park return at once: the idle loop would spin. The executor
            // does not stop on interrupts (abort tasks or close it instead); the flag is restored when run returns.
            interruptedWhileIdle = true;
        }
        boolean parked = false;
        core.sleeping = true; // pairs with the read of sleeping in schedule() and wakeLoop(): one side sees the other
        try {
            if (!core.remote.isEmpty() || core.lifecycle.due() || core.diag.hasRequests()) {
                return;
            }
            parks++;
            parked = true;
            IoDriver d = core.driverIfOpen();
            if (next == Long.MAX_VALUE) {
                long limit = core.parkLimit == Long.MAX_VALUE ? -1 : Math.max(core.parkLimit - System.nanoTime(), 0);
                if (d != null) {
                    d.park(limit);
                } else if (limit < 0) {
                    LockSupport.park(core);
                } else {
                    LockSupport.parkNanos(core, limit);
                }
            } else {
                long wait = next - core.clock().nanoTime();
                if (wait > 0) {
                    timedParks++;
                    lastParkNanos = wait;
                    long limit = core.parkLimit - System.nanoTime();
                    if (d != null) {
                        d.park(Math.min(wait, Math.max(limit, 0))); // no longer than the next deadline
                    } else {
                        LockSupport.parkNanos(core, Math.min(wait, limit));
                    }
                }
            }
        } finally {
            core.sleeping = false;
            if (parked) {
                unparks++;
            }
            core.diag.coarseNanos = System.nanoTime(); // what it admits next was born after the park
        }
    }
}
