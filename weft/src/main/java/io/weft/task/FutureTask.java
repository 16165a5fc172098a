package io.weft.task;

import io.weft.Context;
import io.weft.Future;
import io.weft.Poll;

/**
 * A task whose body is a poll-based {@link Future}, polled directly with the
 * task as its waker. Cancelling it drops the future without polling it again.
 */
public final class FutureTask<T> extends Task<T> {
    private Future<T> future;
    private final Context cx;

    public FutureTask(TaskOwner owner, String name, Future<T> future) {
        super(owner, name);
        if (future == null) {
            throw new NullPointerException("future");
        }
        this.future = future;
        this.cx = new Context(this, owner.budget());
    }

    @Override
    protected Object pollTask() {
        Poll<T> p = future.poll(cx);
        return p.isReady() ? p.get() : PENDING;
    }

    @Override
    protected Object cancelTask() {
        return Cancelled.PLAIN;
    }

    @Override
    protected void released() {
        future = null;
    }
}
