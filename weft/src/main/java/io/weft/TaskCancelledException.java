package io.weft;

/**
 * The task was aborted. Thrown from {@code JoinHandle.await()} of a cancelled
 * task, and from every {@code await()} inside a coroutine task once it is
 * aborted, so that its {@code finally} blocks run.
 */
public class TaskCancelledException extends RuntimeException {
    public TaskCancelledException(String message) {
        super(message);
    }
}
