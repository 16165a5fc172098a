package io.weft;

import java.util.List;

/**
 * Counters of a {@link StealingExecutor}, after tokio's runtime metrics.
 * Each counter is written by one thread and read here without stopping it:
 * every figure is one the executor had, though not all from one instant.
 *
 * @param name           the executor's name
 * @param tasksSpawned   tasks spawned, from its workers and from outside
 * @param tasksCompleted tasks finished
 * @param liveTasks      tasks spawned and not finished
 * @param injectDepth    tasks in the shared queue now
 * @param overflows      times a full local queue sent half of its tasks to the shared queue
 * @param workers        each worker's counters, by index
 */
public record StealingExecutorStats(
        String name,
        long tasksSpawned,
        long tasksCompleted,
        int liveTasks,
        int injectDepth,
        long overflows,
        List<Worker> workers) {

    /**
     * One worker's counters.
     *
     * @param index       the worker's index ({@code <name>-<index>} is its thread)
     * @param polls       task polls, the LIFO slot's included
     * @param lifoPolls   polls of a task taken from the LIFO slot
     * @param parks       times it parked for lack of work
     * @param unparks     times it woke from a park; {@code parks == unparks + 1} while it is parked (tokio's
     *                    parity: a watchdog tells a parked worker from a busy or stuck one)
     * @param steals      times it took tasks from another worker's queue
     * @param stolen      tasks it took that way
     * @param remoteWakes tasks living on it woken from other threads
     * @param timerFires  timers it fired
     * @param busyNanos   time it spent out of park, up to its last park
     * @param streamMoves streams that moved to it, each for a task of it that used a stream of another worker
     * @param forwardedOps stream operations it ran for tasks of other workers (a stream stays where a task
     *                    waits on it, and the operations of tasks elsewhere go there: one hop each way)
     * @param queueDepth  tasks in its local queue now
     */
    public record Worker(
            int index,
            long polls,
            long lifoPolls,
            long parks,
            long unparks,
            long steals,
            long stolen,
            long remoteWakes,
            long timerFires,
            long busyNanos,
            long streamMoves,
            long forwardedOps,
            int queueDepth) {
    }
}
