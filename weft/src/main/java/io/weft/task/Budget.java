package io.weft.task;

/**
 * The cooperative budget of one executor: how many leaf-future operations the
 * task being polled may still complete before it must yield. Reset to
 * {@link #PER_POLL} before every task poll. Touched only by the owner thread
 * (on a StealingExecutor, the worker a task lives on: a task's context takes
 * the budget where the task first runs, and it never runs elsewhere).
 *
 * <p>It also holds what a poll defers to its end ({@link #deferToPollEnd}):
 * each executor calls {@link #pollEnded()} after every task poll, before it
 * polls another task or parks.
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
    /**
     * The scratch context of the thread that owns this budget: a coroutine
     * task polls weft's own leaf futures with it, pointed at itself, instead
     * of a context of its own ({@code CoroutineTask.contextFor}); made at
     * the first use, owner thread only.
     */
    public io.weft.Context scratch;
    /** Polls whose budget ran out (counted once each); written by the owner thread (opaque), read anywhere. */
    @SuppressWarnings("unused")
    private long forcedYields;

    /** Deferred to the end of the running poll; owner thread only. Most polls defer one or none. */
    private PollEndFence deferred;
    private PollEndFence[] moreDeferred;
    private int moreCount;

    public void reset() {
        remaining = PER_POLL;
    }

    /**
     * Runs {@code f} once the task poll running now ends (see
     * {@link PollEndFence}). The caller defers each {@code f} at most once
     * a poll (it keeps a flag that its {@code atPollEnd} clears).
     */
    public void deferToPollEnd(PollEndFence f) {
        if (deferred == null) {
            deferred = f;
            return;
        }
        PollEndFence[] more = moreDeferred;
        if (more == null) {
            more = moreDeferred = new PollEndFence[4];
        } else if (moreCount == more.length) {
            more = moreDeferred = java.util.Arrays.copyOf(more, moreCount * 2);
        }
        more[moreCount++] = f;
    }

    /**
     * The executor's loop, after every task poll: if the poll deferred
     * anything, one full fence (every store of the poll before every load
     * after it), then each deferral.
     */
    public void pollEnded() {
        PollEndFence f = deferred;
        if (f != null) {
            deferred = null;
            java.lang.invoke.VarHandle.fullFence(); // the deferrals' release stores before their loads in atPollEnd
            f.atPollEnd();
            if (moreCount > 0) {
                runMore();
            }
        }
    }

    private void runMore() {
        PollEndFence[] more = moreDeferred;
        int n = moreCount;
        moreCount = 0;
        for (int i = 0; i < n; i++) {
            PollEndFence f = more[i];
            more[i] = null;
            f.atPollEnd();
        }
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
