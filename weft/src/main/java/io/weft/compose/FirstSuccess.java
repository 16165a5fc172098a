package io.weft.compose;

import io.weft.CancellableFuture;
import io.weft.Context;
import io.weft.Future;
import io.weft.Futures;
import io.weft.Poll;
import io.weft.task.Task;
import java.util.ArrayList;
import java.util.List;

/**
 * The value of the first of n futures to succeed. Each poll polls every
 * unfinished child in argument order with the caller's context and stops at
 * the first that is ready (so when several are ready in one poll, the lowest
 * index wins); the children still unfinished are then cancelled
 * ({@link Futures#cancel(Future)}). A child whose poll throws is done: its
 * failure is kept, in the order the failures were seen, and the poll goes on
 * to the next child. Once every child has failed, the first failure is
 * thrown with the others added as suppressed, on this poll and on every
 * later one.
 *
 * <p>Only the winner's value is ever taken from a child, and the poll that
 * takes it returns it: nothing taken is left for nobody. A loser whose
 * cancel throws stops neither the other cancels nor the winner: it is
 * reported as a WARNING ({@link #cancel()} throws it once every child was
 * cancelled). The same operation given twice is refused when it is made.
 */
public final class FirstSuccess<T> implements CancellableFuture<T>, TaskOutputs.Carrier, GivesBack<T> {
    private final Future<? extends T>[] children; // a slot is nulled once that child is done or given up
    private final boolean carries;
    private int remaining;
    private final List<Throwable> failures = new ArrayList<>(2);
    /** The task children among the failed ones: their failures are received once this decides. */
    private List<Task<?>> failedTasks;
    /**
     * The detached waits among them, still counted: given up undecided,
     * each leaves, and a failure nobody received is reported as left behind.
     */
    private List<io.weft.task.DetachedJoin<?>> failedDetached;
    private boolean won;
    private T value;
    /** The child that gave the value. */
    private Future<? extends T> winnerFrom;
    private Throwable failure;

    public FirstSuccess(List<? extends Future<? extends T>> futures) {
        Future<? extends T>[] cs = Children.checked(futures);
        if (cs.length == 0) {
            throw new IllegalArgumentException("firstSuccessful of no futures would never finish");
        }
        this.children = cs;
        this.remaining = cs.length;
        this.carries = TaskOutputs.anyMayCarry(cs);
    }

    @Override
    public boolean mayCarryTaskOutput() {
        return carries;
    }

    private boolean cancelled;

    @Override
    public Poll<T> poll(Context cx) {
        if (cancelled) {
            throw new IllegalStateException("firstSuccessful polled after it was cancelled");
        }
        if (failure != null) {
            throw Sneaky.rethrow(failure);
        }
        if (won) {
            return Poll.ready(value);
        }
        for (int i = 0; i < children.length; i++) {
            Future<? extends T> c = children[i];
            if (c == null) {
                continue;
            }
            Poll<? extends T> p;
            try {
                p = c instanceof Task<? extends T> t ? t.pollUnreceived(cx)
                        : c instanceof io.weft.task.DetachedJoin<? extends T> d ? d.pollUnreceived(cx) : c.poll(cx);
            } catch (Throwable t) {
                children[i] = null; // done: nothing to cancel
                remaining--;
                failures.add(t);
                if (c instanceof Task<?> task) {
                    (failedTasks == null ? failedTasks = new ArrayList<>(2) : failedTasks).add(task);
                } else if (c instanceof io.weft.task.DetachedJoin<?> d) {
                    (failedTasks == null ? failedTasks = new ArrayList<>(2) : failedTasks).add(d.task());
                    (failedDetached == null ? failedDetached = new ArrayList<>(2) : failedDetached).add(d);
                }
                continue;
            }
            if (p.isReady()) {
                children[i] = null;
                won = true;
                value = p.get();
                winnerFrom = c;
                receiveFailures(); // set aside: the winner decided
                Children.reportLosers(cancelUnfinished(), "firstSuccessful");
                return Poll.ready(value);
            }
        }
        if (remaining > 0) {
            return Poll.pending();
        }
        receiveFailures(); // thrown just below
        failure = allFailed();
        throw Sneaky.rethrow(failure);
    }

    /**
     * A task child's failure counts as received (a TaskScope does not throw
     * it again) once this decides: thrown with the others, or set aside for
     * a winner. Given up undecided, it reached nobody: left behind, reported
     * unless a later join of its handle receives it ({@link #cancel()}).
     */
    private void receiveFailures() {
        if (failedTasks != null) {
            for (Task<?> t : failedTasks) {
                t.receiveFailure();
            }
            failedTasks = null;
        }
        failedDetached = null; // received: their counts may stay (the tasks are complete)
    }

    /** The first failure, with the others suppressed (an exception seen twice is added once). */
    private Throwable allFailed() {
        Throwable first = failures.get(0);
        for (int i = 1; i < failures.size(); i++) {
            Throwable t = failures.get(i);
            if (t != first) {
                first.addSuppressed(t);
            }
        }
        failures.clear();
        return first;
    }

    /** Cancels every child not yet finished; what their cancels threw, or null. */
    private Throwable cancelUnfinished() {
        Throwable thrown = null;
        for (int i = 0; i < children.length; i++) {
            Future<? extends T> c = children[i];
            if (c != null) {
                children[i] = null;
                thrown = Children.cancel(c, thrown);
            }
        }
        return thrown;
    }

    /** Its value, which an outer combinator took and gives up, goes back to the child that gave it. */
    @Override
    public void giveBack(T v) {
        if (!won || v != value) {
            throw new IllegalStateException("firstSuccessful gives back only the value it returned");
        }
        won = false;
        value = null;
        cancelled = true;
        GivesBack.giveBackTo(winnerFrom, v);
    }

    /** Cancels every child not yet finished, unless it is decided. Idempotent. */
    @Override
    public void cancel() {
        if (!won && failure == null && !cancelled) {
            cancelled = true;
            Throwable thrown = cancelUnfinished();
            if (failedDetached != null) {
                for (io.weft.task.DetachedJoin<?> d : failedDetached) {
                    failedTasks.remove(d.task()); // its wait's leave reports it
                    thrown = Children.cancel(d, thrown); // its failure reached nobody: left behind, reported
                }
                failedDetached = null;
            }
            if (failedTasks != null) {
                for (Task<?> t : failedTasks) {
                    t.failureLeftBehind(); // a handle's failure, seen, not received: it reached nobody
                }
                failedTasks = null;
            }
            Children.rethrow(thrown);
        }
    }
}
