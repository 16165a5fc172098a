package io.weft.steal;

import io.weft.coro.CoroutineTask;
import io.weft.task.Task;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Supplier;

/**
 * {@code Weft.blockInPlace} on a worker (tokio's {@code block_in_place}):
 * hands the tasks waiting on the worker to start (its local queue, its LIFO
 * slot) to the shared queue, waking a worker for them, then runs the body on
 * the worker's thread; meanwhile what the body's task spawns goes to the
 * shared queue too ({@code StealWorker.blocking}, which
 * {@code StealScheduler.schedule} reads), and the other workers hand it no
 * new task ({@code Spread.homeOfNewTask} reads the flag too). The tasks that
 * live on the worker wait for it, and so does a new task handed to it in
 * the moment before the flag was set. The worker's thread only, inside a task's poll.
 *
 * <p>A close interrupts the body (as an aborted {@code spawnBlocking} body
 * is): its task cannot be aborted while the body runs, and the close waits
 * for it. The interrupt lands inside the body or not at all, through
 * {@code StealWorker.body} (the blocking pool's protocol, in small):
 * <pre>
 * NONE → IN_BODY            the worker, before the body
 * IN_BODY → NONE            the worker, after it (CAS); if that fails, it waits for INTERRUPTED,
 *                           then clears its thread's interrupt and stores NONE
 * IN_BODY → INTERRUPTING    the closer (CAS), then thread.interrupt(), then INTERRUPTED
 * </pre>
 * The worker stores IN_BODY, then reads {@code closing}; the closer writes
 * {@code closing}, then reads {@code body} (both volatile): one of them sees
 * the other, so a body that begins during a close is interrupted by itself
 * at its start. After the body, the thread's interrupt is cleared whatever
 * set it: the worker's reactor must not see one.
 */
final class BlockInPlace {
    private BlockInPlace() {
    }

    private static final int NONE = 0;
    private static final int IN_BODY = 1;
    private static final int INTERRUPTING = 2;
    private static final int INTERRUPTED = 3;
    private static final VarHandle BODY;

    static {
        try {
            BODY = MethodHandles.lookup().findVarHandle(StealWorker.class, "body", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The close's side, from the closing thread, after {@code closing} is set: interrupts a body under way. */
    static void interrupt(StealWorker w) {
        if (BODY.compareAndSet(w, IN_BODY, INTERRUPTING)) {
            w.thread.interrupt();
            w.body = INTERRUPTED;
        }
    }

    static <T> T run(StealWorker w, Supplier<T> body) {
        if (Thread.currentThread() != w.thread || w.polling == null) {
            throw new IllegalStateException("Weft.blockInPlace outside a task of " + w.name());
        }
        if (w.blocking) {
            return body.get(); // nested: already handed over
        }
        int handed = 0;
        Task<?> l = w.lifo;
        if (l != null) {
            w.lifo = null;
            if (l.queue == w) {
                w.pin(l);
            } else {
                w.scheduler.inject.push(l);
                handed++;
            }
        }
        for (Task<?> t; (t = w.queue.pop()) != null; ) {
            w.scheduler.inject.push(t);
            handed++;
        }
        if (handed > 0) {
            w.scheduler.notifyParked();
        }
        CoroutineTask<?> task = w.polling instanceof CoroutineTask<?> c ? c : null;
        w.blocking = true;
        byte before = task != null ? task.enterBlockInPlace() : 0; // an await that would suspend in the body is refused
        w.body = IN_BODY;
        if (w.scheduler.closing) {
            Thread.currentThread().interrupt(); // the close may have looked before IN_BODY: the body is aborted
        }
        try {
            return body.get();
        } finally {
            if (!BODY.compareAndSet(w, IN_BODY, NONE)) {
                while (w.body != INTERRUPTED) {
                    Thread.onSpinWait(); // the closer is between its CAS and its interrupt
                }
                w.body = NONE;
            }
            Thread.interrupted(); // the close's, or one the body left: never the reactor's
            if (task != null) {
                task.exitBlockInPlace(before);
            }
            w.blocking = false;
        }
    }
}
