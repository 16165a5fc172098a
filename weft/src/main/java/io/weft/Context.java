package io.weft;

import io.weft.task.Budget;

/**
 * What a {@link Future#poll} is given: the waker to arrange to be woken with
 * before returning pending, and the cooperative budget of the current poll.
 */
public final class Context {
    /**
     * Final in spirit: set once by the constructor, except in a worker's
     * scratch context, which a coroutine task points at itself (through a
     * VarHandle) for each poll of one of weft's own leaf futures
     * ({@code io.weft.task.LeafFuture}), none of which keeps the context or
     * hands it to a user's code: such a poll allocates no context.
     */
    private Waker waker;
    private final Budget budget;
    /**
     * A coroutine task's {@link TaskLocal} bindings (key, value, key, value,
     * ...; null: none), kept here so that they cost no field on a task that
     * never uses one. A coroutine task drops its context when a poll of it
     * ends pending, unless this is non-null, so the context holding a
     * binding lives as long as the binding. Only the task's own code touches
     * it, on the thread polling the task.
     */
    Object[] locals;

    /** A context with no budget limit (for driving futures by hand, and tests). */
    public Context(Waker waker) {
        this(waker, null);
    }

    /** A context that spends from {@code budget}; {@code null} means unlimited. */
    public Context(Waker waker, Budget budget) {
        if (waker == null) {
            throw new NullPointerException("waker");
        }
        this.waker = waker;
        this.budget = budget;
    }

    public Waker waker() {
        return waker;
    }

    /**
     * Whether this poll's cooperative budget has units left (always, for a
     * context without a budget: a plain thread's). A combinator that must
     * still look at a deadline after its inner future spent the last unit
     * asks before and after that poll (as tokio's {@code timeout} does).
     */
    public boolean hasBudget() {
        return budget == null || budget.remaining() > 0;
    }

    /**
     * Spends one unit of the cooperative budget (128 per task poll). A leaf
     * future that is ready calls this first; on {@code false} it must return
     * pending instead, so that a task awaiting always-ready futures in a loop
     * still lets other tasks run. On {@code false} this has already woken
     * {@link #waker()}, so the task runs again once others had their turn
     * (as tokio's {@code poll_proceed}).
     */
    public boolean consumeBudget() {
        if (budget == null || budget.tryConsume()) {
            return true;
        }
        waker.wake();
        return false;
    }
}
