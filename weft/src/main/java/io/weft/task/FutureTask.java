package io.weft.task;

import io.weft.Context;
import io.weft.Future;
import io.weft.Futures;
import io.weft.Poll;
import io.weft.task.Outcome.Cancelled;

/**
 * A task whose body is a poll-based {@link Future}, polled directly with the
 * task as its waker. Cancelling it cancels the future (once it was polled:
 * the {@link io.weft.CancellableFuture} contract) and never polls it again.
 */
public final class FutureTask<T> extends Task<T> {
    private Future<T> future;
    /** Made at the first poll, with the budget of the owner there (on a StealingExecutor, the task's home worker). */
    private Context cx;
    private boolean polled;

    public FutureTask(TaskOwner owner, String name, Future<T> future) {
        super(owner, name);
        if (future == null) {
            throw new NullPointerException("future");
        }
        this.future = future;
    }

    @Override
    protected Object pollTask() {
        Context c = cx;
        if (c == null) {
            c = cx = new Context(this, owner.budget());
        }
        polled = true;
        Poll<T> p = future.poll(c);
        return p.isReady() ? p.get() : PENDING;
    }

    @Override
    protected Object cancelTask() {
        if (polled) {
            Futures.cancel(future); // what it throws is the task's outcome, as from a poll
        }
        return Cancelled.PLAIN;
    }

    @Override
    protected void released() {
        future = null;
    }
}
