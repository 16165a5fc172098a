package io.weft.compose;

import io.weft.Context;
import io.weft.Future;
import io.weft.Poll;
import io.weft.Waker;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * A {@link CompletionStage} as a future. The first poll adds one
 * {@code whenComplete} callback; the stage may complete on any thread, and the
 * callback wakes the latest waker once (a foreign thread's wake goes through
 * the executor's remote queue). The callback is added before the first waker
 * is published, so a stage that is already complete runs it inline with no
 * waker to wake: no spurious self-wake.
 *
 * <p>Race: the callback stores {@code done} then reads {@code waker}; a poll
 * stores {@code waker} then reads {@code done}. All four are volatile, so one
 * side sees the other: either the poll sees the result or the callback wakes
 * the waker that poll stored.
 */
public final class FromStage<T> implements Future<T> {
    private final CompletionStage<T> stage;
    private boolean subscribed; // poller thread only
    private volatile Waker waker;
    private volatile boolean done;
    private T value;            // written before done (volatile store), read after done
    private Throwable error;

    public FromStage(CompletionStage<T> stage) {
        if (stage == null) {
            throw new NullPointerException("stage");
        }
        this.stage = stage;
    }

    @Override
    public Poll<T> poll(Context cx) {
        if (!subscribed) {
            subscribed = true;
            stage.whenComplete((v, e) -> {
                value = v;
                error = e;
                done = true;
                Waker w = waker;
                if (w != null) {
                    w.wake();
                }
            });
        }
        if (!done) {
            waker = cx.waker();
            if (!done) {
                return Poll.pending();
            }
        }
        if (!cx.consumeBudget()) {
            return Poll.pending();
        }
        if (error != null) {
            throw failure(error);
        }
        return Poll.ready(value);
    }

    /** A RuntimeException or Error as it is (unwrapping CompletionException); a checked one in a CompletionException. */
    static RuntimeException failure(Throwable e) {
        Throwable cause = e;
        if (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof RuntimeException re) {
            return re;
        }
        if (cause instanceof Error err) {
            throw err;
        }
        return new CompletionException(cause);
    }
}
