package io.weft.executor;

import io.weft.Latency;
import io.weft.Shares;
import io.weft.TaskQueueHandle;
import io.weft.TaskQueueStats;
import io.weft.task.Task;

/**
 * One run queue of an executor: a FIFO of tasks (an intrusive list through
 * {@link Task#nextInQueue}), its shares and latency, and its virtual runtime.
 * Owner thread only.
 *
 * <p>States: IDLE (empty, not in the active heap), ACTIVE (non-empty, in the
 * heap), RUNNING (taken off the heap, its tasks being run). A push onto an
 * IDLE queue activates it; a RUNNING queue goes back to ACTIVE or IDLE when
 * its slice ends.
 */
final class TaskQueue implements TaskQueueHandle {
    static final int IDLE = 0;
    static final int ACTIVE = 1;
    static final int RUNNING = 2;

    static final long SHARES_REFRESH_NANOS = 250_000_000L;

    final ExecutorCore executor;
    final String name;
    final Shares sharesSpec;
    final Latency latency;
    final int id;

    int shares;
    long sharesReadAt;
    int status = IDLE;
    /** Position in the active heap, -1 when not in it. */
    int heapIndex = -1;

    private Task<?> head;
    private Task<?> tail;
    int size;

    long vruntime;
    long activatedAt;

    // counters
    long tasksSpawned;
    long tasksCompleted;
    long polls;
    long runtimeNanos;
    long waitNanos;
    long slices;

    TaskQueue(ExecutorCore executor, int id, String name, Shares shares, Latency latency, long now) {
        this.executor = executor;
        this.id = id;
        this.name = name;
        this.sharesSpec = shares;
        this.latency = latency;
        this.shares = shares.current();
        this.sharesReadAt = now;
    }

    void push(Task<?> t) {
        t.nextInQueue = null;
        if (tail == null) {
            head = t;
        } else {
            tail.nextInQueue = t;
        }
        tail = t;
        size++;
    }

    Task<?> pop() {
        Task<?> t = head;
        if (t != null) {
            head = t.nextInQueue;
            if (head == null) {
                tail = null;
            }
            t.nextInQueue = null;
            size--;
        }
        return t;
    }

    boolean isEmpty() {
        return head == null;
    }

    /** Charges a slice of {@code elapsed} ns: vruntime += elapsed x 1000 / shares. */
    void charge(long elapsed, long now) {
        runtimeNanos += elapsed;
        if (sharesSpec.isDynamic() && now - sharesReadAt >= SHARES_REFRESH_NANOS) {
            shares = sharesSpec.current();
            sharesReadAt = now;
        }
        vruntime += elapsed * 1000 / shares;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public TaskQueueStats stats() {
        return new TaskQueueStats(name, shares, tasksSpawned, tasksCompleted, polls, runtimeNanos, vruntime,
                waitNanos, slices);
    }

    @Override
    public String toString() {
        return "TaskQueue[" + name + ", " + sharesSpec + ", " + latency + "]";
    }
}
