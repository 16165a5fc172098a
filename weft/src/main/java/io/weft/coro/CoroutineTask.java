package io.weft.coro;

import io.weft.Context;
import io.weft.Future;
import io.weft.Futures;
import io.weft.Poll;
import io.weft.TaskCancelledException;
import io.weft.task.Task;
import io.weft.task.TaskOwner;
import java.util.concurrent.Callable;

/**
 * A task whose body is an ordinary lambda, run on a continuation. A poll runs
 * the continuation until the body suspends in {@link #await} or ends. The
 * continuation is created on the first poll, so a task aborted before it
 * starts never allocates one.
 *
 * <p>Thread contract: every method here runs on the owner thread, except
 * what {@link Task} allows from any thread.
 */
public final class CoroutineTask<T> extends Task<T> implements Runnable {
    private Callable<T> body;
    private TaskContinuation cont;
    /** The task's context, made on the first await (a body that awaits nothing never needs one). */
    private Context cx;
    /** Set by the body when it ends: what it returned or threw. */
    private Object result;
    private Throwable thrown;

    public CoroutineTask(TaskOwner owner, String name, Callable<T> body) {
        super(owner, name);
        if (body == null) {
            throw new NullPointerException("task body");
        }
        this.body = body;
    }

    /** The continuation's entry point: runs the body once. Only the continuation calls it. */
    @Override
    public void run() {
        try {
            result = body.call();
        } catch (Throwable t) {
            thrown = t;
        }
    }

    @Override
    protected Object pollTask() throws Throwable {
        TaskContinuation c = cont;
        if (c == null) {
            c = cont = new TaskContinuation(this);
        }
        c.run();
        if (!c.isDone()) {
            return PENDING;
        }
        if (thrown != null) {
            throw thrown;
        }
        return result;
    }

    @Override
    protected Object cancelTask() throws Throwable {
        TaskContinuation c = cont;
        if (c == null) {
            return Cancelled.PLAIN; // never started: the body never runs
        }
        c.run(); // the pending await() throws TaskCancelledException
        if (!c.isDone()) {
            throw new IllegalStateException("cancelled task " + this + " suspended again");
        }
        return new Cancelled(thrown);
    }

    @Override
    protected void released() {
        body = null;
        cont = null;
        cx = null;
        result = null;
    }

    /** {@link Await#spendInTask}: not cancelled, and one unit of the budget spent. */
    boolean spendForFastAwait() {
        return !isCancelRequested() && owner.budget().tryConsume();
    }

    /**
     * {@code future.await()} inside this task: poll with the task's context,
     * suspend while pending, poll again when resumed. Once the task is
     * aborted, every await throws {@link TaskCancelledException}; one that
     * had polled its future and not seen it complete cancels it first (the
     * {@link io.weft.CancellableFuture} contract), so what the future was
     * handed goes on to the next waiter before the task's finally blocks run.
     */
    <R> R await(Future<R> future) {
        Context cx = this.cx;
        if (cx == null) {
            cx = this.cx = new Context(this, owner.budget());
        }
        boolean polled = false;
        for (;;) {
            if (isCancelRequested()) {
                TaskCancelledException e = new TaskCancelledException("task " + this + " was cancelled");
                if (polled) {
                    try {
                        Futures.cancel(future);
                    } catch (RuntimeException again) { // e.g. a local primitive used from the wrong thread
                        e.addSuppressed(again);
                    }
                }
                throw e;
            }
            polled = true;
            Poll<R> p = future.poll(cx);
            if (p.isReady()) {
                return p.get();
            }
            TaskContinuation.suspend();
        }
    }
}
