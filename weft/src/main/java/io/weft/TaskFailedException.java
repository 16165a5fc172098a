package io.weft;

/** A task ended by throwing; the cause is what it threw. */
public class TaskFailedException extends RuntimeException {
    public TaskFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
