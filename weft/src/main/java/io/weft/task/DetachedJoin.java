package io.weft.task;

import io.weft.CancellableFuture;
import io.weft.Context;
import io.weft.Poll;

/**
 * {@code handle.detached()}: a task's result as a future that does not own
 * the task. Its {@link #cancel()} gives up the wait, not the task; and it
 * takes its interest in the task away: a failure the task throws
 * afterwards that nobody else receives or awaits goes to the executor's
 * unobserved-failure handler, as if nobody had waited ({@code
 * Task.DETACHED_ONE}: a count in the state word, where a join poll's
 * JOIN_INTEREST stays for good). The task's output is its own, shared with
 * every waiter ({@code TaskOutputs}).
 *
 * <p>Polled by one task at a time (its fields are the poller's), on any
 * thread.
 */
public final class DetachedJoin<T> implements CancellableFuture<T>, LeafFuture, io.weft.compose.TaskOutputs.Carrier {
    private static final byte NONE = 0;
    /** Counted in the task's state: its cancel takes the count back. */
    private static final byte COUNTED = 1;
    /** Registered with JOIN_INTEREST (the count was full), or ended: its cancel does nothing. */
    private static final byte DONE = 2;

    private final Task<T> task;
    private byte interest = NONE;

    DetachedJoin(Task<T> task) {
        this.task = task;
    }

    @Override
    public Poll<T> poll(Context cx) {
        if (registered(cx)) {
            return Poll.pending();
        }
        Poll<T> p;
        try {
            p = task.poll(cx); // complete: the output, received (a budget refused: pending, woken)
        } catch (RuntimeException | Error e) {
            interest = DONE;
            throw e;
        }
        if (p.isReady()) {
            interest = DONE;
        }
        return p;
    }

    /** Whether the task is not complete: {@code cx}'s waker registered (this wait counted at its first time). */
    private boolean registered(Context cx) {
        if (interest == NONE) {
            int r = joinDetached(task, cx.waker());
            if (r != 0) {
                interest = r == 1 ? COUNTED : DONE;
                return true;
            }
            return false;
        }
        return task.wakeOnCompletion(cx.waker(), false);
    }

    /**
     * As {@link #poll}, but a failure thrown is neither received nor looked
     * at (no FAILURE_RECEIVED, no JOIN_INTEREST), and this wait stays
     * counted: for {@code firstSuccessful}, which marks it received once it
     * decides ({@link #task()}{@code .receiveFailure()}), or gives the wait
     * up undecided ({@link #cancel()}: the failure, received by nobody, is
     * then reported as left behind).
     */
    public Poll<T> pollUnreceived(Context cx) {
        if (registered(cx)) {
            return Poll.pending();
        }
        if (!cx.consumeBudget()) {
            return Poll.pending();
        }
        T v = task.outputValue(); // registered() saw COMPLETE with an acquire read; throws the failure, unmarked
        interest = DONE;
        return Poll.ready(v);
    }

    /** The task this waits for. */
    public Task<T> task() {
        return task;
    }

    /** Gives up the wait: the task runs on, and the interest this wait counted leaves with it. Idempotent. */
    @Override
    public void cancel() {
        if (interest == COUNTED) {
            interest = DONE;
            leaveDetached(task);
        }
    }

    @Override
    public boolean mayCarryTaskOutput() {
        return true;
    }

    /**
     * A detached wait's first pending poll: pushes {@code w} on
     * {@code task}'s join stack, then counts one more detached wait with
     * JOIN_WAKER (JOIN_INTEREST instead, for good, once the count is full).
     * 0: complete, nothing counted; 1: counted; 2: JOIN_INTEREST set.
     */
    private static int joinDetached(Task<?> task, io.weft.Waker w) {
        Joiners.push(Task.JOINERS, task, w);
        int s = (int) Task.STATE.getVolatile(task); // after the push, as in wakeOnCompletion
        for (;;) {
            if ((s & Task.COMPLETE) != 0) {
                return 0;
            }
            boolean full = (s & Task.DETACHED_ALL) == Task.DETACHED_ALL;
            int next = full ? s | Task.JOIN_WAKER | Task.JOIN_INTEREST : (s | Task.JOIN_WAKER) + Task.DETACHED_ONE;
            int witness = (int) Task.STATE.compareAndExchange(task, s, next);
            if (witness == s) {
                return full ? 2 : 1;
            }
            s = witness;
        }
    }

    /**
     * A counted detached wait gave up: one fewer. If that leaves a failure
     * that came meanwhile with nobody counted, nobody awaiting it for good
     * and nobody having received it, it is left behind: reported (the
     * completer did not, as a wait was counted then). The decrement is
     * ordered with the completing CAS on the same word: one of them reports.
     */
    private static void leaveDetached(Task<?> task) {
        int after = (int) Task.STATE.getAndAdd(task, -Task.DETACHED_ONE) - Task.DETACHED_ONE; // acquire: output, if COMPLETE
        if ((after & (Task.COMPLETE | Task.DETACHED_ALL | Task.JOIN_INTEREST | Task.FAILURE_RECEIVED)) == Task.COMPLETE
                && task.rawOutput() instanceof Outcome.Failure) {
            task.failureLeftBehind();
        }
    }
}
