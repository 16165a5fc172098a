package io.weft;

/** A task ended by throwing; the cause is what it threw. */
public class TaskFailedException extends RuntimeException {
    public TaskFailedException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * What a root's failure is rethrown as by {@code LocalExecutor.run} and
     * {@code StealingExecutor.blockOn}: an unchecked cause as it is (an
     * error is thrown from here), a checked one as {@code f} itself.
     */
    static RuntimeException rootFailure(TaskFailedException f) {
        Throwable cause = f.getCause();
        if (cause instanceof RuntimeException r) {
            return r;
        }
        if (cause instanceof Error e) {
            throw e;
        }
        return f;
    }
}
