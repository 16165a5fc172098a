package io.weft.executor;

import io.weft.task.Task;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The steps of an executor's close and shutdown, for a pool that shuts
 * several executors down at once ({@code LocalExecutorPool}): it begins the
 * step on every executor, then waits for all of them against one deadline.
 * What each step does is {@link Lifecycle}'s; any thread may call them,
 * including a task of one of the executors.
 */
public final class ShutdownSteps {
    private ShutdownSteps() {
    }

    /**
     * Starts a shutdown of {@code core} (no new outside work); the future
     * completes once no task (but the caller's, if {@code fromOwnTask}) is
     * live.
     */
    public static CompletableFuture<Void> beginShutdown(ExecutorCore core, boolean fromOwnTask) {
        return core.lifecycle.startDrain(fromOwnTask ? 1 : 0);
    }

    /**
     * {@code task}, running on {@code core}'s thread, waits in a pool's
     * shutdown ({@code in}) or no longer: {@code core}'s drains do not wait
     * for it (see {@code Lifecycle.reaches}).
     */
    public static void waitingInShutdown(ExecutorCore core, Task<?> task, boolean in) {
        core.lifecycle.waitingInShutdown(task, in);
    }

    /** Whether {@code core}'s close (begun or over) cancelled a task. */
    public static boolean closeCancelled(ExecutorCore core) {
        return core.lifecycle.closeCancelled();
    }

    /**
     * Starts a close of {@code core} (from a task of that executor, if
     * {@code spareCaller}: it ends when that task does; else that task is
     * cancelled with the others); the future completes when it is over.
     */
    public static CompletableFuture<Void> beginClose(ExecutorCore core, boolean spareCaller) {
        core.lifecycle.beginClose(spareCaller);
        return core.lifecycle.terminated;
    }

    /**
     * On a thread that is not {@code core}'s loop: waits for {@code f} until
     * the deadline ({@code System.nanoTime}), running the loop here while no
     * thread does; whether it completed.
     */
    public static boolean awaitOutside(ExecutorCore core, CompletableFuture<Void> f, long deadlineNanos) {
        return core.lifecycle.awaitFromOutside(f, deadlineNanos);
    }

    /**
     * In a coroutine task of any executor: suspends until {@code f}
     * completes or the deadline ({@code System.nanoTime};
     * {@code Long.MAX_VALUE}: none); whether it completed.
     */
    public static boolean awaitInTask(CompletableFuture<Void> f, long deadlineNanos) {
        return Lifecycle.awaitInTask(f, deadlineNanos);
    }

    /**
     * Runs {@code step} on a platform thread of its own; the caller joins it,
     * or, a coroutine task, waits suspended (its executor goes on). For a
     * task of another executor that stops an executor whose stop blocks.
     */
    public static <T> T onAThreadOfItsOwn(String threadName, java.util.function.Supplier<T> step) {
        return Lifecycle.onAThreadOfItsOwn(threadName, step);
    }

    /** The {@code System.nanoTime} deadline {@code grace} gives from now (a negative grace counts as zero). */
    public static long deadline(Duration grace) {
        return Lifecycle.deadline(grace);
    }
}
