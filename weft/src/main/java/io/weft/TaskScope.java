package io.weft;

import io.weft.compose.Completions;
import io.weft.executor.ExecutorCore;
import io.weft.task.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Structured concurrency: child tasks that do not outlive a block.
 *
 * <pre>{@code
 * try (var scope = TaskScope.failFast()) {
 *     JoinHandle<User> user = scope.spawn(() -> fetchUser(id));
 *     JoinHandle<List<Order>> orders = scope.spawn(() -> fetchOrders(id));
 *     scope.join();                       // both done, or the first failure
 *     return render(user.await(), orders.await());
 * }                                       // close(): nothing of ours is still running
 * }</pre>
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li>A scope is opened inside a task and belongs to that task's executor;
 *       {@link #spawn} may be called on that executor's thread (by the
 *       opening task or by its children), nowhere else. Children are
 *       coroutine tasks on the executor's default queue.</li>
 *   <li>{@link #join()} waits until every child has finished, including
 *       children spawned while it waits. If any child failed and its failure
 *       was not <em>received</em> (below), it then throws the
 *       {@link TaskFailedException} of the first such child to fail (in
 *       completion order) with those of the later ones attached as
 *       suppressed; the failures are reported once (a second join does not
 *       throw them again). A cancelled child is not a failure.</li>
 *   <li>{@link #close()} aborts every child that is still running and waits
 *       until all have finished, so their {@code finally} blocks have run when
 *       it returns. Failures that nobody received and no {@code join()}
 *       reported are thrown then (in try-with-resources, as suppressed
 *       exceptions of the body's own exception, if any): a child's failure
 *       is never silently lost. After close, {@code spawn} throws
 *       {@link IllegalStateException}.</li>
 *   <li>A child's failure is <em>received</em> (observed by somebody)
 *       once a poll of its handle has thrown the child's
 *       {@link TaskFailedException} to a caller: an {@code await()} of the
 *       handle, a combinator polling it ({@link Futures#join},
 *       {@link Futures#select}, a {@link io.weft.time.Timeout}, ...),
 *       whether it passes the failure on or puts it aside (as
 *       {@link Futures#firstSuccessful} does when another child succeeds), or
 *       {@link JoinHandle#toCompletableFuture()}, which hands it to the
 *       CompletableFuture. Whoever received it handles it or lets it
 *       propagate: {@code join()} and {@code close()} never throw it a second
 *       time. The scope's own look at each child's outcome does not count,
 *       and neither does a combinator that gave up on a child without
 *       polling its failure (a join that failed on another child first).</li>
 *   <li>With {@link #failFast()}, the first child failure aborts every other
 *       unfinished child at once, and a child spawned afterwards is aborted
 *       before it runs; {@code join()} still waits for them all to finish.</li>
 *   <li>If the task that owns the scope is itself aborted, {@code join()}
 *       and {@code close()} throw {@link TaskCancelledException}: a cancelled
 *       coroutine cannot suspend any more, so close() then aborts the
 *       children <em>without</em> waiting for them; they finish their
 *       cancellation right after, on the same executor (and always before
 *       {@link LocalExecutor#close()} returns). Failures nobody received
 *       and no join reported are attached to that exception as
 *       suppressed.</li>
 *   <li>{@code join()}/{@code close()} expect one waiting task at a time
 *       (normally the one that opened the scope): a second task waiting
 *       meanwhile would take the first one's place as the task to wake.</li>
 * </ul>
 */
public final class TaskScope implements AutoCloseable {
    private final ExecutorCore executor;
    private final boolean failFast;
    private final Completions<Object> children;
    /** Failures in completion order, not yet reported by join or close (some may be received meanwhile). */
    private final List<Failed> failures = new ArrayList<>();
    private boolean shutDown;
    private boolean closed;

    private TaskScope(boolean failFast) {
        this.executor = ExecutorCore.current("TaskScope.open");
        this.failFast = failFast;
        this.children = new Completions<>(this::childFinished);
    }

    /** A scope whose children fail independently: join() waits for all, then reports failures. */
    public static TaskScope open() {
        return new TaskScope(false);
    }

    /** A scope that aborts the other children when one fails. */
    public static TaskScope failFast() {
        return new TaskScope(true);
    }

    /** Spawns {@code body} as a child task. */
    public <T> JoinHandle<T> spawn(Callable<T> body) {
        return spawnNamed(null, body);
    }

    /** As {@link #spawn(Callable)}, with a name for messages and reports (see {@link Weft#spawn(String, Callable)}). */
    public <T> JoinHandle<T> spawn(String name, Callable<T> body) {
        if (name == null) {
            throw new NullPointerException("task name");
        }
        return spawnNamed(name, body);
    }

    @SuppressWarnings("unchecked")
    private <T> JoinHandle<T> spawnNamed(String name, Callable<T> body) {
        checkThread("spawn");
        if (closed) {
            throw new IllegalStateException("TaskScope.spawn after close()");
        }
        if (body == null) {
            throw new NullPointerException("task body");
        }
        JoinHandle<T> h = executor.spawn(name, body, null);
        children.add((JoinHandle<Object>) h);
        if (shutDown) {
            h.abort();
        }
        return h;
    }

    /** Spawns {@code body} as a child task; its handle yields null. */
    public JoinHandle<Void> spawn(Runnable body) {
        if (body == null) {
            throw new NullPointerException("task body");
        }
        return spawn(() -> {
            body.run();
            return null;
        });
    }

    /** Waits for every child; then throws the first failure nobody received, if any, with the others suppressed. */
    public void join() {
        checkThread("join");
        allFinished().await();
        throwFailures();
    }

    /**
     * Aborts the children still running and waits for them; then throws the
     * failures nobody received and no join reported. Idempotent.
     */
    @Override
    public void close() {
        checkThread("close");
        if (closed) {
            return;
        }
        closed = true;
        children.forEachLive(JoinHandle::abort);
        try {
            allFinished().await();
        } catch (TaskCancelledException ownerCancelled) {
            // We cannot wait (see the class docs); at least do not lose the failures.
            takeUnreceived().forEach(ownerCancelled::addSuppressed);
            throw ownerCancelled;
        }
        throwFailures();
    }

    /** Children spawned and not yet finished. */
    public int running() {
        int[] n = {0};
        children.forEachLive(h -> {
            if (!h.isFinished()) {
                n[0]++;
            }
        });
        return n[0];
    }

    /** Whether this scope aborts the other children when one fails. */
    public boolean isFailFast() {
        return failFast;
    }

    /** The completion listener: on the thread that completed the child (the executor's). */
    private void childFinished(JoinHandle<Object> h) {
        try {
            Completions.peek(h); // not a receipt: whoever polls the handle later still receives the failure
        } catch (TaskFailedException e) {
            failures.add(new Failed(h, e));
            if (failFast && !shutDown) {
                shutDown = true;
                children.forEachLive(JoinHandle::abort);
            }
        } catch (TaskCancelledException cancelled) {
            // not a failure
        }
    }

    /** Ready once every child has finished; takes each completion off the queue as it comes. */
    private Future<Void> allFinished() {
        return cx -> {
            while (children.take(cx.waker()) != null) {
                // drained: the listener has already looked at each output
            }
            if (children.size() > 0) {
                return Poll.pending();
            }
            children.clearWaiter();
            if (!cx.consumeBudget()) {
                return Poll.pending();
            }
            return Poll.ready(null);
        };
    }

    private void throwFailures() {
        List<TaskFailedException> unreceived = takeUnreceived();
        if (unreceived.isEmpty()) {
            return;
        }
        TaskFailedException first = unreceived.get(0);
        for (int i = 1; i < unreceived.size(); i++) {
            first.addSuppressed(unreceived.get(i));
        }
        throw first;
    }

    /** Removes every failure collected so far; returns those nobody has received, in completion order. */
    private List<TaskFailedException> takeUnreceived() {
        List<TaskFailedException> out = new ArrayList<>(failures.size());
        for (Failed f : failures) {
            if (!f.received()) {
                out.add(f.error());
            }
        }
        failures.clear();
        return out;
    }

    /** A child that failed, and the failure as the scope saw it. */
    private record Failed(JoinHandle<?> handle, TaskFailedException error) {
        /** Whether a poll of the handle has thrown the failure to somebody (see the class docs). */
        boolean received() {
            return handle instanceof Task<?> t && t.isFailureReceived();
        }
    }

    private void checkThread(String what) {
        if (ExecutorCore.currentOrNull() != executor) {
            throw new IllegalStateException("TaskScope." + what + " called outside the thread of executor "
                    + executor.name() + ", which owns the scope");
        }
    }
}
