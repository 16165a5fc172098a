package io.weft.task;

/**
 * The cooperative budget of one executor: how many leaf-future operations the
 * task being polled may still complete before it must yield. Reset to
 * {@link #PER_POLL} before every task poll. Touched only by the owner thread.
 * An executor whose tasks move between threads gives its tasks a subclass
 * that spends from the budget of the thread polling them.
 */
public class Budget {
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
