package io.weft;

/**
 * The result of a spawned task, as a future.
 *
 * <p>{@link #await()} returns what the task returned, or throws
 * {@link TaskFailedException} (cause: what the task threw) or
 * {@link TaskCancelledException} (the task was aborted). A handle may be
 * awaited any number of times, by any number of waiters, from any thread.
 *
 * <p><b>Cancel safety:</b> cancelling a join handle
 * ({@link CancellableFuture#cancel()}) aborts its task, as tokio's
 * {@code AbortOnDropHandle} does: whatever gives up on the handle gives up
 * on the task (a Timeout, a lost select, an {@code await()} in a task that is
 * itself aborted). Only an await that polled the handle cancels it, so a
 * handle awaited in the {@code finally} of an aborted task is not aborted by
 * that. To wait for a task without tying its life to the waiter (several
 * waiters, a task that must outlive a timeout), await {@link #detached()}.
 */
public interface JoinHandle<T> extends CancellableFuture<T> {

    /**
     * Cancels the task. A suspended coroutine task is resumed with
     * {@link TaskCancelledException} thrown from its pending {@code await()},
     * so its {@code finally} blocks run; a task that has not started never
     * runs. Aborting a finished task changes nothing, and neither does an
     * abort that arrives while the poll that returns the task's value runs
     * (the value may be a lock or a connection its body took), or that
     * throws a failure of its own rather than the cancellation of an await
     * (a scope reports it as the child's failure). Any thread may call it.
     */
    void abort();

    /** {@link #abort()}: giving up on a task's result gives up on the task. */
    @Override
    default void cancel() {
        abort();
    }

    /**
     * The task's result as a future that does not own the task: giving up
     * on it (a Timeout, a lost select, an aborted await) leaves the task
     * running, as dropping a tokio {@code JoinHandle} does. For a task that
     * several tasks await, or that must outlive a wait with a deadline:
     * {@code Timeout.of(d, handle.detached()).await()}.
     *
     * <p><b>Cancel safety:</b> a detached wait given up took nothing and
     * leaves nothing: the task runs on, its output stays with its handle,
     * and a failure it throws later that nobody else receives goes to the
     * executor's unobserved-failure handler, as if nobody had waited.
     */
    default Future<T> detached() {
        return this::poll;
    }

    /** Whether the task has finished: returned, thrown, or been cancelled. */
    boolean isFinished();
}
