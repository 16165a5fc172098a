package io.weft;

import io.weft.executor.ExecutorCore;
import io.weft.executor.YieldNow;
import io.weft.time.Deadlines;
import io.weft.time.Sleep;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

/**
 * The current executor, from inside a task. Every method must be called on
 * an executor's thread (inside a task) and throws
 * {@link IllegalStateException} elsewhere.
 */
public final class Weft {
    private Weft() {
    }

    /** Spawns {@code body} as a coroutine task on the current executor's default queue. */
    public static <T> JoinHandle<T> spawn(Callable<T> body) {
        return ExecutorCore.current("Weft.spawn").spawn(body, null);
    }

    /**
     * Spawns {@code body} as a coroutine task with a name, which appears in
     * error messages and in the report of a failure nobody awaited. An
     * unnamed task appears as {@code #} and its sequence number on its
     * executor ("task #17 was cancelled").
     */
    public static <T> JoinHandle<T> spawn(String name, Callable<T> body) {
        if (name == null) {
            throw new NullPointerException("task name");
        }
        return ExecutorCore.current("Weft.spawn").spawn(name, body, null);
    }

    /** Spawns {@code body} as a coroutine task; its handle yields null. */
    public static JoinHandle<Void> spawn(Runnable body) {
        if (body == null) {
            throw new NullPointerException("task body");
        }
        return ExecutorCore.current("Weft.spawn").spawn(() -> {
            body.run();
            return null;
        }, null);
    }

    /** Spawns a poll-based future as a task. */
    public static <T> JoinHandle<T> spawn(Future<T> future) {
        return ExecutorCore.current("Weft.spawn").spawn(future, null);
    }

    /** Spawns {@code body} into task queue {@code q} of the current executor. */
    public static <T> JoinHandle<T> spawnInto(TaskQueueHandle q, Callable<T> body) {
        if (q == null) {
            throw new NullPointerException("task queue");
        }
        return ExecutorCore.current("Weft.spawnInto").spawn(body, q);
    }

    /** Creates a task queue on the current executor. */
    public static TaskQueueHandle createTaskQueue(String name, Shares shares, Latency latency) {
        return ExecutorCore.current("Weft.createTaskQueue").createTaskQueue(name, shares, latency);
    }

    /** A future that is pending once: awaiting it sends the task to the back of its queue. */
    public static Future<Void> yieldNow() {
        return new YieldNow();
    }

    /** Whether the running task queue has used up its time slice and the task should yield. */
    public static boolean needPreempt() {
        ExecutorCore ex = ExecutorCore.currentOrNull();
        return ex != null && ex.needPreempt();
    }

    /** Yields if {@link #needPreempt()}; a cheap call to sprinkle in CPU-bound loops. */
    public static void yieldIfNeeded() {
        if (needPreempt()) {
            yieldNow().await();
        }
    }

    /**
     * A future ready once {@code d} has passed on the executor's clock (the
     * deadline is fixed now; resolution 1 ms, never early). Cancelling it
     * (an aborted await, a Timeout, a lost select) frees its timer at once;
     * see {@link Sleep}.
     */
    public static CancellableFuture<Void> sleep(Duration d) {
        if (d == null) {
            throw new NullPointerException("duration");
        }
        ExecutorCore ex = ExecutorCore.current("Weft.sleep");
        return new Sleep(ex.timers(), Deadlines.after(ex.timers().now(), d));
    }

    /**
     * A future ready once the executor's clock reads {@code deadlineNanos}
     * (a value of {@code Weft.clock().nanoTime()}'s scale; compared by
     * subtraction, as {@link System#nanoTime()}; a deadline more than ~146
     * years ahead is taken as that).
     */
    public static CancellableFuture<Void> sleepUntil(long deadlineNanos) {
        ExecutorCore ex = ExecutorCore.current("Weft.sleepUntil");
        return new Sleep(ex.timers(), Deadlines.clamp(ex.timers().now(), deadlineNanos));
    }

    /**
     * A future ready at wall-clock {@code deadline}: converted once, now, to
     * the executor's clock ({@code clock.nanoTime() + (deadline - clock.instant())});
     * later changes of the wall clock do not move it.
     */
    public static CancellableFuture<Void> sleepUntil(Instant deadline) {
        if (deadline == null) {
            throw new NullPointerException("deadline");
        }
        ExecutorCore ex = ExecutorCore.current("Weft.sleepUntil");
        Clock c = ex.clock();
        long now = c.nanoTime();
        Duration d = Duration.between(c.instant(), deadline);
        return new Sleep(ex.timers(), Deadlines.after(now, d));
    }

    /** The clock of the current executor's timers. */
    public static Clock clock() {
        return ExecutorCore.current("Weft.clock").clock();
    }

    /**
     * The index of the current executor in its {@link LocalExecutorPool}
     * (0 for an executor outside a pool).
     */
    public static int executorIndex() {
        return ExecutorCore.current("Weft.executorIndex").poolIndex();
    }

    /** The executor running the current task. */
    public static LocalExecutor current() {
        return (LocalExecutor) ExecutorCore.current("Weft.current").facade();
    }
}
