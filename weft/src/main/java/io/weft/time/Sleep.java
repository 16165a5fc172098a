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
        if (isElapsed()) {
            if (entry != null) {
                entry.cancel(); // due by the clock before the wheel fired it: free the slot now
            }
            return Poll.ready(null);
        }
        Timers here = wheelHere();
        if (entry == null || (here != timers && !entry.isArmed())) {
            entry = here.add(deadline, cx.waker());
            timers = here;
        } else if (here != timers) {
            throw new IllegalStateException("a sleep armed on one executor (or worker) was polled on another while"
                    + " still armed: await a sleep from one task at a time");
        } else if (!entry.isArmed()) {
            timers.reset(entry, deadline, cx.waker()); // re-armed after a cancel() or a reset()
        } else {
            io.weft.Waker w = cx.waker();
            if (entry.waker != w && entry.waker instanceof io.weft.task.Task<?> other && w instanceof io.weft.task.Task<?>
                    && !other.isFinished()) {
                // Taking its waker would leave that task asleep for ever (a sleep wakes one task)
                throw new IllegalStateException("a sleep that task " + other + " awaits was awaited by task " + w
                        + " at the same time: await a sleep from one task at a time (give each task its own,"
                        + " or let one task wake the others, e.g. with a Notify)");
            }
            entry.setWaker(w);
        }
        return Poll.pending();
    }

    /** The wheel of the thread polling this sleep; refused where the sleep's deadline means nothing. */
    private Timers wheelHere() {
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
