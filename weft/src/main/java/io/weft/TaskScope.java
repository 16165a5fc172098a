package io.weft;

import io.weft.compose.Completions;
import io.weft.executor.Worker;
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
 *       {@link #spawn} may be called by the tasks of that executor (the
 *       opening task or its children), on whichever of its threads they run,
 *       and nowhere else. Children are coroutine tasks on the executor's
 *       default queue. On a StealingExecutor the children may run on other
 *       workers, at the same time as the task that waits for them; the
 *       scope's own state is guarded by its monitor (never held across an
 *       await), and a child's completion is seen by the scope before the
 *       waiting task can find every child finished.</li>
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
 *   <li>With {@link #firstSuccess()}, the first child to succeed (in
 *       completion order) aborts every other unfinished child at once, and a
 *       child spawned afterwards is aborted before it runs; a failing child
 *       does not stop the others. Its {@link FirstSuccessScope#join()}
 *       waits for them all to finish and returns the winner's value; once there is a winner, the
 *       other children's failures are not thrown (that is the policy). With
 *       no winner, failures are thrown as above.</li>
 *   <li>If the task that owns the scope is itself aborted, {@code join()}
 *       and {@code close()} throw {@link TaskCancelledException}: a cancelled
 *       coroutine cannot suspend any more, so close() then aborts the
 *       children <em>without</em> waiting for them; they finish their
 *       cancellation right after, on the same executor (and always before
 *       {@link LocalExecutor#close()} returns). Failures nobody received
 *       and no join reported are attached to that exception as
 *       suppressed; a child that fails after it (one running on another
 *       worker of a StealingExecutor keeps a failure of its own) goes to the
 *       executor's unobserved-failure handler, unless a join of its handle
 *       receives it.</li>
 *   <li>{@code join()}/{@code close()} expect one waiting task at a time
 *       (normally the one that opened the scope): a second task waiting
 *       meanwhile would take the first one's place as the task to wake.</li>
 * </ul>
 */
public final class TaskScope implements AutoCloseable {
    /** What a child's outcome does to its siblings. */
    enum Policy {
        /** Nothing: every child runs to its end. */
        INDEPENDENT,
        /** The first failure aborts the others. */
        FAIL_FAST,
        /** The first success aborts the others and is the scope's value. */
        FIRST_SUCCESS
    }

    /** The worker that opened the scope; its executor ({@link Worker#facade()}) owns the scope. */
    private final Worker executor;
    private final Policy policy;
    private final Completions<Object> children;
    // Guarded by this object's monitor (children complete on any worker of a StealingExecutor):
    /** Failures in completion order, not yet reported by join or close (some may be received meanwhile). */
    private final List<Failed> failures = new ArrayList<>();
    /** Set by the first failure (FAIL_FAST) or success (FIRST_SUCCESS): live and later children are aborted. */
    private boolean shutDown;
    private boolean closed;
    /**
     * The close gave up waiting (its owner was cancelled) and attached the
     * failures known then: nobody reads the scope again, so a child that
     * fails later (on another worker) is reported as unobserved. Guarded by this.
     */
    private boolean gaveUp;
    /** FIRST_SUCCESS: a child succeeded, and its value. */
    private boolean won;
    private Object winner;
    private int spawned;

    TaskScope(Policy policy, String opener) {
        this.executor = Worker.current(opener);
        this.policy = policy;
        this.children = new Completions<>(this::childFinished);
    }

    /** A scope whose children fail independently: join() waits for all, then reports failures. */
    public static TaskScope open() {
        return new TaskScope(Policy.INDEPENDENT, "TaskScope.open");
    }

    /** A scope that aborts the other children when one fails. */
    public static TaskScope failFast() {
        return new TaskScope(Policy.FAIL_FAST, "TaskScope.failFast");
    }

    /**
     * A scope that closes on the first success, as the JDK's
     * {@code Joiner.anySuccessfulResultOrThrow()} (formerly
     * {@code ShutdownOnSuccess}): the first child to succeed aborts the
     * others, and {@link FirstSuccessScope#join()} returns its value once
     * every child has finished; if none succeeded, it throws the first
     * failure with the others suppressed (see the class docs).
     *
     * <pre>{@code
     * try (var scope = TaskScope.<Reply>firstSuccess()) {
     *     for (var replica : replicas) scope.spawn(() -> ask(replica));
     *     return scope.join();      // the first reply; the other requests were aborted and have finished
     * }
     * }</pre>
     *
     * <p>It returns a {@link FirstSuccessScope}, not a TaskScope: the
     * winner's value has the children's type, which a TaskScope (whose
     * children each have their own type) could give back only through an
     * unchecked cast, and a generic {@code TaskScope<T>} would break every
     * existing use of TaskScope. The first-success scope is typed instead:
     * its {@code spawn} takes only bodies that return a {@code T}, and its
     * {@code join()} returns that {@code T}.
     */
    public static <T> FirstSuccessScope<T> firstSuccess() {
        return new FirstSuccessScope<>(new TaskScope(Policy.FIRST_SUCCESS, "TaskScope.firstSuccess"));
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
    <T> JoinHandle<T> spawnNamed(String name, Callable<T> body) {
        Worker here = checkThread("spawn");
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("TaskScope.spawn after close()");
            }
        }
        if (body == null) {
            throw new NullPointerException("task body");
        }
        JoinHandle<T> h = here.spawn(name, body, null);
        boolean abort;
        synchronized (this) {
            spawned++;
            children.add((JoinHandle<Object>) h);
            // Else a shutDown() or close() that comes later finds it among the children. One that came since
            // the look above (another worker's close, on a StealingExecutor) did not: its abort is this one.
            abort = shutDown || closed;
        }
        if (abort) {
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

    /** {@link FirstSuccessScope#join()}: the winner's value, or the failures, or NoSuchElementException. */
    Object joinFirstSuccess() {
        checkThread("join");
        allFinished().await();
        int n;
        synchronized (this) {
            if (won) {
                return winner;
            }
            n = spawned;
        }
        throwFailures();
        throw new java.util.NoSuchElementException(n == 0
                ? "join() of a first-success scope that has no children"
                : "none of the " + n + " children of the first-success scope succeeded; no failure is left to"
                        + " throw (they were cancelled, or their failures were received or thrown before)");
    }

    /**
     * Aborts the children still running and waits for them; then throws the
     * failures nobody received and no join reported. Idempotent.
     */
    @Override
    public void close() {
        checkThread("close");
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        children.forEachLive(JoinHandle::abort);
        try {
            allFinished().await();
        } catch (TaskCancelledException ownerCancelled) {
            // We cannot wait (see the class docs); at least do not lose the failures, these or later ones.
            List<TaskFailedException> known;
            synchronized (this) {
                gaveUp = true;
                known = takeUnreceived();
            }
            known.forEach(ownerCancelled::addSuppressed);
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
        return policy == Policy.FAIL_FAST;
    }

    /**
     * The completion listener: on the thread that completed the child (the
     * executor's, or any worker of a StealingExecutor), before the child's
     * entry is queued for the waiting task.
     */
    private void childFinished(JoinHandle<Object> h) {
        Object value;
        try {
            value = Completions.peek(h); // not a receipt: whoever polls the handle later still receives the failure
        } catch (TaskFailedException e) {
            boolean late;
            boolean lost; // a loser of a first-success scope that has a winner: its failure is not thrown
            synchronized (this) {
                late = gaveUp;
                lost = policy == Policy.FIRST_SUCCESS && won;
                if (!late) {
                    failures.add(new Failed(h, e));
                }
            }
            if (late && !lost && h instanceof Task<?> t && !t.isFailureReceived()) {
                t.failureLeftBehind(); // after the close gave up: nobody reads the scope
                return;
            }
            if (policy == Policy.FAIL_FAST) {
                shutDown();
            }
            return;
        } catch (TaskCancelledException cancelled) {
            return; // not a failure
        }
        if (policy == Policy.FIRST_SUCCESS) {
            synchronized (this) {
                if (won) {
                    return; // a later success (a child that finished before its abort took effect): not the value
                }
                won = true;
                winner = value;
            }
            // On one thread every other child is not running now, so none can succeed after this; on a
            // StealingExecutor one running elsewhere may still finish, and is not the winner.
            shutDown();
        }
    }

    /** Aborts every unfinished child, and from now on every child spawned. */
    private void shutDown() {
        synchronized (this) {
            if (shutDown) {
                return;
            }
            shutDown = true;
        }
        children.forEachLive(JoinHandle::abort);
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

    /**
     * Removes every failure collected so far; returns those nobody has
     * received, in completion order (none once a first-success scope has a
     * winner).
     */
    private synchronized List<TaskFailedException> takeUnreceived() {
        List<TaskFailedException> out = new ArrayList<>(won ? 0 : failures.size());
        for (Failed f : failures) {
            if (!f.received()) {
                if (!won) {
                    out.add(f.error());
                }
                f.receive(); // thrown by the close, or set aside for the winner: not also left behind
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

        /** The scope hands it on: a combinator that saw it and gave it up does not report it too. */
        void receive() {
            if (handle instanceof Task<?> t) {
                t.receiveFailure();
            }
        }
    }

    /** The worker running the caller, which must be one of the executor that owns the scope. */
    Worker checkThread(String what) {
        Worker here = Worker.currentOrNull();
        if (here == null || !executor.sameExecutor(here)) {
            throw new IllegalStateException("TaskScope." + what + " called outside the tasks of executor "
                    + executor.name() + ", which owns the scope");
        }
        return here;
    }
}
