package io.weft.blocking;

import io.weft.TaskCancelledException;
import io.weft.task.Budget;
import io.weft.task.Outcome.Cancelled;
import io.weft.task.SpinWait;
import io.weft.task.Task;
import io.weft.task.TaskOwner;
import io.weft.task.TaskWords;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * A body run on a {@link BlockingPool} thread, as a {@link Task}: the state
 * word, output slot and join stack are {@code Task}'s, so the handle joins,
 * aborts, bridges to a CompletableFuture and reports an unobserved failure
 * as every task does. What is its own is the <b>run word</b>, which says who
 * runs the turn and whether an abort may still interrupt the thread that
 * does (see the package docs for the protocol and its races):
 *
 * <pre>
 * QUEUED ──pool thread claims──► STARTED ──body over──► ENDED
 *   │                              │                      ▲
 *   │ abort claims                 │ abort                │ runner, after the interrupt landed
 *   ▼                              ▼                      │
 * TAKEN                       INTERRUPTING ──interrupt()──► INTERRUPTED
 * </pre>
 *
 * <p>Thread contract: {@link #run()} is called once, by a pool thread;
 * {@link #abort()}, the join poll and {@link #isFinished()} by any thread.
 */
public final class BlockingTask<T> extends Task<T> implements Runnable {
    /** In the pool's queue; nobody has claimed the turn. */
    public static final int QUEUED = 0;
    /** A pool thread claimed the turn (set by it, from QUEUED); an abort may interrupt it. */
    public static final int STARTED = 1;
    /** An abort is interrupting the runner (set by that abort, from STARTED). */
    public static final int INTERRUPTING = 2;
    /** The abort's interrupt has landed (set by that abort, from INTERRUPTING). */
    public static final int INTERRUPTED = 3;
    /** The runner's body is over and its interrupt flag cleared: no interrupt comes any more. Final. */
    public static final int ENDED = 4;
    /** An abort claimed the turn while the task was queued and ran the cancellation path: the body never runs. Final. */
    public static final int TAKEN = 5;

    private static final VarHandle RUN;
    private static final AtomicLong IDS = new AtomicLong();
    private static final TaskOwner OWNER = new Owner();

    static {
        try {
            RUN = MethodHandles.lookup().findVarHandle(BlockingTask.class, "run", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The run word; accessed only through {@link #RUN}. */
    @SuppressWarnings("unused")
    private volatile int run = QUEUED;
    /**
     * The pool thread that claimed the turn. Written by it before its claim
     * (the CAS to STARTED publishes it); read only by the abort whose CAS
     * took STARTED to INTERRUPTING; cleared by the runner once no abort can
     * read it any more.
     */
    private Thread runner;
    private Callable<T> body;
    /** Where a failure nobody looked at goes (the spawning executor), from the thread that completes the task. */
    private final BiConsumer<Task<?>, Throwable> unobserved;
    /**
     * Where a failure goes that a waiter saw and gave up without receiving
     * (a firstSuccessful given up undecided): reported unless a join
     * receives it first. Null: as {@link #unobserved}.
     */
    private final BiConsumer<Task<?>, Throwable> leftBehind;

    private BlockingTask(String name, Callable<T> body, BiConsumer<Task<?>, Throwable> unobserved,
                         BiConsumer<Task<?>, Throwable> leftBehind) {
        super(OWNER, name);
        if (body == null) {
            throw new NullPointerException("blocking task body");
        }
        this.body = body;
        this.unobserved = unobserved;
        this.leftBehind = leftBehind;
        assignId(IDS.incrementAndGet());
    }

    /**
     * Queues {@code body} on {@code pool}. {@code name} (may be null) names
     * the task in messages; {@code unobserved} (may be null: logged) gets a
     * failure whose handle nobody polled, on the thread where it failed.
     */
    public static <T> BlockingTask<T> spawn(BlockingPool pool, String name, Callable<T> body,
                                            BiConsumer<Task<?>, Throwable> unobserved) {
        return spawn(pool, name, body, unobserved, null);
    }

    /** As {@link #spawn(BlockingPool, String, Callable, BiConsumer)}; {@code leftBehind}: see {@link #leftBehind}. */
    public static <T> BlockingTask<T> spawn(BlockingPool pool, String name, Callable<T> body,
                                            BiConsumer<Task<?>, Throwable> unobserved,
                                            BiConsumer<Task<?>, Throwable> leftBehind) {
        BlockingTask<T> t = new BlockingTask<>(name, body, unobserved, leftBehind);
        pool.execute(t);
        return t;
    }

    /** A task handed to no pool: tests call {@link #run()} themselves, as a pool thread would. */
    public static <T> BlockingTask<T> unqueued(String name, Callable<T> body,
                                               BiConsumer<Task<?>, Throwable> unobserved) {
        return new BlockingTask<>(name, body, unobserved, null);
    }

    /** The run word now (QUEUED ... TAKEN), for tests and diagnostics. */
    public int runState() {
        return (int) RUN.getVolatile(this);
    }

    /**
     * The pool thread's entry: claim the turn (QUEUED to STARTED), then
     * turn the task: the body, or the cancellation path if an abort came
     * first. If an abort claimed it first (TAKEN), nothing: the task is
     * already finished.
     */
    /** The abort's interrupt reached the body (the runner's thread only, set in endInterrupts). */
    private boolean interruptLanded;

    @Override
    public void run() {
        runner = Thread.currentThread(); // published by the CAS below, for an abort that sees STARTED
        int r = (int) RUN.compareAndExchange(this, QUEUED, STARTED);
        if (r == TAKEN) {
            return;
        }
        if (r != QUEUED) {
            throw new IllegalStateException("blocking task " + this + " run twice (run state " + r + ")");
        }
        turn();
    }

    @Override
    protected Object pollTask() throws Throwable {
        try {
            if (isCancelRequested()) {
                // aborted after toRunning and before here: the body never starts
                throw new TaskCancelledException("task " + this + " was cancelled");
            }
            return body.call();
        } finally {
            endInterrupts();
        }
    }

    /**
     * An abort whose interrupt landed in the body: whatever the body threw
     * then (an InterruptedException, a closed channel) is the abort's. An
     * abort that came once the body had ended (ENDED: no interrupt) leaves
     * the body's own failure its failure.
     */
    @Override
    protected boolean thrownByAbort(Throwable t) {
        return interruptLanded || super.thrownByAbort(t);
    }

    @Override
    protected Object cancelTask() {
        if ((int) RUN.getVolatile(this) != TAKEN) {
            // A pool thread's turn that found CANCELLED: the abort's hook saw STARTED and may be interrupting us.
            endInterrupts();
        }
        return Cancelled.PLAIN;
    }

    @Override
    protected void released() {
        body = null;
    }

    /**
     * The runner, once its body is over: from now on no abort interrupts
     * this thread, and an interrupt under way lands before we go on (then
     * the flag is cleared), so that it never reaches the pool's next job
     * nor the join wakers that the completion calls.
     */
    private void endInterrupts() {
        int r = (int) RUN.compareAndExchange(this, STARTED, ENDED);
        if (r != STARTED) {
            // the acquire pairs with setRelease(INTERRUPTED) in aborted
            for (int spins = 1; (r = (int) RUN.getAcquire(this)) == INTERRUPTING; spins++) {
                SpinWait.backOff(spins);
            }
            if (r != INTERRUPTED) {
                throw new IllegalStateException("blocking task " + this + " ended its body in run state " + r);
            }
            interruptLanded = true;
            RUN.setRelease(this, ENDED);
        }
        runner = null;
        Thread.interrupted(); // the abort's interrupt, or one the body made itself, ends with the body
    }

    /**
     * Step "abort" of the package docs, on the aborting thread, once (the
     * abort that set CANCELLED): a queued task is claimed and finished here
     * (its body never runs, its waiters wake now, not when a pool thread is
     * free); a running one has its thread interrupted; an ended one needs
     * nothing (its turn completes it with what the body gave).
     */
    @Override
    protected void aborted(int before) {
        int r = (int) RUN.getVolatile(this);
        for (;;) {
            int witness;
            switch (r) {
                case QUEUED -> {
                    witness = (int) RUN.compareAndExchange(this, QUEUED, TAKEN);
                    if (witness == QUEUED) {
                        turn(); // sees CANCELLED: the cancellation path, here
                        return;
                    }
                }
                case STARTED -> {
                    witness = (int) RUN.compareAndExchange(this, STARTED, INTERRUPTING);
                    if (witness == STARTED) {
                        try {
                            runner.interrupt();
                        } finally {
                            RUN.setRelease(this, INTERRUPTED); // pairs with the getAcquire in endInterrupts
                        }
                        return;
                    }
                }
                case ENDED -> {
                    return;
                }
                default -> throw new IllegalStateException("abort of blocking task " + this + " found run state "
                        + r + " and task state " + TaskWords.describe(state()));
            }
            r = witness;
        }
    }

    /** The name given at spawn, else {@code blocking#} and a number unique in the JVM. */
    @Override
    public String toString() {
        String n = name();
        return n != null ? n : "blocking#" + id();
    }

    /**
     * The owner of every blocking task: it is queued once, at spawn, and
     * its poll runs the whole body, so it is never scheduled again, never
     * suspended, never polled with a budget.
     */
    private static final class Owner implements TaskOwner {
        @Override
        public void schedule(Task<?> task) {
            throw new IllegalStateException("blocking task " + task + " asked to be scheduled in state "
                    + TaskWords.describe(task.state()) + ": a blocking task is queued once, at spawn, and is never idle");
        }

        @Override
        public boolean inLoop() {
            return false;
        }

        @Override
        public void suspended(Task<?> task) {
            throw new IllegalStateException("blocking task " + task + " returned pending: its body runs to its end");
        }

        @Override
        public Budget budget() {
            throw new IllegalStateException("a blocking task's body is called, not polled: it has no budget");
        }

        @Override
        public void completed(Task<?> task) {
        }

        @Override
        public void failedUnobserved(Task<?> task, Throwable error) {
            report(((BlockingTask<?>) task).unobserved, task, error);
        }

        @Override
        public void failedLeftBehind(Task<?> task, Throwable error) {
            BiConsumer<Task<?>, Throwable> sink = ((BlockingTask<?>) task).leftBehind;
            report(sink != null ? sink : ((BlockingTask<?>) task).unobserved, task, error);
        }

        private static void report(BiConsumer<Task<?>, Throwable> sink, Task<?> task, Throwable error) {
            try {
                if (sink != null) {
                    sink.accept(task, error);
                    return;
                }
            } catch (Throwable t) {
                error.addSuppressed(t);
            }
            io.weft.task.Log.get().log(System.Logger.Level.WARNING, "blocking task " + task + " failed and nobody awaited it", error);
        }
    }
}
