package io.weft.steal;

import io.weft.task.Task;

/**
 * jcstress only (in weft's package, from the weft-jcstress module): a
 * StealingExecutor's scheduler with no threads started, driven step by step
 * by the actors of a test: its idle protocol with one worker, and a steal
 * and first run against a wake with two.
 */
public final class StealForJcstress {
    private final StealScheduler scheduler;

    /** The one worker is searching (it found nothing in its own queue). */
    public StealForJcstress() {
        this.scheduler = new StealScheduler(null, "jcstress", 1, null, null);
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
        return scheduler.inject.length();
    }

    /** A thread outside the executor spawns a task (the real spawn); false if it was refused. */
    public boolean spawnFromOutside() {
        try {
            scheduler.spawn(cx -> io.weft.Poll.ready(1));
            return true;
        } catch (java.util.concurrent.RejectedExecutionException refused) {
            return false;
        }
    }

    /** The close's first step, then its look at the live tasks (it stops the workers once that is 0). */
    public int startClosingThenCountLive() {
        scheduler.startClosing();
        return scheduler.liveTasks();
    }

    public int liveTasks() {
        return scheduler.liveTasks();
    }

    /** Two workers, for a steal and first run against a wake. */
    public static StealForJcstress twoWorkers() {
        return new StealForJcstress(2);
    }

    /** Set up before the actors start: {@code task} (new, so NOTIFIED) waits in worker 0's local queue. */
    public void pushOnWorker0(Task<?> task) {
        scheduler.workers[0].queue.push(task, scheduler.inject);
    }

    private StealForJcstress(int workers) {
        this.scheduler = new StealScheduler(null, "jcstress", workers, null, null);
    }

    /** The scheduler, as the owner of the tasks a test makes. */
    public io.weft.task.TaskOwner owner() {
        return scheduler;
    }

    /**
     * Worker 1 steals from worker 0 and runs what it took as a worker runs a
     * task's first turn: it becomes the task's home, then polls it. The task
     * it took, or null.
     */
    public Task<?> stealAndRunOnWorker1() {
        StealWorker w1 = scheduler.workers[1];
        Task<?> t = scheduler.workers[0].queue.stealInto(w1.queue);
        if (t != null) {
            t.queue = w1;
            t.turn();
        }
        return t;
    }

    /** Where {@code task} is queued now, as a count per place: {worker 1's remote queue, any other queue}. */
    public int[] whereQueued(Task<?> task) {
        int home = 0;
        int elsewhere = 0;
        StealWorker w1 = scheduler.workers[1];
        for (Task<?> t; (t = w1.remote.poll()) != null; ) {
            if (t == task) {
                home++;
            }
        }
        for (StealWorker w : scheduler.workers) {
            for (Task<?> t; (t = w.queue.pop()) != null; ) {
                elsewhere += t == task ? 1 : 0;
            }
            elsewhere += w.pinned.occurrences(task);
        }
        elsewhere += scheduler.inject.length();
        return new int[] {home, elsewhere};
    }
}
