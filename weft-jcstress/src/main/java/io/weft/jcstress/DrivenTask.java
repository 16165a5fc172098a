package io.weft.jcstress;

import io.weft.Context;
import io.weft.JoinHandle;
import io.weft.Poll;
import io.weft.TaskCancelledException;
import io.weft.Waker;
import io.weft.task.Outcome.Cancelled;
import io.weft.task.Task;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A task driven by hand: each poll returns {@link #result} ({@link #pending()} for
 * "pending"), and counts which path ran.
 */
final class DrivenTask extends Task<Integer> {
    /** What the value of a completed task is in the tests. */
    static final int VALUE = 42;
    /** Encodings of a join poll, for results. */
    static final int JOIN_PENDING = -1;
    static final int JOIN_NULL = -2;
    static final int JOIN_CANCELLED = -3;
    static final int JOIN_OTHER = -4;

    /** What the next poll returns. Written before the task is published to the actors. */
    Object result;
    /** The next poll wakes its own task (as yieldNow does), then returns pending. */
    boolean selfWakeOnNextPoll;
    int polls;
    int cancels;

    DrivenTask(io.weft.task.TaskOwner owner, Object result) {
        super(owner, "driven");
        this.result = result;
    }

    static Object pending() {
        return PENDING;
    }

    @Override
    protected Object pollTask() {
        polls++;
        if (selfWakeOnNextPoll) {
            selfWakeOnNextPoll = false;
            CountingOwner o = (CountingOwner) owner;
            o.pollingThread = Thread.currentThread();
            try {
                wake();
            } finally {
                o.pollingThread = null;
            }
            return PENDING;
        }
        return result;
    }

    @Override
    protected Object cancelTask() {
        cancels++;
        return Cancelled.PLAIN;
    }

    /** Polls the join handle with {@code waker} and encodes the answer as an int. */
    int join(Waker waker) {
        return join(this, waker);
    }

    /** Polls {@code handle} with {@code waker}: the value, or {@link #JOIN_PENDING}, {@link #JOIN_CANCELLED}, ... */
    static int join(JoinHandle<Integer> handle, Waker waker) {
        try {
            Poll<Integer> p = handle.poll(new Context(waker));
            if (!p.isReady()) {
                return JOIN_PENDING;
            }
            Integer v = p.get();
            return v == null ? JOIN_NULL : v;
        } catch (TaskCancelledException e) {
            return JOIN_CANCELLED;
        } catch (RuntimeException e) {
            return JOIN_OTHER;
        }
    }

    /** A waker that counts its wakes. */
    static final class CountingWaker implements Waker {
        final AtomicInteger wakes = new AtomicInteger();

        @Override
        public void wake() {
            wakes.incrementAndGet();
        }
    }
}
