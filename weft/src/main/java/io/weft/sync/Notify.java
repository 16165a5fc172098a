package io.weft.sync;

import io.weft.Context;
import io.weft.Poll;

/**
 * Wakes tasks that wait for an event, without data (tokio's {@code Notify}).
 *
 * <ul>
 *   <li>{@link #notifyOne()} wakes the first waiter; with no waiter it
 *       stores one permit (at most one) that the next {@link #notified()}
 *       consumes at once.</li>
 *   <li>{@link #notifyWaiters()} wakes every waiter queued now and stores
 *       nothing.</li>
 *   <li>A {@code notified()} future counts as a waiter from its first poll
 *       (awaiting it polls it at once).</li>
 * </ul>
 *
 * <p>A {@code notifyOne} is handed to the waiter (it leaves the queue,
 * NOTIFIED). If that waiter is cancelled before its poll returns — its task
 * was aborted — the notification is not lost: it goes to the next waiter, or
 * back to the stored permit. A {@code notifyWaiters} wake is not passed on.
 *
 * <p>{@link #create()} is shared, {@link #local()} belongs to its executor;
 * every field is guarded by {@link #access} (see {@code package-info}).
 */
public final class Notify {
    final Access access;
    private boolean permit;
    private final WaitList waiters = new WaitList();

    private Notify(Access access) {
        this.access = access;
    }

    public static Notify create() {
        return new Notify(Access.shared());
    }

    public static Notify local() {
        return new Notify(Access.local("Notify.local"));
    }

    public boolean isLocal() {
        return access.isLocal();
    }

    /** Wakes the first waiter, or stores a permit if nobody waits. */
    public void notifyOne() {
        access.enter();
        try {
            notifyOneLocked();
        } finally {
            access.exit();
        }
    }

    private void notifyOneLocked() {
        Waiter w = waiters.peekFirst();
        if (w == null) {
            permit = true;
            return;
        }
        ((Notified) w).fromOne = true;
        waiters.notifyFirst();
    }

    /** Wakes every waiter queued now; stores no permit. */
    public void notifyWaiters() {
        access.enter();
        try {
            Waiter w = waiters.peekFirst();
            while (w != null) {
                ((Notified) w).fromOne = false;
                w = w.next;
            }
            waiters.notifyEvery();
        } finally {
            access.exit();
        }
    }

    /**
     * A future ready once this waiter is notified (or at once if a permit is stored).
     *
     * <p><b>Cancel safety:</b> a waiter cancelled while queued leaves the
     * queue. One cancelled after a {@link #notifyOne()} chose it passes that
     * notification to the next waiter, or stores it as the permit if nobody
     * waits, so no {@code notifyOne} is lost. A {@link #notifyWaiters()}
     * is for the waiters of that moment only and is not passed on. A join
     * (or a select, a Timeout) that took a notifyOne and is then given up
     * passes it on too.
     */
    public WaitFuture<Void> notified() {
        return new Notified();
    }

    private final class Notified extends Waiter implements WaitFuture<Void>, io.weft.compose.GivesBack<Void> {
        /** Woken by notifyOne (passed on if cancelled) rather than notifyWaiters. */
        boolean fromOne;
        /** Returned ready for a notifyOne (or the permit), not given back since. Under access. */
        private boolean tookOne;

        @Override
        public Poll<Void> poll(Context cx) {
            access.enter();
            try {
                switch (state) {
                    case NOTIFIED -> {
                        if (!cx.consumeBudget()) {
                            return Poll.pending();
                        }
                        state = DONE;
                        tookOne = fromOne;
                        return Poll.ready(null);
                    }
                    case QUEUED -> {
                        waker = cx.waker();
                        return Poll.pending();
                    }
                    case IDLE -> {
                        if (permit) {
                            permit = false; // ours from this first poll, budget or not: as if notifyOne chose us
                            if (!cx.consumeBudget()) {
                                state = NOTIFIED;
                                fromOne = true; // a cancel before the next poll passes it on
                                return Poll.pending();
                            }
                            state = DONE;
                            tookOne = true;
                            return Poll.ready(null);
                        }
                        access.checkMayWait(this, cx.waker());
                        waker = cx.waker();
                        waiters.addLast(this);
                        return Poll.pending();
                    }
                    default -> throw new IllegalStateException(
                            "notified future polled after it completed or was cancelled");
                }
            } finally {
                access.exit();
            }
        }

        /**
         * Given back by a combinator that took it and was given up (a join
         * past its deadline): a notifyOne it used is passed on, as its
         * cancel passes on one it had not used yet; a notifyWaiters is not.
         */
        @Override
        public void giveBack(Void unused) {
            access.enter();
            try {
                if (tookOne) {
                    tookOne = false;
                    notifyOneLocked();
                }
            } finally {
                access.exit();
            }
        }

        @Override
        public void cancel() {
            access.enter();
            try {
                int s = state;
                state = DONE;
                if (s == QUEUED) {
                    waiters.remove(this);
                } else if (s == NOTIFIED && fromOne) {
                    notifyOneLocked(); // the notification was ours and is unused: pass it on
                }
            } finally {
                access.exit();
            }
        }
    }
}
