package io.weft.executor;

import io.weft.Latency;
import io.weft.Shares;
import io.weft.TaskQueueHandle;
import io.weft.TaskQueueStats;
import io.weft.task.Task;

/**
 * One run queue of an executor: a FIFO of tasks, its shares and latency,
 * and its virtual runtime.
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
    /** Taken out by {@code Weft.removeTaskQueue}: no spawn goes into it any more. Loop thread only. */
    boolean removed;
    /** Position in the active heap, -1 when not in it. */
    int heapIndex = -1;

    /*
     * The FIFO: a list of chunks of CHUNK slots, the last slot of a chunk
     * linking the next. A full chunk is never reused: a new one is young, so
     * storing task references into it costs no G1 card-marking slow path
     * (which a store into a long-lived array or field pays, with a fence).
     * Only the switch to a new chunk stores into this long-lived object.
     */
    static final int CHUNK = 64;
    private Object[] headChunk = new Object[CHUNK + 1];
    private Object[] tailChunk = headChunk;
    private int headIndex;
    private int tailIndex;
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
        Object[] c = tailChunk;
        int i = tailIndex;
        if (i == CHUNK) {
            Object[] next = new Object[CHUNK + 1];
            c[CHUNK] = next;
            tailChunk = c = next;
            i = 0;
        }
        c[i] = t;
        tailIndex = i + 1;
        size++;
    }

    Task<?> pop() {
        if (size == 0) {
            return null;
        }
        Object[] c = headChunk;
        int i = headIndex;
        if (i == CHUNK) {
            Object[] next = (Object[]) c[CHUNK];
            c[CHUNK] = null;
            headChunk = c = next;
            i = 0;
        }
        Task<?> t = (Task<?>) c[i];
        c[i] = null;
        headIndex = i + 1;
        size--;
        return t;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Calls {@code action} on every queued task, oldest first (owner thread; the queue must not change meanwhile). */
    void forEach(java.util.function.Consumer<Task<?>> action) {
        Object[] c = headChunk;
        int i = headIndex;
        for (int n = 0; n < size; n++) {
            if (i == CHUNK) {
                c = (Object[]) c[CHUNK];
                i = 0;
            }
            action.accept((Task<?>) c[i++]);
        }
    }

    /** Charges a slice of {@code elapsed} ns: vruntime += elapsed x 1000 / shares. */
    void charge(long elapsed, long now) {
        runtimeNanos += elapsed;
        if (sharesSpec.isDynamic() && now - sharesReadAt >= SHARES_REFRESH_NANOS) {
            sharesReadAt = now;
            try {
                shares = sharesSpec.current();
            } catch (RuntimeException e) { // the user's manager: the queue keeps its last shares, the loop goes on
                io.weft.task.Log.get().log(System.Logger.Level.WARNING, "the shares manager of task queue "
                        + name + " threw; it keeps " + shares + " shares until the manager answers", e);
            }
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
