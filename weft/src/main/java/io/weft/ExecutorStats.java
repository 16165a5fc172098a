package io.weft;

import java.util.List;

/**
 * Counters of one executor.
 *
 * @param name             the executor's name
 * @param tasksSpawned     tasks spawned
 * @param tasksCompleted   tasks finished
 * @param polls            task polls
 * @param remoteWakes      wakes that came from other threads through the remote queue
 * @param parks            times the loop parked for lack of work
 * @param runtimeNanos     time spent running tasks
 * @param timerFires       timers fired by the loop
 * @param timedParks       parks bounded by the next timer's deadline
 * @param clockJumps       times the loop moved a paused clock to the next deadline
 * @param queues           the counters of each task queue, the default queue first
 */
public record ExecutorStats(
        String name,
        long tasksSpawned,
        long tasksCompleted,
        long polls,
        long remoteWakes,
        long parks,
        long runtimeNanos,
        long timerFires,
        long timedParks,
        long clockJumps,
        List<TaskQueueStats> queues) {
}
