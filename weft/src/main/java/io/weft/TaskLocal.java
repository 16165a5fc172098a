package io.weft;

import io.weft.coro.Coroutines;
import java.util.Arrays;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;

/**
 * A value that belongs to a task, as a {@code ThreadLocal} belongs to a
 * thread (tokio's {@code task_local!}): bound with {@link #where}, it is
 * seen by the task's code for the time of the body, across every
 * {@code await}, and by no other task, even one that runs on the same
 * thread while this one is suspended.
 *
 * <p>Why not the JDK's own: many tasks take turns on one executor thread,
 * so what belongs to the thread is shared by all of them. A
 * {@code ThreadLocal} set by one task is read by the next task the thread
 * runs; a {@code ScopedValue} bound around an {@code await} is seen by
 * other tasks while the binding task is suspended (the JDK keeps the
 * bindings on the thread); a {@code ReentrantLock} or a
 * {@code synchronized} block held across an {@code await} is held by the
 * thread, so other tasks enter it too (a reentrant lock) or block the
 * executor (a monitor). Use a {@code TaskLocal} for per-request context,
 * and weft's {@code io.weft.sync.Mutex} for a lock held across awaits.
 *
 * <p>A new task starts with no bindings: {@link Weft#spawn} does not copy
 * its spawner's (as tokio's task locals); pass what a child needs, or bind
 * it again in the child. Only coroutine tasks (those spawned with a body)
 * have task locals; elsewhere {@link #get} and {@link #where} throw
 * IllegalStateException.
 *
 * <pre>{@code
 * static final TaskLocal<String> REQUEST_ID = TaskLocal.newInstance("request id");
 *
 * REQUEST_ID.where(id, () -> {
 *     var body = conn.read(buf).await();   // other requests run meanwhile
 *     log(REQUEST_ID.get() + ": " + body); // still this request's id
 *     return null;
 * });
 * }</pre>
 */
public final class TaskLocal<T> {
    private final String name;

    private TaskLocal(String name) {
        this.name = name;
    }

    /** A new task local; {@code name} appears in its messages. */
    public static <T> TaskLocal<T> newInstance(String name) {
        if (name == null) {
            throw new NullPointerException("name");
        }
        return new TaskLocal<>(name);
    }

    /**
     * Runs {@code body} in the current task with this bound to {@code value}
     * (null allowed), and returns what it returns; the binding before (or
     * none) is back when it returns or throws. Bindings nest.
     */
    public <R> R where(T value, Callable<R> body) throws Exception {
        Context cx = context("where");
        Object[] before = cx.locals;
        cx.locals = with(before, value);
        try {
            return body.call();
        } finally {
            cx.locals = before;
        }
    }

    /** The value bound in the current task; NoSuchElementException if none is. */
    @SuppressWarnings("unchecked")
    public T get() {
        Object[] l = context("get").locals;
        int i = indexIn(l);
        if (i < 0) {
            throw new NoSuchElementException("task local '" + name + "' is not bound in this task: bind it with"
                    + " where(value, body) in the task that reads it (a spawned task does not inherit it)");
        }
        return (T) l[i + 1];
    }

    /** The value bound in the current task, or {@code other} if none is. */
    @SuppressWarnings("unchecked")
    public T orElse(T other) {
        Object[] l = context("orElse").locals;
        int i = indexIn(l);
        return i < 0 ? other : (T) l[i + 1];
    }

    /** Whether a value is bound in the current task. */
    public boolean isBound() {
        return indexIn(context("isBound").locals) >= 0;
    }

    private Context context(String what) {
        Context cx = Coroutines.currentContext();
        if (cx == null) {
            throw new IllegalStateException("TaskLocal '" + name + "'." + what + " called outside a weft coroutine"
                    + " task: task locals belong to a task spawned with a body (Weft.spawn(() -> ...))");
        }
        return cx;
    }

    /** Where this key is in {@code l} (its index; the value follows), or -1. */
    private int indexIn(Object[] l) {
        if (l != null) {
            for (int i = 0; i < l.length; i += 2) {
                if (l[i] == this) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** A copy of {@code l} with this bound to {@code value} (the bindings before stay as they were, for the restore). */
    private Object[] with(Object[] l, T value) {
        int i = indexIn(l);
        Object[] next;
        if (i >= 0) {
            next = l.clone();
            next[i + 1] = value;
        } else {
            int n = l == null ? 0 : l.length;
            next = l == null ? new Object[2] : Arrays.copyOf(l, n + 2);
            next[n] = this;
            next[n + 1] = value;
        }
        return next;
    }

    @Override
    public String toString() {
        return "TaskLocal[" + name + "]";
    }
}
