package io.weft;

/**
 * Names a task queue of one executor, for {@link Weft#spawnInto}. Obtained
 * from {@link Weft#createTaskQueue}; only valid on the executor that made it.
 */
public interface TaskQueueHandle {
    String name();

    /** Counters of this queue, read on the executor's thread. */
    TaskQueueStats stats();
}
