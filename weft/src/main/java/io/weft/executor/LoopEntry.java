package io.weft.executor;

import io.weft.io.IoDriver;
import io.weft.sys.Affinity;
import io.weft.task.CurrentLoop;

/**
 * Which thread runs a LocalExecutor's loop: {@code run} and a started
 * executor's thread take it ({@link #enter}), a close or shutdown with no
 * loop running takes it to drive the loop itself ({@link #tryEnter}), a
 * dump takes it for a moment to read the tasks ({@link #runBorrowed}); each
 * gives it back with {@link #exit}. The executor's {@code thread} field is
 * the loop's owner, taken with a CAS so that two threads never both run
 * the loop (see package-info).
 */
final class LoopEntry {
    private final ExecutorCore core;
    /** The CPU the loop thread is pinned to while it runs the loop, or -1. */
    private final int pinCpu;
    /** The loop thread's affinity before it was pinned; the loop thread only. */
    private int[] savedAffinity;

    LoopEntry(ExecutorCore core, int pinCpu) {
        this.core = core;
        this.pinCpu = pinCpu;
    }


    void enter(String what) {
        Thread me = Thread.currentThread();
        Worker other = Worker.currentOrNull();
        if (other != null) {
            throw new IllegalStateException(what + "() called re-entrantly: this thread already runs executor "
                    + other.name() + "; spawn a task instead of running a nested executor");
        }
        if (me.isVirtual()) {
            throw new IllegalStateException(what + "() called on a virtual thread: a weft executor needs a platform thread");
        }
        if (!ExecutorCore.THREAD.compareAndSet(core, null, me)) {
            boolean mine;
            synchronized (borrowLock) { // a dump that holds the idle loop gives it back first
                mine = ExecutorCore.THREAD.compareAndSet(core, null, me);
            }
            if (!mine) {
                Thread t = core.thread;
                throw new IllegalStateException("executor " + core.name + " is already running on "
                        + (t != null ? t.getName() : "another thread"));
            }
        }
        boundTo(me);
    }

    /**
     * Held by a thread that holds the loop for a moment because none ran (a
     * dump, {@link #runBorrowed}) for as long as it holds it; a {@code run}
     * whose CAS of {@code thread} failed takes it and tries again, so a loop
     * held only by such a borrower never makes {@code run} fail.
     */
    private final Object borrowLock = new Object();

    /**
     * Runs {@code r} on this thread as the loop if no thread runs it (a
     * dump's read of the tasks); false, without running it, if one does or
     * this thread cannot take it.
     */
    boolean runBorrowed(Runnable r) {
        synchronized (borrowLock) {
            if (!tryEnter()) {
                return false;
            }
            try {
                r.run();
            } finally {
                exit();
            }
            return true;
        }
    }

    /** Whether the calling thread could run an executor's loop: a platform thread that runs no loop already. */
    static boolean mayRunALoop() {
        return CurrentLoop.get() == null && !Thread.currentThread().isVirtual();
    }

    /**
     * Takes the loop if no thread runs it (for a close or shutdown that must
     * drive it itself); false if another thread runs it or this thread
     * cannot (it runs another executor, or is virtual).
     */
    boolean tryEnter() {
        Thread me = Thread.currentThread();
        if (!mayRunALoop() || !ExecutorCore.THREAD.compareAndSet(core, null, me)) {
            return false;
        }
        boundTo(me);
        return true;
    }

    /** The rest of entering, once {@code thread} is this thread. */
    private void boundTo(Thread me) {
        if (pinCpu >= 0) {
            savedAffinity = Affinity.current();
            Affinity.pin(pinCpu);
        }
        CurrentLoop.enter(core);
        core.diag.coarseNanos = System.nanoTime();
        core.diag.probe.loopEntered(me);
        IoDriver d = core.driverIfOpen();
        if (d != null) {
            d.bindTo(me);
        }
        core.drainRemote();
    }

    void exit() {
        core.diag.runRequests(); // a dump asked for now gets its answer before the loop goes
        core.diag.probe.loopExited();
        if (core.idlePark.takeInterrupt()) {
            Thread.currentThread().interrupt();
        }
        CurrentLoop.exit();
        if (savedAffinity != null) {
            Affinity.set(savedAffinity);
            savedAffinity = null;
        }
        core.thread = null; // last: a close or shutdown waiting on another thread may take the loop from here on
    }
}
