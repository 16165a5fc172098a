package io.weft.sync;

import io.weft.Context;
import io.weft.Poll;

/**
 * A counting semaphore, FIFO fair: waiters are served strictly in arrival
 * order, and a waiter that wants more permits than are free holds back the
 * ones behind it (so a large request is never starved by small ones).
 * {@link #tryAcquire} fails while anybody waits, for the same reason.
 *
 * <p>Permits are handed off: {@link #release} moves permits to the waiters
 * at the head of the queue (marking them NOTIFIED) before waking them, so a
 * permit is never claimed twice. A waiter whose task is aborted after it was
 * handed permits gives them back in {@link WaitFuture#cancel()} (called by
 * {@code await()}), and they go to the next waiters; a waiter removed from
 * the head of the queue lets the ones behind it try again.
 *
 * <p>{@link #create} is shared (any thread, any executor); {@link #local}
 * belongs to the executor it is created on. Every field is guarded by
 * {@link #access}.
 */
public final class Semaphore {
    final Access access;
    private long permits;
    private final WaitList waiters = new WaitList();

    private Semaphore(Access access, long permits) {
        if (permits < 0) {
            throw new IllegalArgumentException("permits must not be negative, was " + permits);
        }
        this.access = access;
        this.permits = permits;
    }

    public static Semaphore create(long permits) {
        return new Semaphore(Access.shared(), permits);
    }

    public static Semaphore local(long permits) {
        return new Semaphore(Access.local("Semaphore.local"), permits);
    }

    /** A local semaphore of one permit whose errors name {@code what} (the primitive built on it). */
    static Semaphore localNamed(String what) {
        return localNamed(what, 1);
    }

    /** A local semaphore of {@code permits} whose errors name {@code what}. */
    static Semaphore localNamed(String what, long permits) {
        return new Semaphore(Access.local(what), permits);
    }

    public boolean isLocal() {
        return access.isLocal();
    }

    /** One permit. */
    public WaitFuture<Permit> acquire() {
        return acquire(1);
    }

    /**
     * {@code n} permits at once, all or nothing, in FIFO order with the other waiters.
     *
     * <p><b>Cancel safety:</b> an acquire cancelled while it waits leaves the
     * queue (the waiters it held back may then be served); one cancelled
     * after permits were moved to it gives them back, and they go to the
     * next waiters. No permit is ever lost.
     */
    public WaitFuture<Permit> acquire(long n) {
        checkCount(n);
        return new Acquire(n);
    }

    /** {@code n} permits now, or null if they are not free or somebody waits. */
    public Permit tryAcquire(long n) {
        checkCount(n);
        access.enter();
        try {
            if (waiters.isEmpty() && permits >= n) {
                permits -= n;
                return new Permit(this, n);
            }
            return null;
        } finally {
            access.exit();
        }
    }

    public Permit tryAcquire() {
        return tryAcquire(1);
    }

    /** Adds {@code n} permits (also how a {@link Permit} gives its permits back). */
    public void release(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("cannot release a negative number of permits: " + n);
        }
        access.enter();
        try {
            if (n > Long.MAX_VALUE - permits) {
                throw new IllegalArgumentException("release(" + n + ") would take the free permits past"
                        + " Long.MAX_VALUE (" + permits + " free now)");
            }
            permits += n;
            grant();
        } finally {
            access.exit();
        }
    }

    /** Free permits now. */
    public long availablePermits() {
        access.enter();
        try {
            return permits;
        } finally {
            access.exit();
        }
    }

    private static void checkCount(long n) {
        if (n < 1) {
            throw new IllegalArgumentException("must acquire at least one permit, asked for " + n);
        }
    }

    /** Under access: hands permits to the head waiters while they fit, in order. */
    private void grant() {
        Waiter w;
        while ((w = waiters.peekFirst()) != null) {
            Acquire a = (Acquire) w;
            if (permits < a.need) {
                return;
            }
            permits -= a.need;
            waiters.notifyFirst();
        }
    }

    private final class Acquire extends Waiter implements WaitFuture<Permit> {
        final long need;

        Acquire(long need) {
            this.need = need;
        }

        @Override
        public Poll<Permit> poll(Context cx) {
            access.enter();
            try {
                switch (state) {
                    case NOTIFIED -> { // the permits are ours already
                        if (!cx.consumeBudget()) {
                            return Poll.pending();
                        }
                        state = DONE;
                        return Poll.ready(new Permit(Semaphore.this, need));
                    }
                    case QUEUED -> {
                        waker = cx.waker();
                        return Poll.pending();
                    }
                    case IDLE -> {
                        if (waiters.isEmpty() && permits >= need) {
                            permits -= need; // ours from this first poll (arrival order), budget or not
                            if (!cx.consumeBudget()) {
                                state = NOTIFIED; // handed to us: a cancel before the next poll gives them back
                                return Poll.pending();
                            }
                            state = DONE;
                            return Poll.ready(new Permit(Semaphore.this, need));
                        }
                        access.checkMayWait(this, cx.waker());
                        waker = cx.waker();
                        waiters.addLast(this);
                        return Poll.pending();
                    }
                    default -> throw new IllegalStateException(
                            "acquire future polled after it completed or was cancelled (state " + state + ")");
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
                    grant(); // we may have been the head that held the others back
                } else if (s == NOTIFIED) {
                    // handed to us, never returned by a poll: give them back (no more than a long counts)
                    permits = need > Long.MAX_VALUE - permits ? Long.MAX_VALUE : permits + need;
                    grant();
                }
            } finally {
                access.exit();
            }
        }
    }

    /**
     * Permits held; {@link #close()} gives them back, once. A permit belongs
     * to one holder; closing it again does nothing.
     */
    public static final class Permit implements AutoCloseable {
        private final Semaphore semaphore;
        private final long count;
        /** Guarded by the semaphore's access. */
        private boolean released;

        Permit(Semaphore semaphore, long count) {
            this.semaphore = semaphore;
            this.count = count;
        }

        public long count() {
            return count;
        }

        @Override
        public void close() {
            Semaphore s = semaphore;
            s.access.enter();
            try {
                if (released) {
                    return;
                }
                if (count > Long.MAX_VALUE - s.permits) { // refused, and still held: close it once there is room
                    throw new IllegalStateException("closing a permit of " + count + " would take the free permits"
                            + " past Long.MAX_VALUE (" + s.permits + " free now)");
                }
                s.permits += count;
                released = true;
                s.grant();
            } finally {
                s.access.exit();
            }
        }
    }
}
