package io.weft;

import java.util.concurrent.CancellationException;

/**
 * The task was aborted. Thrown from {@code JoinHandle.await()} of a cancelled
 * task, and from every {@code await()} inside a coroutine task once it is
 * aborted, so that its {@code finally} blocks run.
 *
 * <p>A {@link CancellationException}, as the JDK's futures throw for a
 * cancelled computation: code written for them ({@code catch
 * (CancellationException e)}) catches it too, and a
 * {@link java.util.concurrent.CompletableFuture} completed with it
 * {@linkplain java.util.concurrent.CompletableFuture#isCancelled() is
 * cancelled}. Like every {@code CancellationException} it is an
 * {@link IllegalStateException}: a {@code catch (IllegalStateException e)}
 * around an {@code await()} catches the task's own cancellation too.
 */
public class TaskCancelledException extends CancellationException {
    public TaskCancelledException(String message) {
        super(message);
    }
}
