package io.weft.steal;

import io.weft.coro.CoroutineTask;
import io.weft.task.Task;
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
 */
final class BlockInPlace {
    private BlockInPlace() {
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
                w.pinned.add(l);
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
        if (task != null) {
            task.inBlockInPlace(true); // an await that would suspend in the body is refused
        }
        try {
            return body.get();
        } finally {
            if (task != null) {
                task.inBlockInPlace(false);
            }
            w.blocking = false;
        }
    }
}
