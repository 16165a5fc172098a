package io.weft.blocking;

import io.weft.CancellableFuture;
import io.weft.Context;
import io.weft.Poll;
import io.weft.Waker;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * weft's own blocking calls on the {@link BlockingPool} (opening a file,
 * the file reads and writes of the epoll and nio drivers), as a future that
 * the loop polls. Wakes the waker of its last poll from the pool thread.
 *
 * <p>Unlike a {@link BlockingTask}, a job is never interrupted: an
 * interrupt closes a {@code FileChannel} that a thread is inside (the
 * file's other operations would fail), so a job always runs its call to
 * the end, and its memory (a bounce buffer) stays the job's until then.
 *
 * <p><b>Cancel safety:</b> a blocking call cannot be taken back, so a
 * cancelled job still runs to its end; its value, which nobody will poll,
 * goes to the discard action given to {@link #submit(Callable, Consumer)}
 * (closing what the job opened), exactly once, on whichever thread sees
 * both "done" and "cancelled" first: the pool thread if the job ends after
 * the cancel, the cancelling thread if the job had ended before (see the
 * package docs; jcstress: BlockingJobCancelTest, BlockingJobVsPollTest).
 */
public final class BlockingJob<T> implements CancellableFuture<T>, Runnable {
    private static final VarHandle DISCARDED;

    static {
        try {
            DISCARDED = MethodHandles.lookup().findVarHandle(BlockingJob.class, "discarded", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Callable<T> body;
    private volatile boolean done;
    private volatile Waker waker;
    private T value;
    private Throwable error;
    private volatile boolean cancelled;
    /** Poller thread only: a poll returned the value (a later cancel keeps it). */
    private boolean taken;
    private final Consumer<? super T> discard;
    @SuppressWarnings("unused") // through DISCARDED
    private volatile boolean discarded;
    /** A pool thread waits in {@link #awaitEnd} (set before it reads {@code done}): {@link #run} notifies. */
    private volatile boolean awaited;

    /** A job not yet submitted (tests drive {@link #run()} themselves); use {@link #submit}. */
    public BlockingJob(Callable<T> body) {
        this(body, null);
    }

    /**
     * As {@link #BlockingJob(Callable)}; {@code discard} takes the value the
     * job returns if it was cancelled (closes what the job opened).
     */
    public BlockingJob(Callable<T> body, Consumer<? super T> discard) {
        this.body = body;
        this.discard = discard;
    }

    /** Runs {@code body} on the shared pool; the future is ready when it returns (or throws what it threw). */
    public static <T> BlockingJob<T> submit(Callable<T> body) {
        return submit(body, null);
    }

    /**
     * As {@link #submit(Callable)}; if the job is cancelled, the value it
     * returns anyway goes to {@code discard}.
     */
    public static <T> BlockingJob<T> submit(Callable<T> body, Consumer<? super T> discard) {
        BlockingJob<T> j = new BlockingJob<>(body, discard);
        BlockingPool.shared().execute(j);
        return j;
    }

    @Override
    public void run() {
        try {
            value = body.call();
        } catch (Throwable t) {
            error = t;
        }
        done = true; // publishes value/error; pairs with the read in poll and in cancel
        if (awaited) { // Dekker with awaitEnd: it stores awaited, then reads done
            synchronized (this) {
                notifyAll();
            }
        }
        if (cancelled) { // Dekker with cancel(): it stores cancelled, then reads done
            discardOnce();
            return;
        }
        Waker w = waker;
        if (w != null) {
            w.wake();
        }
    }

    @Override
    public Poll<T> poll(Context cx) {
        if (!done) {
            waker = cx.waker();
            if (!done) { // Dekker with run(): it stores done then reads waker
                return Poll.pending();
            }
        }
        taken = true;
        if (error != null) {
            throw io.weft.compose.Sneaky.rethrow(error);
        }
        return Poll.ready(value);
    }

    public boolean isDone() {
        return done;
    }

    /**
     * Blocks the calling thread (a pool thread: never a loop's) until the
     * body has returned or thrown, cancelled or not, or until {@code stop}
     * holds (looked at under this job's monitor, again at each
     * {@link #nudge}): a file's write waits here for a cancelled write that a
     * pool thread is still in, so that it lands after it, and stops waiting
     * once it is dropped itself ({@code ChannelFile}). An interrupt does not
     * end the wait (the job it waits for runs to its end, and soon); it is
     * kept for the caller.
     */
    public void awaitEnd(java.util.function.BooleanSupplier stop) {
        if (done) {
            return;
        }
        boolean interrupted = false;
        synchronized (this) {
            awaited = true; // then reads done: pairs with run(), which stores done, then reads awaited
            while (!done && !stop.getAsBoolean()) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Makes the threads in {@link #awaitEnd} look at their stop condition again (its change came before). */
    public void nudge() {
        synchronized (this) {
            notifyAll();
        }
    }

    /**
     * Stops waiting; the job still runs to its end (a blocking call
     * cannot be taken back) and its value goes to the discard action.
     * Nothing once a poll has returned the value.
     */
    @Override
    public void cancel() {
        if (taken || cancelled) {
            return;
        }
        cancelled = true;
        waker = null;
        if (done) { // pairs with run(): it stores done, then reads cancelled
            discardOnce();
        }
    }

    public boolean isCancelled() {
        return cancelled;
    }

    /** Hands a value nobody will poll to the discard action; the first caller wins (pool thread or canceller). */
    private void discardOnce() {
        if (!DISCARDED.compareAndSet(this, false, true)) {
            return;
        }
        Consumer<? super T> d = discard;
        if (d != null && error == null && value != null) {
            try {
                d.accept(value);
            } catch (Throwable t) {
                // the value was abandoned; a failure to close it has nobody to go to
                io.weft.task.Log.get().log(System.Logger.Level.WARNING,
                        "closing what a cancelled blocking job made failed", t);
            }
        }
    }
}
