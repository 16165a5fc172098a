package io.weft.task;

import io.weft.TaskCancelledException;
import io.weft.TaskFailedException;

/**
 * What a complete task's output slot holds when the body did not return a
 * value ({@link Failure}, {@link Cancelled}), and how a join turns the slot
 * into what it returns or throws ({@link #of}).
 */
public final class Outcome {
    private Outcome() {
    }

    /** The output of a task that threw. */
    public record Failure(Throwable error) {
    }

    /** The output of a cancelled task; {@code error} is what its body threw while unwinding, if anything. */
    public record Cancelled(Throwable error) {
        public static final Cancelled PLAIN = new Cancelled(null);
    }

    /**
     * The value a join of {@code task} returns, for its output {@code out}
     * (read after an acquire that saw COMPLETE), or the exception it stands
     * for: TaskFailedException with the body's throw as its cause,
     * TaskCancelledException with what the unwinding threw suppressed.
     */
    @SuppressWarnings("unchecked")
    static <T> T of(Task<T> task, Object out) {
        if (out instanceof Failure f) {
            throw new TaskFailedException("task " + task + " failed: " + TaskWords.of(f.error), f.error);
        }
        if (out instanceof Cancelled c) {
            TaskCancelledException e = new TaskCancelledException("task " + task + " was cancelled");
            if (c.error != null && !(c.error instanceof TaskCancelledException)) {
                e.addSuppressed(c.error);
            }
            throw e;
        }
        return (T) out;
    }
}
