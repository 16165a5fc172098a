package io.weft.time;

import io.weft.Context;
import io.weft.Future;
import io.weft.JoinHandle;
import io.weft.Poll;
import io.weft.executor.ExecutorCore;
import java.time.Duration;

/**
 * A future that is its inner future's value if that is ready before a
 * deadline, and otherwise fails with {@link TimeoutFailure} (unchecked; its
 * cause is a {@link java.util.concurrent.TimeoutException}). As tokio's
 * {@code timeout}: the deadline is fixed when the Timeout is made, and each
 * poll polls the inner future first, so an inner future ready at the
 * deadline wins.
 *
 * <p>On timeout the inner future is cancelled: a {@link JoinHandle} is
 * {@linkplain JoinHandle#abort() aborted} (its task's {@code finally} blocks
 * run on the executor soon after), a {@link Sleep}, {@code Timeout} or
 * {@link Interval} tick has its timer cancelled; any other future is simply
 * never polled again. The Timeout's own timer is cancelled as soon as the
 * outcome is known, and when an {@link #await()} of it ends in any way (for
 * example because the awaiting task was aborted).
 *
 * <p>Made and polled on an executor's thread (inside a task).
 */
public final class Timeout<T> implements Future<T> {
    private final Future<T> inner;
    private final Sleep sleep;
    private boolean done;

    private Timeout(Future<T> inner, Sleep sleep) {
        this.inner = inner;
        this.sleep = sleep;
    }

    /** {@code inner} with a deadline {@code d} from now on the executor's clock. */
    public static <T> Timeout<T> of(Duration d, Future<T> inner) {
        if (d == null || inner == null) {
            throw new NullPointerException("Timeout.of(duration, future): no argument may be null");
        }
        Timers timers = ExecutorCore.current("Timeout.of").timers();
        return new Timeout<>(inner, new Sleep(timers, Deadlines.after(timers.now(), d)));
    }

    /** {@code inner} with a deadline: a reading of the executor's clock ({@code Weft.clock().nanoTime()} scale). */
    public static <T> Timeout<T> at(long deadlineNanos, Future<T> inner) {
        if (inner == null) {
            throw new NullPointerException("future");
        }
        Timers timers = ExecutorCore.current("Timeout.at").timers();
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
        if (sleep.poll(cx).isReady()) {
            finish();
            cancelInner(inner);
            throw new TimeoutFailure("timed out after the deadline " + sleep.deadline() + " ns of the executor's clock");
        }
        return Poll.pending();
    }

    private void finish() {
        done = true;
        sleep.cancel();
    }

    /** Suspends until the value or the timeout; the timer is cancelled however the await ends. */
    @Override
    public T await() {
        try {
            return Future.super.await();
        } finally {
            sleep.cancel();
        }
    }

    /** Gives up: cancels the timer and the inner future (as on timeout). Idempotent. */
    public void cancel() {
        if (!done) {
            finish();
            cancelInner(inner);
        }
    }

    static void cancelInner(Future<?> f) {
        switch (f) {
            case JoinHandle<?> h -> h.abort();
            case Sleep s -> s.cancel();
            case Timeout<?> t -> t.cancel();
            case Interval.Tick t -> t.cancel();
            case io.weft.compose.Cancellable c -> c.cancel();
            default -> {
                // A plain future: nothing to tell; it is never polled again.
            }
        }
    }
}
