package io.weft.time;

import io.weft.CancellableFuture;
import io.weft.Context;
import io.weft.Poll;

/**
 * Ready once the executor's clock reads its deadline; registers a timer on
 * its first pending poll. Loop thread only.
 *
 * <p><b>Cancel safety:</b> {@link #cancel()} takes the timer out of the
 * wheel at once; nothing else is held. It is called by whatever gives up on
 * the sleep: an await whose task is aborted, a {@link Timeout}, a select
 * that another future won, an {@link Interval}. Unlike most futures a
 * cancelled sleep may be polled again: it re-arms for the same deadline.
 * As a last line, a timer that fires for a finished task wakes nothing.
 */
public final class Sleep implements CancellableFuture<Void> {
    private final Timers timers;
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
        if (entry == null) {
            entry = timers.add(deadline, cx.waker());
        } else if (!entry.isArmed()) {
            timers.reset(entry, deadline, cx.waker()); // re-armed after a cancel() or a reset()
        } else {
            entry.setWaker(cx.waker());
        }
        return Poll.pending();
    }

    /** Takes the timer out of the wheel now; the sleep may be polled again later (it re-arms). Idempotent. */
    @Override
    public void cancel() {
        if (entry != null) {
            entry.cancel();
        }
    }

    /** Moves the deadline; the timer, if armed, is re-armed at the next pending poll (no allocation). */
    public void reset(long deadlineNanos) {
        this.deadline = deadlineNanos;
        if (entry != null) {
            entry.cancel();
            entry.fired = false;
        }
    }

    /** Whether its timer is in the wheel now. */
    public boolean isArmed() {
        return entry != null && entry.isArmed();
    }
}
