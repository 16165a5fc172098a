package io.weft;

import io.weft.executor.ExecutorCore;
import io.weft.executor.YieldNow;
import io.weft.time.Sleep;
import java.time.Duration;
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
     * error messages and in the report of a failure nobody awaited.
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

    /** A future ready once {@code d} has passed. */
    public static Future<Void> sleep(Duration d) {
        if (d == null) {
            throw new NullPointerException("duration");
        }
        ExecutorCore ex = ExecutorCore.current("Weft.sleep");
        long nanos = d.isNegative() ? 0 : saturatedNanos(d);
        long now = System.nanoTime();
        long deadline = nanos > Long.MAX_VALUE / 2 ? now + Long.MAX_VALUE / 2 : now + nanos;
        return new Sleep(ex.timers(), deadline);
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** The executor running the current task. */
    public static LocalExecutor current() {
        return (LocalExecutor) ExecutorCore.current("Weft.current").facade();
    }
}
