package io.weft;

/**
 * Counters of one task queue.
 *
 * @param name            the queue's name
 * @param shares          its shares now
 * @param tasksSpawned    tasks spawned into it
 * @param tasksCompleted  tasks that finished (returned, threw or were cancelled)
 * @param polls           polls of its tasks
 * @param runtimeNanos    time spent running its tasks
 * @param vruntime        its virtual runtime (runtime x 1000 / shares, summed per slice)
 * @param waitNanos       time it spent runnable but waiting for another queue
 * @param slices          times it was chosen to run
 */
public record TaskQueueStats(
        String name,
        int shares,
        long tasksSpawned,
        long tasksCompleted,
        long polls,
        long runtimeNanos,
        long vruntime,
        long waitNanos,
        long slices) {
}
