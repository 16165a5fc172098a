package io.weft;

/**
 * The result of a spawned task, as a future.
 *
 * <p>{@link #await()} returns what the task returned, or throws
 * {@link TaskFailedException} (cause: what the task threw) or
 * {@link TaskCancelledException} (the task was aborted). A handle may be
 * awaited any number of times, by any number of waiters, from any thread.
 */
public interface JoinHandle<T> extends Future<T> {

    /**
     * Cancels the task. A suspended coroutine task is resumed with
     * {@link TaskCancelledException} thrown from its pending {@code await()},
     * so its {@code finally} blocks run; a task that has not started never
     * runs. Aborting a finished task changes nothing. Any thread may call it.
     */
    void abort();

    /** Whether the task has finished: returned, thrown, or been cancelled. */
    boolean isFinished();
}
