package io.weft.time;

import io.weft.Context;
import io.weft.Future;
import io.weft.Poll;

/** Ready at a deadline of the executor's clock; registers a timer on its first pending poll. */
public final class Sleep implements Future<Void> {
    private final Timers timers;
    private final long deadline;
    private Timers.Entry entry;

    public Sleep(Timers timers, long deadlineNanos) {
        this.timers = timers;
        this.deadline = deadlineNanos;
    }

    @Override
    public Poll<Void> poll(Context cx) {
        if ((entry != null && entry.fired()) || System.nanoTime() - deadline >= 0) {
            if (entry != null) {
                entry.cancel();
            }
            return Poll.ready(null);
        }
        if (entry == null) {
            entry = timers.add(deadline, cx.waker());
        } else {
            entry.setWaker(cx.waker());
        }
        return Poll.pending();
    }
}
