package io.weft.executor;

import io.weft.task.Task;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Failures of tasks whose handles nobody had polled when they failed, kept
 * until it is clear nobody will look: reported to the executor's handler
 * once the handle is collected, or when the executor closes; forgotten if a
 * poll of the handle looks at the failure meanwhile. {@link #add}, {@link
 * #sweep} and {@link #sweepLast}: one thread at a time (a LocalExecutor's
 * loop thread; on a StealingExecutor, under its lock);
 * {@link #addFromElsewhere}: any thread.
 */
public final class FailureReports {

    private final String executor;
    private final BiConsumer<String, Throwable> handler;
    private final ArrayList<Unobserved> pending = new ArrayList<>();
    /**
     * Failures of tasks this executor spawned and does not run (blocking
     * tasks), offered from any thread; moved to {@link #pending} at each
     * sweep.
     */
    private final java.util.concurrent.ConcurrentLinkedQueue<Unobserved> elsewhere =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** Set after the executor's last sweep: a failure offered later is reported by the thread that offers it. */
    private volatile boolean swept;

    /** {@code leftBehind}: its waiter gave up on it ({@link #addLeftBehind}); reported unless a join received it. */
    private record Unobserved(WeakReference<Task<?>> task, String name, Throwable error, boolean leftBehind) {
        /** Whether it was looked at after all: polled (received, for one left behind), so not to be reported. */
        boolean seen(Task<?> t) {
            return leftBehind ? t.isFailureReceived() : (t.state() & Task.JOIN_INTEREST) != 0;
        }
    }

    /** {@code handler} null: one WARNING per failure through System.Logger "io.weft". */
    public FailureReports(String executor, BiConsumer<String, Throwable> handler) {
        this.executor = executor;
        this.handler = handler != null ? handler : this::log;
    }

    void add(Task<?> task, Throwable error) {
        pending.add(new Unobserved(new WeakReference<>(task), task.toString(), error, false));
    }

    /**
     * From any thread: a blocking task of this executor failed unobserved.
     * Against the last sweep: we offer, then read {@code swept}; it stores
     * {@code swept}, then drains once more. If we read false, that drain sees
     * the record; if true, whichever of us removes it reports it.
     */
    public void addFromElsewhere(Task<?> task, Throwable error) {
        offer(new Unobserved(new WeakReference<>(task), task.toString(), error, false));
    }

    /**
     * From any thread: a failure whose waiters gave up on it (a scope whose
     * close could not wait, a detached wait, a firstSuccessful given up
     * undecided; see {@code Task.failureLeftBehind}): reported as
     * unobserved unless a join receives it first.
     */
    public void addLeftBehind(Task<?> task, Throwable error) {
        offer(new Unobserved(new WeakReference<>(task), task.toString(), error, true));
    }

    private void offer(Unobserved u) {
        elsewhere.offer(u);
        if (swept && elsewhere.remove(u)) {
            report(List.of(u)); // the executor is closed: nobody else will
        }
    }

    /** Whether a failure waits to be reported or forgotten (the executor's thread; for tests). */
    public boolean holdsAny() {
        return !elsewhere.isEmpty() || !pending.isEmpty();
    }

    /** The executor's last sweep, at close: everything left is reported, and later failures by their threads. */
    public void sweepLast() {
        sweep(true);
        swept = true; // then one more drain: pairs with addFromElsewhere's offer-then-read
        sweep(true);
    }

    /**
     * Reports failures whose handles nobody can await any more (collected) or,
     * with {@code all}, every failure not looked at by now; forgets those
     * whose handles were polled.
     */
    public void sweep(boolean all) {
        for (Unobserved u; (u = elsewhere.poll()) != null; ) {
            pending.add(u);
        }
        if (pending.isEmpty()) {
            return;
        }
        List<Unobserved> report = new ArrayList<>();
        pending.removeIf(u -> {
            Task<?> t = u.task().get();
            if (t != null && u.seen(t)) {
                return true;
            }
            if (t == null || all) {
                report.add(u);
                return true;
            }
            return false;
        });
        report(report);
    }

    private void report(List<Unobserved> report) {
        for (Unobserved u : report) {
            try {
                handler.accept(u.name(), u.error());
            } catch (Throwable handlerFailure) {
                io.weft.task.Log.get().log(System.Logger.Level.ERROR, "the failure handler of executor " + executor + " threw",
                        handlerFailure);
            }
        }
    }

    private void log(String task, Throwable error) {
        io.weft.task.Log.get().log(System.Logger.Level.WARNING, "task " + task + " of executor " + executor
                + " failed and nobody awaited it", error);
    }
}
