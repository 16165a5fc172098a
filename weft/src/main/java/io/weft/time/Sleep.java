package io.weft.time;

import io.weft.Context;
import io.weft.Future;
import io.weft.Poll;

/**
 * Ready once the executor's clock reads its deadline; registers a timer on
 * its first pending poll. Loop thread only.
 *
 * <p><b>Cancellation.</b> A Java future cannot know it has been dropped, so
 * a sleep frees its wheel slot in three ways, each at once:
 * <ul>
 *   <li>{@link #await()} cancels the timer when it ends, normally or not: a
 *       task aborted while it sleeps is resumed with
 *       {@code TaskCancelledException} from that await, and the timer is
 *       gone before the task's {@code finally} blocks run;</li>
 *   <li>combinators that poll a sleep themselves ({@link Timeout},
 *       {@link Interval}, a select) call {@link #cancel()} when they give up
 *       on it;</li>
 *   <li>and, as a last line, a timer that fires for a finished task wakes
 *       nothing (waking a completed task is a no-op).</li>
 * </ul>
 * A sleep wrapped by {@code map}/{@code then} and abandoned keeps its slot
 * until its deadline (then fires harmlessly): call {@link #cancel()} if that
 * matters.
 */
public final class Sleep implements Future<Void> {
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

    /** Suspends until the deadline; the timer is cancelled however the await ends (see the class docs). */
    @Override
    public Void await() {
        try {
            return Future.super.await();
        } finally {
            cancel();
        }
    }

    /** Takes the timer out of the wheel now; the sleep may be polled again later (it re-arms). Idempotent. */
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
