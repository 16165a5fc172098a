package io.weft.steal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Which workers sleep and which search for work (tokio's {@code idle.rs}).
 * One word counts the workers that are not parked ({@code unparked}, high
 * 16 bits) and those searching ({@code searching}, low 16 bits); a list
 * under a lock holds the parked workers.
 *
 * <ul>
 *   <li>At most half the workers search at once
 *       ({@link #transitionToSearching}).</li>
 *   <li>New work wakes a parked worker only when nobody searches (a
 *       searcher will find it) and somebody is parked
 *       ({@link #workerToNotify}); the woken worker starts out searching.</li>
 *   <li>The last searcher to find work wakes another
 *       ({@link #transitionFromSearching} returns true); the last searcher to
 *       give up looks at every queue once more before it parks
 *       ({@link #transitionToParked} returns true).</li>
 * </ul>
 * Why no work is left behind: whoever queues a task then reads the word
 * with an atomic read-modify-write; a worker that parks changes the word
 * (atomically), then, if it was the last searcher, looks at every queue.
 * The two RMWs on one word are ordered: if the queuing comes first, the
 * parker's look finds the task; otherwise the queuer reads the parker's
 * change and sees nobody searching, and wakes a parked worker. The jcstress
 * test {@code StealParkTest} checks a spawn from outside against the last
 * worker going to park.
 */
final class Idle {
    private static final int UNPARK_SHIFT = 16;
    private static final int SEARCH_MASK = (1 << UNPARK_SHIFT) - 1;

    private final int workers;
    private final AtomicInteger state;
    private final ReentrantLock lock = new ReentrantLock();
    /** Parked workers' indices, a stack; under the lock. */
    private final int[] sleepers;
    private int sleeping;

    Idle(int workers) {
        if (workers >= SEARCH_MASK) {
            throw new IllegalArgumentException("at most " + (SEARCH_MASK - 1) + " workers, was " + workers);
        }
        this.workers = workers;
        this.state = new AtomicInteger(workers << UNPARK_SHIFT); // all unparked, none searching
        this.sleepers = new int[workers];
    }

    static int searching(int s) {
        return s & SEARCH_MASK;
    }

    static int unparked(int s) {
        return s >>> UNPARK_SHIFT;
    }

    /**
     * The worker to wake for new work, taken off the parked list with its
     * {@code notified} flag set (under the lock, so that {@link #unparkSelf}
     * sees the two together); null if none should be woken. The caller
     * unparks its thread.
     */
    StealWorker workerToNotify(StealWorker[] all) {
        if (!shouldWake(state.getAndAdd(0))) { // an RMW: ordered after the caller's queuing (see the class comment)
            return null;
        }
        lock.lock();
        try {
            if (!shouldWake(state.get()) || sleeping == 0) {
                return null;
            }
            state.getAndAdd((1 << UNPARK_SHIFT) + 1); // one more unparked, and it searches
            StealWorker w = all[sleepers[--sleeping]];
            w.notified = true;
            return w;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A parked worker woke up for work of its own (a task that lives on it
     * was woken) or for the executor's stop: if it is still on the parked
     * list it leaves it, counted unparked and not searching, and this
     * returns true. False: a notifier took it off the list first (counted
     * unparked and searching); its {@code notified} flag is cleared here.
     */
    boolean unparkSelf(StealWorker w) {
        lock.lock();
        try {
            for (int i = 0; i < sleeping; i++) {
                if (sleepers[i] == w.index) {
                    sleepers[i] = sleepers[--sleeping];
                    state.getAndAdd(1 << UNPARK_SHIFT);
                    return true;
                }
            }
            w.notified = false;
            return false;
        } finally {
            lock.unlock();
        }
    }

    private boolean shouldWake(int s) {
        return searching(s) == 0 && unparked(s) < workers;
    }

    /** A worker out of work may search (steal) only while fewer than half search. */
    boolean transitionToSearching() {
        int s = state.get();
        if (2 * searching(s) >= workers) {
            return false;
        }
        state.getAndIncrement();
        return true;
    }

    /** A searcher found work; true if it was the last searcher (it must then wake another). */
    boolean transitionFromSearching() {
        return searching(state.getAndDecrement()) == 1;
    }

    /**
     * Worker {@code index} parks (searching or not); true if it was the last
     * searcher, which must look at every queue once more.
     */
    boolean transitionToParked(int index, boolean searching) {
        lock.lock();
        try {
            int delta = (1 << UNPARK_SHIFT) + (searching ? 1 : 0);
            int before = state.getAndAdd(-delta);
            sleepers[sleeping++] = index;
            return searching && searching(before) == 1;
        } finally {
            lock.unlock();
        }
    }
}
