package io.weft.steal;

import io.weft.task.Task;

/**
 * jcstress only (in weft's package, from the weft-jcstress module): the
 * idle protocol of a StealingExecutor's scheduler with one worker and no
 * threads started, driven step by step by the actors of a test.
 */
public final class StealForJcstress {
    private final StealScheduler scheduler = new StealScheduler(null, "jcstress", 1, null, null);

    /** The one worker is searching (it found nothing in its own queue). */
    public StealForJcstress() {
        if (!scheduler.idle.transitionToSearching()) {
            throw new IllegalStateException("the only worker could not search");
        }
        scheduler.workers[0].searching = true;
    }

    /** The worker gives up searching and parks: the last searcher looks at every queue once more. */
    public void parkAsLastSearcher() {
        StealWorker w = scheduler.workers[0];
        boolean last = scheduler.idle.transitionToParked(0, true);
        w.searching = false;
        if (last && scheduler.hasWork()) {
            scheduler.notifyParked();
        }
    }

    /** A thread outside the executor queues a task (as spawn and wake do). */
    public void scheduleFromOutside(Task<?> task) {
        scheduler.schedule(task);
    }

    /** Whether the parked worker was told to wake (so it will run what is queued). */
    public boolean workerNotified() {
        return scheduler.workers[0].notified;
    }

    public int queued() {
        return scheduler.inject.size();
    }
}
