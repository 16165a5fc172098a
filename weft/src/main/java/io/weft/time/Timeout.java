package io.weft.time;

import io.weft.CancellableFuture;
import io.weft.Context;
import io.weft.Future;
import io.weft.Futures;
import io.weft.JoinHandle;
import io.weft.Poll;
import io.weft.executor.Worker;
import java.time.Duration;

/**
 * A future that is its inner future's value if that is ready before a
 * deadline, and otherwise fails with {@link TimedOutException} (unchecked; its
 * cause is a {@link java.util.concurrent.TimeoutException}). As tokio's
 * {@code timeout}: the deadline is fixed when the Timeout is made, and each
 * poll polls the inner future first, so an inner future ready at the
 * deadline wins.
 *
 * <p>The deadline, once passed, spends one unit of the task's cooperative
 * budget as any ready leaf future does. A poll that finds the budget
 * already spent (the inner future could not take its value) waits for the
 * task's next turn instead of timing out, so a value waiting in the inner
 * future wins there. If the inner future spent the last unit in this very
 * poll, the deadline is looked at regardless (tokio's rule), so an inner
 * future that keeps spending the budget cannot keep the Timeout from firing.
 *
 * <p>On timeout the inner future is cancelled ({@link Futures#cancel}): a
 * lock, a permit or a value handed to it goes to the next waiter, an I/O
 * operation is withdrawn, a {@link JoinHandle}'s task is aborted (its
 * {@code finally} blocks run on the executor soon after). The Timeout's own
 * timer leaves the wheel as soon as the outcome is known.
 *
 * <p><b>Cancel safety:</b> cancelling a Timeout cancels its timer and its
 * inner future; what is kept is what the inner future's cancel keeps.
 *
 * <p>Made and polled on an executor's thread (inside a task). Polled where
 * its timer cannot wait (a plain thread, an executor with another clock, a
 * second task while the first awaits it), it throws IllegalStateException
 * before its inner future is polled, so no waiter is left there.
 *
 * <p>A {@link JoinHandle}'s output passed on by a Timeout stays its task's
 * ({@code io.weft.compose.TaskOutputs}): a failed join around it does not close it.
 */
public final class Timeout<T> implements CancellableFuture<T>, io.weft.compose.TaskOutputs.Carrier,
        io.weft.compose.GivesBack<T> {
    private final Future<T> inner;
    private final Sleep sleep;
    private final boolean carries;
    private boolean done;

    private Timeout(Future<T> inner, Sleep sleep) {
        this.inner = inner;
        this.sleep = sleep;
        this.carries = io.weft.compose.TaskOutputs.mayCarry(inner);
    }

    @Override
    public boolean mayCarryTaskOutput() {
        return carries;
    }

    /** {@code inner} with a deadline {@code d} from now on the executor's clock. */
    public static <T> Timeout<T> of(Duration d, Future<T> inner) {
        if (d == null || inner == null) {
            throw new NullPointerException("Timeout.of(duration, future): no argument may be null");
        }
        Timers timers = Worker.current("Timeout.of").timers();
        return new Timeout<>(inner, new Sleep(timers, Deadlines.after(timers.now(), d)));
    }

    /** {@code inner} with a deadline: a reading of the executor's clock ({@code Weft.clock().nanoTime()} scale). */
    public static <T> Timeout<T> at(long deadlineNanos, Future<T> inner) {
        if (inner == null) {
            throw new NullPointerException("future");
        }
        Timers timers = Worker.current("Timeout.at").timers();
        return new Timeout<>(inner, new Sleep(timers, Deadlines.clamp(timers.now(), deadlineNanos)));
    }

    /** The deadline, a reading of the executor's clock. */
    public long deadline() {
        return sleep.deadline();
    }

    @Override
    public Poll<T> poll(Context cx) {
        if (done) {
            throw new IllegalStateException("Timeout polled after it finished");
        }
        Timers here = sleep.isElapsed() ? null : sleep.wheelFor(cx); // refused before the inner future holds cx
        boolean hadBudget = cx.hasBudget();
        Poll<T> p;
        try {
            p = inner.poll(cx);
        } catch (Throwable t) {
            finish();
            throw t;
        }
        if (p.isReady()) {
            finish();
            return p;
        }
        if (sleep.poll(cx, !hadBudget || cx.hasBudget(), here).isReady()) { // unconstrained if inner spent the last unit
            finish();
            Futures.cancel(inner);
            throw new TimedOutException("timed out after the deadline " + sleep.deadline() + " ns of the executor's clock");
        }
        return Poll.pending();
    }

    private void finish() {
        done = true;
        sleep.cancel();
    }

    /** Its value, which an outer combinator took and gives up, goes back to the inner future (or is closed). */
    @Override
    public void giveBack(T value) {
        io.weft.compose.GivesBack.giveBackTo(inner, value);
    }

    /** Gives up: cancels the timer and the inner future (as on timeout). Idempotent; nothing once finished. */
    @Override
    public void cancel() {
        if (!done) {
            finish();
            Futures.cancel(inner);
        }
    }
}
