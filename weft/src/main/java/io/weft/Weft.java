package io.weft;

import io.weft.executor.Worker;
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
        return Worker.current("Weft.spawn").spawn(body, null);
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
        return Worker.current("Weft.spawn").spawn(name, body, null);
    }

    /** Spawns {@code body} as a coroutine task; its handle yields null. */
    public static JoinHandle<Void> spawn(Runnable body) {
        if (body == null) {
            throw new NullPointerException("task body");
        }
        return Worker.current("Weft.spawn").spawn(() -> {
            body.run();
            return null;
        }, null);
    }

    /** Spawns a poll-based future as a task. */
    public static <T> JoinHandle<T> spawn(Future<T> future) {
        return Worker.current("Weft.spawn").spawn(future, null);
    }

    /**
     * Runs {@code body} on the blocking pool, never on an executor's
     * thread: for calls that block (a JDBC query, a legacy client, a
     * {@code synchronized} section held long, a CPU-heavy computation).
     * The pool is one per JVM, shared with the file calls of the epoll and
     * nio drivers: threads start on demand up to {@code weft.blockingThreads}
     * (default 64; beyond it bodies wait in FIFO order), are daemons named
     * {@code weft-blocking-N}, and end after {@code weft.blockingKeepAlive}
     * ms idle (default 10,000).
     *
     * <p>The handle is a {@link JoinHandle} like any other: awaitable from
     * tasks of any executor and from plain threads, by many waiters.
     * {@link JoinHandle#abort()} (and so {@code cancel()}): a body still
     * waiting for a pool thread never runs, and the handle is finished when
     * abort returns; a running body's thread is interrupted, and the handle
     * reports cancelled ({@link TaskCancelledException}) once the body has
     * ended by throwing (an interrupted {@code sleep}, {@code wait},
     * {@code lockInterruptibly} or interruptible channel call throws). A
     * body that returns a value although it was interrupted keeps its value,
     * as any task whose last poll returned one: it may be something the body
     * opened, which nobody else would close. The handle finishes only when
     * the body has ended, so after an await nothing of the body still runs.
     * Its waiters are woken on the pool thread (a
     * {@link Future#toCompletableFuture()} completes there).
     *
     * <p><b>Cancel safety:</b> cancelling the handle aborts the body as
     * above; what the body did before it stopped stays done. To wait
     * without stopping the body when the wait is given up (a Timeout),
     * await {@link JoinHandle#detached()}.
     *
     * <p>The body belongs to the pool, not to the executor: closing the
     * executor neither waits for it nor stops it (abort the handle for
     * that). A failure nobody awaits is reported by the current executor, as
     * a task's ({@link LocalExecutor.Builder#onUnobservedFailure}). Must be
     * called inside a task (IllegalStateException otherwise).
     */
    public static <T> JoinHandle<T> spawnBlocking(Callable<T> body) {
        if (body == null) {
            throw new NullPointerException("blocking task body");
        }
        return Worker.current("Weft.spawnBlocking").spawnBlocking(null, body);
    }

    /**
     * Runs a blocking {@code body} on the current worker's thread, in the
     * task that calls it, after handing the worker's queued tasks to the
     * others (tokio's {@code block_in_place}): the tasks that were waiting
     * there to start, and those the body spawns, run elsewhere meanwhile.
     * For a call too short or too entangled with the task's state to be
     * worth a {@link #spawnBlocking} (no hand-over to the blocking pool).
     *
     * <p>On a {@link StealingExecutor} only; the tasks that already live on
     * this worker (they have run here; see {@link StealingExecutor}) and its
     * sockets and timers wait until the body returns. On a LocalExecutor it
     * throws IllegalStateException (nothing could run meanwhile: use
     * {@code spawnBlocking(body).await()}); outside any executor it just
     * calls {@code body}. What the body throws is rethrown as
     * {@link StealingExecutor#blockOn} does: unchecked as it is, checked as
     * the cause of a {@link TaskFailedException}. An {@code await()} in the
     * body that would suspend throws IllegalStateException (its future
     * cancelled first: it took nothing); one that is ready returns. A close
     * of the executor interrupts the body (as it does an aborted
     * {@link #spawnBlocking} body) and waits for it to return; the task is
     * then cancelled at its next await. The worker's thread carries no
     * interrupt past the body.
     */
    public static <T> T blockInPlace(Callable<T> body) {
        if (body == null) {
            throw new NullPointerException("body");
        }
        Worker w = Worker.currentOrNull();
        if (w == null) {
            return callRethrowing(body);
        }
        if (w.tasksStayOnThread()) {
            throw new IllegalStateException("Weft.blockInPlace in a task of " + w.name() + ", whose tasks cannot"
                    + " run anywhere else meanwhile: use Weft.spawnBlocking(body).await()");
        }
        return w.blockInPlace(() -> callRethrowing(body));
    }

    private static <T> T callRethrowing(Callable<T> body) {
        try {
            return body.call();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new TaskFailedException("the body of Weft.blockInPlace failed: " + e, e);
        }
    }

    /**
     * As {@link #spawnBlocking(Callable)}, with a name for messages and
     * failure reports (an unnamed one is {@code blocking#} and a number).
     */
    public static <T> JoinHandle<T> spawnBlocking(String name, Callable<T> body) {
        if (name == null) {
            throw new NullPointerException("task name");
        }
        if (body == null) {
            throw new NullPointerException("blocking task body");
        }
        return Worker.current("Weft.spawnBlocking").spawnBlocking(name, body);
    }

    /** Spawns {@code body} into task queue {@code q} of the current executor. */
    public static <T> JoinHandle<T> spawnInto(TaskQueueHandle q, Callable<T> body) {
        if (q == null) {
            throw new NullPointerException("task queue");
        }
        return Worker.current("Weft.spawnInto").spawn(body, q);
    }

    /** Creates a task queue on the current executor. */
    public static TaskQueueHandle createTaskQueue(String name, Shares shares, Latency latency) {
        return Worker.current("Weft.createTaskQueue").createTaskQueue(name, shares, latency);
    }

    /**
     * Removes task queue {@code q} of the current executor, as glommio's
     * {@code remove_task_queue}: for queues made per tenant or per job, so
     * that the executor does not keep them all for good. Refused
     * (IllegalStateException) while a task spawned into it is live (queued,
     * running or suspended): await or abort its tasks first. After it, a
     * spawn into {@code q} throws IllegalStateException. A queue of another
     * executor is refused with IllegalArgumentException; the default queue
     * has no handle and stays.
     */
    public static void removeTaskQueue(TaskQueueHandle q) {
        if (q == null) {
            throw new NullPointerException("task queue");
        }
        Worker.current("Weft.removeTaskQueue").removeTaskQueue(q);
    }

    /** A future that is pending once: awaiting it sends the task to the back of its queue. */
    public static Future<Void> yieldNow() {
        return new YieldNow();
    }

    /** Whether the running task queue has used up its time slice and the task should yield. */
    public static boolean needPreempt() {
        Worker ex = Worker.currentOrNull();
        return ex != null && ex.needPreempt();
    }

    /**
     * Yields if {@link #needPreempt()}; a cheap call to sprinkle in CPU-bound
     * loops. Does nothing where the task cannot suspend (inside a future's
     * poll, e.g. a map function, or a blockInPlace body).
     */
    public static void yieldIfNeeded() {
        if (needPreempt() && io.weft.coro.Await.maySuspendHere()) {
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
        Worker ex = Worker.current("Weft.sleep");
        return new Sleep(ex.timers(), Deadlines.after(ex.timers().now(), d));
    }

    /**
     * A future ready once the executor's clock reads {@code deadlineNanos}
     * (a value of {@code Weft.clock().nanoTime()}'s scale; compared by
     * subtraction, as {@link System#nanoTime()}; a deadline more than ~146
     * years ahead is taken as that).
     */
    public static CancellableFuture<Void> sleepUntil(long deadlineNanos) {
        Worker ex = Worker.current("Weft.sleepUntil");
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
        Worker ex = Worker.current("Weft.sleepUntil");
        Clock c = ex.clock();
        long now = c.nanoTime();
        Duration d = Duration.between(c.instant(), deadline);
        return new Sleep(ex.timers(), Deadlines.after(now, d));
    }

    /** The clock of the current executor's timers. */
    public static Clock clock() {
        return Worker.current("Weft.clock").clock();
    }

    /**
     * The index of the current executor in its {@link LocalExecutorPool}
     * (0 for an executor outside a pool).
     */
    /**
     * Every live task of every executor in this process that is not
     * closed (each as its executor's {@code dumpTasks()} gives it): what an
     * operator's dump on demand prints, {@link TaskInfo#toText} for a
     * thread-dump-like text, {@link TaskInfo#toJson} for tools. Any thread.
     */
    public static java.util.List<TaskInfo> dumpAllTasks() {
        return io.weft.diag.Registry.dumpAll();
    }

    public static int executorIndex() {
        return Worker.current("Weft.executorIndex").poolIndex();
    }

    /** The executor running the current task. */
    public static LocalExecutor current() {
        Worker w = Worker.current("Weft.current");
        if (w.facade() instanceof LocalExecutor ex) {
            return ex;
        }
        throw new IllegalStateException("Weft.current() called in a task of " + w.name()
                + ", which is not a LocalExecutor");
    }
}
