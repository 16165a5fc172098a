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

    private static final java.lang.invoke.VarHandle FORCED;

    static {
        try {
            FORCED = java.lang.invoke.MethodHandles.lookup().findVarHandle(Budget.class, "forcedYields", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private int remaining = PER_POLL;
    /** Polls whose budget ran out (counted once each); written by the owner thread (opaque), read anywhere. */
    @SuppressWarnings("unused")
    private long forcedYields;

    public void reset() {
        remaining = PER_POLL;
    }

    /** Spends one unit; false once the budget is used up (the first refusal of a poll is counted). */
    public boolean tryConsume() {
        if (remaining > 0) {
            remaining--;
            return true;
        }
        if (remaining == 0) {
            remaining = -1; // counted: further refusals in this poll are the same forced yield
            FORCED.setOpaque(this, (long) FORCED.getOpaque(this) + 1);
        }
        return false;
    }

    /** Polls in which a task used up its budget and was made to yield; any thread. */
    public long forcedYields() {
        return (long) FORCED.getOpaque(this);
    }

    /** Units left in this poll (0 once spent). */
    public int remaining() {
        return Math.max(remaining, 0);
    }
}
