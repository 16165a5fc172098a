package io.weft;

/**
 * How much CPU a task queue gets relative to the others that are runnable: a
 * queue's virtual runtime grows by elapsed time x (1000 / shares), and the
 * executor always runs the queue with the smallest one.
 */
public final class Shares {
    public static final int MIN = 1;
    public static final int MAX = 1000;

    private final int fixed;
    private final SharesManager manager;

    private Shares(int fixed, SharesManager manager) {
        this.fixed = fixed;
        this.manager = manager;
    }

    /** Constant shares, 1..1000. */
    public static Shares fixed(int n) {
        return new Shares(check(n, "Shares.fixed"), null);
    }

    /** Shares read from {@code m} when the queue is created and every 250 ms after. */
    public static Shares dynamic(SharesManager m) {
        if (m == null) {
            throw new NullPointerException("SharesManager");
        }
        return new Shares(0, m);
    }

    public boolean isDynamic() {
        return manager != null;
    }

    /** The shares now: the fixed value, or the manager's answer clamped to 1..1000. */
    public int current() {
        if (manager == null) {
            return fixed;
        }
        int n = manager.shares();
        return Math.clamp(n, MIN, MAX);
    }

    static int check(int n, String what) {
        if (n < MIN || n > MAX) {
            throw new IllegalArgumentException(what + "(" + n + "): shares must be between 1 and 1000");
        }
        return n;
    }

    @Override
    public String toString() {
        return manager == null ? "Shares.fixed(" + fixed + ")" : "Shares.dynamic(" + manager + ")";
    }
}
