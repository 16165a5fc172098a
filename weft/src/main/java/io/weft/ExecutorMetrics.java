package io.weft;

/**
 * tokio's runtime metrics for one executor thread: a LocalExecutor (alone or
 * one of a pool) or one worker of a StealingExecutor ({@code metrics()} on
 * each kind). Every counter has one writer, its thread; any thread reads
 * a value that thread wrote, a little stale at worst.
 *
 * @param executor           the executor's name, or the worker's ({@code name-i})
 * @param tasksAlive         tasks spawned and not finished (on a worker: those living on it whose first poll has ended)
 * @param tasksSpawned       tasks spawned here
 * @param tasksCompleted     tasks finished here
 * @param polls              task polls
 * @param busyNanos          time spent running tasks (a worker: out of park, up to its last park)
 * @param parks              times the thread parked for lack of work
 * @param unparks            times it woke from a park: {@code parks == unparks + 1} while it is parked (tokio's
 *                           parity: a watchdog tells a parked thread from a busy or stuck one)
 * @param remoteWakes        tasks woken from other threads
 * @param budgetForcedYields polls in which a task used up its cooperative budget and was made to yield
 * @param queueDepth         tasks ready to run here now
 * @param steals             times a worker took tasks from another's queue (0 on a LocalExecutor)
 * @param stolen             tasks taken that way
 * @param overflows          times a worker's full queue sent half of it to the shared queue
 * @param reactorCompletions I/O completions and readiness events its reactor handled
 * @param pollTimes          how long polls took, if the builder asked for {@code pollTimeHistogram()}; else empty
 */
public record ExecutorMetrics(String executor, long tasksAlive, long tasksSpawned, long tasksCompleted, long polls,
                              long busyNanos, long parks, long unparks, long remoteWakes, long budgetForcedYields,
                              long queueDepth, long steals, long stolen, long overflows, long reactorCompletions,
                              PollTimes pollTimes) {

    /** Mean poll time in ns (busy time over polls), as tokio's {@code worker_mean_poll_time}; 0 before any poll. */
    public long meanPollNanos() {
        return polls == 0 ? 0 : busyNanos / polls;
    }
}
