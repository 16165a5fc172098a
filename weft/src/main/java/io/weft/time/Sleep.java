package io.weft.time;

import io.weft.CancellableFuture;
import io.weft.Context;
import io.weft.Poll;
import io.weft.executor.Worker;

/**
 * Ready once the executor's clock reads its deadline; registers a timer on
 * its first pending poll, in the wheel of the executor (or worker) that polls
 * it: a sleep made by one task and awaited by another, on another thread,
 * wakes there. Its deadline is a reading of its maker's clock, so it may be
 * awaited on any executor with the same clock (every executor on the system
 * clock); awaited where the clock differs, or from a plain thread (which has
 * no timers), it throws IllegalStateException. Once armed in one wheel it is
 * polled only from that wheel's thread until it fires or is cancelled (the
 * same rule, said as an error, if it is not). It wakes one task: a second
 * task that awaits it while the first still does gets an
 * IllegalStateException, and the first goes on waiting.
 *
 * <p><b>Cancel safety:</b> {@link #cancel()} takes the timer out of the
 * wheel at once; nothing else is held. It is called by whatever gives up on
 * the sleep: an await whose task is aborted, a {@link Timeout}, a select
 * that another future won, an {@link Interval}. Unlike most futures a
 * cancelled sleep may be polled again: it re-arms for the same deadline.
 * As a last line, a timer that fires for a finished task wakes nothing.
 *
 * <p>Once elapsed it spends one unit of the task's cooperative budget each
 * time it is ready, as every leaf future does: a loop of elapsed sleeps (a
 * zero sleep, an {@link Interval} catching up in bursts) lets the other
 * tasks run after at most 128 of them in a row.
 */
public final class Sleep implements CancellableFuture<Void>, io.weft.task.LeafFuture {
    /** The maker's wheel (its clock gives the deadline's scale); once armed, the wheel holding {@link #entry}. */
    private Timers timers;
    private long deadline;
    private Timers.Entry entry;

    public Sleep(Timers timers, long deadlineNanos) {
        this.timers = timers;
        this.deadline = deadlineNanos;
    }

    /** The deadline, a reading of the executor's clock. */
    public long deadline() {
        return deadline;
    }

    /** Whether the deadline has passed (by the executor's clock). */
    public boolean isElapsed() {
        return (entry != null && entry.fired()) || timers.now() - deadline >= 0;
    }

    @Override
    public Poll<Void> poll(Context cx) {
        return poll(cx, true, null);
    }

    /**
     * A poll; an elapsed sleep spends one unit of the caller's budget when
     * {@code spendBudget} (as every leaf future that is ready does: refused,
     * it is pending, its task already woken, and ready at the next turn).
     * {@code checked}: what {@link #wheelFor} gave for {@code cx} in the same
     * poll, or null.
     */
    Poll<Void> poll(Context cx, boolean spendBudget, Timers checked) {
        if (isElapsed()) {
            if (entry != null) {
                entry.cancel(); // due by the clock before the wheel fired it: free the slot now
            }
            return !spendBudget || cx.consumeBudget() ? Poll.ready(null) : Poll.pending();
        }
        Timers here = checked != null ? checked : wheelFor(cx);
        if (entry == null || (here != timers && !entry.isArmed())) {
            entry = here.add(deadline, cx.waker());
            timers = here;
        } else if (!entry.isArmed()) {
            timers.reset(entry, deadline, cx.waker()); // re-armed after a cancel() or a reset()
        } else {
            entry.setWaker(cx.waker());
        }
        return Poll.pending();
    }

    /**
     * The wheel in which a pending poll with {@code cx} arms this sleep.
     * Throws IllegalStateException, changing nothing, where it may not be
     * awaited: a plain thread, another clock, a thread other than the one
     * whose wheel holds it armed, a second task while the first awaits it.
     */
    Timers wheelFor(Context cx) {
        Worker w = Worker.currentOrNull();
        if (w == null) {
            throw new IllegalStateException("a sleep (or a Timeout, an Interval) waits on an executor's timers:"
                    + " await it inside a task, not from a plain thread");
        }
        Timers here = w.timers();
        if (here != timers && here.clock() != timers.clock()) {
            throw new IllegalStateException("a sleep made on an executor whose clock is " + timers.clock()
                    + " was awaited on " + w.name() + ", whose clock is " + here.clock()
                    + ": its deadline means nothing there; make it where it is awaited");
        }
        if (entry != null && entry.isArmed()) {
            if (here != timers) {
                throw new IllegalStateException("a sleep armed on one executor (or worker) was polled on another"
                        + " while still armed: await a sleep from one task at a time");
            }
            io.weft.Waker waker = cx.waker();
            if (entry.waker != waker && entry.waker instanceof io.weft.task.Task<?> other
                    && waker instanceof io.weft.task.Task<?> && !other.isFinished()) {
                // Taking its waker would leave that task asleep for ever (a sleep wakes one task)
                throw new IllegalStateException("a sleep that task " + other + " awaits was awaited by task " + waker
                        + " at the same time: await a sleep from one task at a time (give each task its own,"
                        + " or let one task wake the others, e.g. with a Notify)");
            }
        }
        return here;
    }

    /** Takes the timer out of the wheel now; the sleep may be polled again later (it re-arms). Idempotent. */
    @Override
    public void cancel() {
        if (entry != null) {
            entry.cancel();
        }
    }

    /**
     * Moves the deadline (no allocation). A timer armed for a task that
     * awaits this sleep now is re-armed at once for the new deadline, with
     * that task's waker: it is woken then, not left waiting on a timer gone
     * from the wheel. Otherwise it is re-armed at the next pending poll.
     */
    public void reset(long deadlineNanos) {
        this.deadline = deadlineNanos;
        if (entry != null) {
            if (entry.isArmed()) {
                timers.reset(entry, deadlineNanos, entry.waker); // moved in the wheel, for the task that awaits it
            } else {
                entry.fired = false; // re-armed at the next pending poll
            }
        }
    }

    /** Whether its timer is in the wheel now. */
    public boolean isArmed() {
        return entry != null && entry.isArmed();
    }
}
