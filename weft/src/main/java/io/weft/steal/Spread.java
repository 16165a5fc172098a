package io.weft.steal;

import io.weft.task.Task;

/**
 * The two places where a StealingExecutor spreads its tasks over its
 * workers: a worker out of work takes half of another's queue (a steal),
 * and a worker about to run a task for the first time, which makes it the
 * task's home for life, may hand it to a worker with far fewer tasks
 * (a hand-off). Both run on the thread of the worker {@code w}.
 */
final class Spread {
    /** How many more tasks living on a worker than on another make a new task start there (see homeOfNewTask). */
    static final int HANDOFF_MARGIN = 8;

    private Spread() {
    }

    /** Takes half of another worker's queue (from a random one on), or a task of the shared queue. */
    static Task<?> steal(StealWorker w) {
        if (!w.searching) {
            if (!w.scheduler.idle.transitionToSearching()) {
                return null;
            }
            w.searching = true;
        }
        StealWorker[] all = w.scheduler.workers;
        int n = all.length;
        int start = n == 1 ? 0 : w.random.nextInt(n);
        for (int i = 0; i < n; i++) {
            StealWorker victim = all[(start + i) % n];
            if (victim != w) {
                int before = w.queue.size();
                Task<?> t = victim.queue.stealInto(w.queue);
                if (t != null) {
                    w.counters.steal(1 + w.queue.size() - before);
                    return t;
                }
            }
        }
        return w.fromInject();
    }

    /**
     * Where a task about to run for the first time on {@code w} is to live:
     * {@code w}, unless another worker has far fewer tasks living on it (at
     * least {@link #HANDOFF_MARGIN} fewer and under four fifths as many);
     * then every other such task goes there instead, before it runs (the
     * caller queues it on that worker's remote queue, waking it). Without
     * it, a burst of long-lived tasks spawned by one task (connections
     * accepted by one acceptor) all started on its worker through the LIFO
     * slot before a parked worker woke to steal, and stayed (BENCHMARKS.md,
     * TCP echo). Tasks that end in their first poll never count as living on
     * a worker, so spawn-heavy work is untouched. Every other, not every: the
     * other worker counts a task only after polling it, so handing over all
     * would overshoot. Never to a worker blocking in place
     * ({@code BlockInPlace}): a task handed there would wait for its call.
     */
    static StealWorker homeOfNewTask(StealWorker w) {
        StealWorker[] all = w.scheduler.workers;
        int mine = w.residentCount();
        if (all.length == 1 || mine < HANDOFF_MARGIN || w.scheduler.closing || w.blocking) {
            return w;
        }
        StealWorker target = null;
        int least = mine;
        for (StealWorker o : all) {
            int n = o.residentCount(); // another worker's: a recent value is enough here
            if (n < least && !o.blocking) { // a worker blocking in place runs nothing new until its call returns
                least = n;
                target = o;
            }
        }
        if (target == null || mine < least + HANDOFF_MARGIN || mine * 4 < least * 5 || (w.handOffTurn ^= true)) {
            return w;
        }
        return target;
    }
}
