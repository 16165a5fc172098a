package io.weft.executor;

import io.weft.Clock;
import io.weft.Future;
import io.weft.Latency;
import io.weft.Poll;
import io.weft.Shares;
import io.weft.TaskQueueHandle;
import io.weft.io.IoDriver;
import io.weft.task.CurrentLoop;
import io.weft.task.Task;
import io.weft.time.Timers;
import java.util.concurrent.Callable;

/**
 * The seam between weft's API and the executor kinds: what the code of a
 * task reaches as "the executor running here". {@code Weft.spawn}, sleeps,
 * timeouts, intervals, the socket and file factories, the local sync
 * primitives, {@code TaskScope} and {@code JoinSet} find it with
 * {@link #current(String)} and use only these methods, so that every
 * executor kind is a peer behind them: the {@link ExecutorCore} of a
 * {@code LocalExecutor} (alone or in a pool) today, a worker of a
 * work-stealing executor or a simulation executor later. Which of the
 * runtime's assumptions hold for which kind is in {@code package-info.java}
 * ("Executor kinds").
 *
 * <p>Every method runs on the worker's loop thread (where
 * {@link #current} finds it). The owner its tasks are scheduled through
 * ({@link io.weft.task.TaskOwner}) is another matter: the worker itself for
 * a LocalExecutor, the executor's shared scheduler for a StealingExecutor.
 */
public interface Worker extends CurrentLoop.Turns {

    /** The worker whose loop runs on this thread, or null. */
    static Worker currentOrNull() {
        return CurrentLoop.get() instanceof Worker w ? w : null;
    }

    /** The worker whose loop runs on this thread; {@code what} names the call for the error. */
    static Worker current(String what) {
        Worker w = currentOrNull();
        if (w == null) {
            throw new IllegalStateException(what + " called outside a weft executor: call it from inside a task,"
                    + " e.g. LocalExecutor.create().run(() -> ...)");
        }
        return w;
    }

    /** The name of the executor (or of the worker), for messages. */
    String name();

    /** The public object of the executor ({@code LocalExecutor}, ...). */
    Object facade();

    /**
     * Whether {@code other} belongs to the same executor as this worker: the
     * same worker, or another worker of the same StealingExecutor.
     */
    default boolean sameExecutor(Worker other) {
        return other == this || (facade() != null && facade() == other.facade());
    }

    /**
     * Whether {@code here} (the worker running on this thread, or null) runs
     * {@code owner}'s executor now, and its tasks stay on their thread: then
     * what {@code owner}'s first thread bound (a local primitive, an SPSC
     * side) follows it to this thread, since one thread at a time runs such
     * an executor and its hand-off orders what its tasks wrote.
     */
    static boolean runsNow(Worker here, Worker owner) {
        return here != null && owner != null && here.sameExecutor(owner) && here.tasksStayOnThread();
    }

    /** The executor's index in its pool; 0 outside a pool. */
    int poolIndex();

    /**
     * Whether a task of this worker stays on its thread for life. The local
     * sync family and task queues with shares need it; on a worker whose
     * tasks may move they throw, saying what to use instead.
     */
    boolean tasksStayOnThread();

    /** Spawns a coroutine task; {@code name} (may be null) appears in messages, {@code into} null: the default queue. */
    <T> Task<T> spawn(String name, Callable<T> body, TaskQueueHandle into);

    default <T> Task<T> spawn(Callable<T> body, TaskQueueHandle into) {
        return spawn(null, body, into);
    }

    /**
     * Runs {@code body} on this thread after handing this worker's queued
     * tasks to others ({@code Weft.blockInPlace}); only for a worker whose
     * tasks move ({@link #tasksStayOnThread()} false).
     */
    default <T> T blockInPlace(java.util.function.Supplier<T> body) {
        throw new IllegalStateException("blockInPlace is not for " + name());
    }

    /** Spawns a task that polls {@code future}. */
    <T> Task<T> spawn(Future<T> future, TaskQueueHandle into);

    /**
     * From a task on another worker of the same executor: a task that polls
     * {@code future} on this worker's thread, for work that must run there
     * (taking a socket off this worker's reactor). Only for a worker whose
     * tasks move ({@link #tasksStayOnThread()} false).
     */
    default <T> Task<T> spawnHere(Future<T> future) {
        throw new UnsupportedOperationException("spawnHere is not for " + name());
    }

    /** {@code r}, run later on this worker's thread as a task of it ({@link #spawnHere}): a close from afar. */
    default void runHere(Runnable r) {
        spawnHere(cx -> {
            r.run();
            return Poll.ready(null);
        });
    }

    /** A stream moved to this worker for one of its tasks (counted by a StealingExecutor's worker); its thread. */
    default void countStreamMovedIn() {
    }

    /** A stream operation run on this worker for a task of another (counted as above); its thread. */
    default void countForwardedOp() {
    }

    /** Runs {@code body} on the blocking pool; a failure nobody awaits is reported by this worker's executor. */
    <T> Task<T> spawnBlocking(String name, Callable<T> body);

    TaskQueueHandle createTaskQueue(String name, Shares shares, Latency latency);

    /** Removes a task queue this worker made; see {@code Weft.removeTaskQueue}. */
    void removeTaskQueue(TaskQueueHandle q);

    /** The worker's reactor, opened on first use. */
    IoDriver driver();

    /** The worker's timer wheel. */
    Timers timers();

    /** The clock of the timers. */
    Clock clock();

    /** Whether the running task should yield (its slice is over, a timer is due, a wake came from afar). */
    boolean needPreempt();

    /**
     * Whether this worker's loop runs and is not parked: any thread may
     * ask. A task of another executor spinning for this one's next value
     * (an {@code SpscChannel} side) stops when it is not: nothing will come
     * before a wake. False when the kind cannot tell.
     */
    default boolean awake() {
        return false;
    }

    /**
     * Whether some task other than the running one is ready to run here
     * (queued, or woken from another thread): the running task should not
     * spin. Loop thread only. True when the kind cannot tell.
     */
    default boolean othersReady() {
        return true;
    }
}
