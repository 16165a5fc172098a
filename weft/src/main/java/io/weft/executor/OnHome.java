package io.weft.executor;

import io.weft.CancellableFuture;
import io.weft.Context;
import io.weft.Poll;
import io.weft.TaskFailedException;
import io.weft.task.Task;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The worker of a StealingExecutor that a resource belongs to (a file: its
 * descriptor is in that worker's reactor, and its operations are that
 * thread's), and the road for a task of another worker to use it: the
 * operation is made and run on the home worker, as a task of it
 * ({@link Worker#spawnHere}), and its result handed over. A task on the home
 * worker calls the resource directly ({@link #here()}, one comparison).
 *
 * <p><b>Cancel safety</b> of an operation run this way is the operation's
 * own: giving it up aborts the task on the home worker, which cancels the
 * operation there (or finds it complete: what it returned is dropped, as
 * for an operation cancelled after it completed).
 */
public final class OnHome {
    /** A resource of an executor whose tasks stay on their thread: everything runs where it is called. */
    private static final OnHome LOCAL = new OnHome(null, null);

    /** The home worker; null for {@link #LOCAL}. */
    private final Worker home;
    private final Thread thread;

    private OnHome(Worker home, Thread thread) {
        this.home = home;
        this.thread = thread;
    }

    /**
     * The current worker, if its tasks move between workers (a
     * StealingExecutor's); else one that runs everything where it is called
     * (the resource's own thread check then speaks).
     */
    public static OnHome ofCurrent() {
        Worker w = Worker.currentOrNull();
        return w != null && !w.tasksStayOnThread() ? new OnHome(w, Thread.currentThread()) : LOCAL;
    }

    /** Whether an operation called now runs here: on the home worker's thread, or for a resource that does not move. */
    public boolean here() {
        return home == null || Thread.currentThread() == thread;
    }

    /** The home worker's name, for messages (only where {@link #here()} is false). */
    public String name() {
        return home.name();
    }

    /**
     * {@code op} made here if {@link #here()}, else made and run on the home
     * worker for a task of another worker of the same executor (else an
     * IllegalStateException naming {@code resource} and whose it is).
     */
    public <T> CancellableFuture<T> run(Object resource, Supplier<CancellableFuture<T>> op) {
        return here() ? op.get() : new Forwarded<>(resource, op, null);
    }

    /**
     * As {@link #run(Object, Supplier)}; a result the operation had already
     * produced when the caller gave it up goes to {@code dropped} (on any
     * thread) instead of being lost: an accepted connection, handed back.
     */
    public <T> CancellableFuture<T> run(Object resource, Supplier<CancellableFuture<T>> op, Consumer<T> dropped) {
        return here() ? op.get() : new Forwarded<>(resource, op, dropped);
    }

    /** Closes the resource with {@code close}: now if {@link #here()}, else later on the home worker. */
    public void close(Object resource, Runnable close) {
        if (here()) {
            close.run();
        } else {
            check(resource);
            home.runHere(close);
        }
    }

    private void check(Object resource) {
        Worker here = Worker.currentOrNull();
        if (here == null || !home.sameExecutor(here)) {
            throw new IllegalStateException(resource + " belongs to " + home.name() + " and was used from thread "
                    + Thread.currentThread().getName() + ": only tasks of that executor may use it");
        }
    }

    /** Made at its first poll, on the home worker's thread. */
    private static final class Lazy<T> implements CancellableFuture<T> {
        private final Supplier<CancellableFuture<T>> make;
        private CancellableFuture<T> inner;

        Lazy(Supplier<CancellableFuture<T>> make) {
            this.make = make;
        }

        @Override
        public Poll<T> poll(Context cx) {
            if (inner == null) {
                inner = make.get();
            }
            return inner.poll(cx);
        }

        @Override
        public void cancel() {
            if (inner != null) {
                inner.cancel();
            }
        }
    }

    private final class Forwarded<T> implements CancellableFuture<T> {
        private final Object resource;
        private final Supplier<CancellableFuture<T>> op;
        private final Consumer<T> dropped;
        private Task<T> task;
        /** The operation itself, when polled on the home worker. */
        private CancellableFuture<T> inner;

        Forwarded(Object resource, Supplier<CancellableFuture<T>> op, Consumer<T> dropped) {
            this.resource = resource;
            this.op = op;
            this.dropped = dropped;
        }

        @Override
        public Poll<T> poll(Context cx) {
            if (inner != null) {
                return inner.poll(cx);
            }
            if (task == null) {
                if (here()) { // polled on the home worker after all: no hop
                    inner = op.get();
                    return inner.poll(cx);
                }
                check(resource);
                task = home.spawnHere(new Lazy<>(op));
            }
            return handOver(task, cx);
        }

        @Override
        public void cancel() {
            if (inner != null) {
                inner.cancel();
            } else if (task != null) {
                giveUp(task, dropped);
            }
        }
    }

    /**
     * The result of {@code t}, a task that runs an operation on another
     * worker for the caller: pending while it runs ({@code cx} is woken when
     * it ends), else its value, or its failure thrown as the operation's own
     * (as a call on that worker throws it).
     */
    public static <T> Poll<T> handOver(Task<T> t, Context cx) {
        if (!t.isFinished() && t.wakeOnCompletion(cx.waker(), true)) {
            return Poll.pending();
        }
        try {
            return Poll.ready(t.peek());
        } catch (TaskFailedException failed) {
            if (failed.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw failed;
        }
    }

    /**
     * The caller gives up {@code t} (see {@link #handOver}): aborted, which
     * cancels its operation unless it completed; a value it produced all the
     * same goes to {@code dropped} (on any thread) if not null.
     */
    public static <T> void giveUp(Task<T> t, Consumer<T> dropped) {
        t.abort();
        if (dropped != null && !t.wakeOnCompletion(() -> drop(t, dropped), true)) {
            drop(t, dropped);
        }
    }

    private static <T> void drop(Task<T> t, Consumer<T> dropped) {
        T value;
        try {
            value = t.peek();
        } catch (RuntimeException cancelledOrFailed) {
            return; // it produced nothing
        }
        dropped.accept(value);
    }
}
