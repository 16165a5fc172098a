package io.weft.diag;

import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Work for an executor thread to do between two polls (dump requests):
 * any thread offers, the loop thread runs them at its maintenance, before
 * it parks (it looks at {@link #isEmpty} after announcing its sleep, and the
 * offerer wakes it after offering: one of the two sees the other) and when
 * its loop ends.
 */
public final class LoopRequests {
    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();

    /** Any thread; the caller then wakes the loop if it sleeps. */
    public void offer(Runnable r) {
        queue.offer(r);
    }

    public boolean isEmpty() {
        return queue.isEmpty();
    }

    /** The loop thread, between two polls: runs what was offered. */
    public void runAll() {
        if (!queue.isEmpty()) {
            for (Runnable r; (r = queue.poll()) != null; ) {
                r.run();
            }
        }
    }
}
