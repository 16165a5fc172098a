package io.weft.task;

/**
 * The cooperative budget of one executor: how many leaf-future operations the
 * task being polled may still complete before it must yield. Reset to
 * {@link #PER_POLL} before every task poll. Touched only by the owner thread
 * (on a StealingExecutor, the worker a task lives on: a task's context takes
 * the budget where the task first runs, and it never runs elsewhere).
 */
public final class Budget {
    public static final int PER_POLL = 128;

    private int remaining = PER_POLL;

    public void reset() {
        remaining = PER_POLL;
    }

    /** Spends one unit; false once the budget is used up. */
    public boolean tryConsume() {
        if (remaining > 0) {
            remaining--;
            return true;
        }
        return false;
    }

    public int remaining() {
        return remaining;
    }
}
