package io.weft;

import io.weft.compose.Completions;
import io.weft.executor.Worker;
import java.util.concurrent.Callable;

/**
 * Many tasks, taken back in the order they finish.
 *
 * <pre>{@code
 * try (var set = new JoinSet<Integer>()) {
 *     for (var url : urls) set.spawn(() -> fetch(url));
 *     while (!set.isEmpty()) total += set.next().await();
 * }
 * }</pre>
 *
 * <ul>
 *   <li>Each task's completion is noticed by its own join waker, so
 *       {@link #next()} costs O(1) per finished task, not a poll of every
 *       handle.</li>
 *   <li>{@link #next()} yields the value of the task that finished first
 *       among those not yet taken, or throws what that task's handle throws
 *       ({@link TaskFailedException}, {@link TaskCancelledException}); either
 *       way that task leaves the set. When the set is empty it is ready with
 *       {@code null}: if tasks may return null, loop on {@link #isEmpty()},
 *       or use {@link #nextHandle()}, which is null only when the set is
 *       empty. Emptiness is decided when the future is polled.</li>
 *   <li>{@link #abortAll()} aborts every task in the set; they stay in it,
 *       and {@code next()} then yields their cancellation, in order.
 *       {@link #close()} is {@code abortAll()}: it does not wait (a
 *       {@link TaskScope} does).</li>
 *   <li>A failure stays in the set until {@code next()} throws it: the set
 *       has looked at every task's handle, so the executor does not report a
 *       failed task of a set as unobserved, and a set abandoned with failed
 *       tasks in it loses those failures.</li>
 *   <li>Thread contract: a set belongs to the executor of its first
 *       {@code spawn}; use it from that executor's tasks only (on a
 *       StealingExecutor, on whichever worker they run: the set's
 *       bookkeeping is guarded by a monitor), with one task at a time
 *       awaiting {@code next()} (a second one would take the first one's
 *       place as the task to wake).</li>
 * </ul>
 */
public final class JoinSet<T> implements AutoCloseable {
    private final Completions<T> tasks = new Completions<>(null);
    /** The worker of the first spawn (its executor owns the set); guarded by this object's monitor. */
    private Worker executor;

    /** Spawns {@code body} into the set, as a coroutine task of the current executor. */
    public JoinHandle<T> spawn(Callable<T> body) {
        return spawnNamed(null, body);
    }

    /** As {@link #spawn(Callable)}, with a name for messages and reports (see {@link Weft#spawn(String, Callable)}). */
    public JoinHandle<T> spawn(String name, Callable<T> body) {
        if (name == null) {
            throw new NullPointerException("task name");
        }
        return spawnNamed(name, body);
    }

    private JoinHandle<T> spawnNamed(String name, Callable<T> body) {
        Worker ex = Worker.current("JoinSet.spawn");
        synchronized (this) {
            if (executor == null) {
                executor = ex;
            } else if (!executor.sameExecutor(ex)) {
                throw new IllegalStateException("JoinSet belongs to executor " + executor.name() + ", not "
                        + ex.name());
            }
        }
        if (body == null) {
            throw new NullPointerException("task body");
        }
        JoinHandle<T> h = ex.spawn(name, body, null);
        tasks.add(h);
        return h;
    }

    /**
     * The next task to finish, as its value (see the class docs); null when the set is empty.
     *
     * <p><b>Cancel safety:</b> a task leaves the set only in the poll that
     * returns it, so a cancelled {@code next()} took nothing: the task that
     * finished stays for the next call.
     */
    public CancellableFuture<T> next() {
        return nextHandle().map(h -> h == null ? null : Completions.output(h));
    }

    /** The handle of the next task to finish, removed from the set; null when the set is empty. Cancel safe, as {@link #next()}. */
    public CancellableFuture<JoinHandle<T>> nextHandle() {
        return new CancellableFuture<>() {
            private Waker registered;

            @Override
            public Poll<JoinHandle<T>> poll(Context cx) {
                if (!tasks.hasDone() && tasks.size() == 0) {
                    return Poll.ready(null);
                }
                if (tasks.hasDone() && !cx.consumeBudget()) {
                    return Poll.pending();
                }
                registered = cx.waker();
                Completions<T>.Entry e = tasks.take(registered);
                if (e == null) {
                    return Poll.pending();
                }
                tasks.clearWaiter();
                registered = null;
                return Poll.ready(e.handle);
            }

            /** Stops waiting: the set no longer wakes this waiter; nothing was taken. */
            @Override
            public void cancel() {
                if (registered != null) {
                    tasks.clearWaiter(registered);
                    registered = null;
                }
            }
        };
    }

    /** Aborts every task in the set (they stay in it until {@link #next()} takes them). */
    public void abortAll() {
        tasks.forEachLive(JoinHandle::abort);
    }

    /** Tasks spawned and not yet taken by {@code next()}, finished or not. */
    public int size() {
        return tasks.size();
    }

    public boolean isEmpty() {
        return tasks.size() == 0;
    }

    /** {@link #abortAll()}; does not wait for the tasks. */
    @Override
    public void close() {
        abortAll();
    }
}
