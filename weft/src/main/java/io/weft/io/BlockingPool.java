package io.weft.io;

import io.weft.CancellableFuture;
import io.weft.Context;
import io.weft.Poll;
import io.weft.Waker;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A small pool of platform threads for calls that block in the kernel
 * (file reads and writes on the epoll and nio drivers, opening files), so
 * an executor's thread never blocks on them. Shared by every executor of the
 * JVM; its threads are daemons and end after 30 s idle (as tokio's blocking
 * pool).
 *
 * <p>Memory handed to a job is the job's own (a {@link #borrow bounce
 * buffer}): a task that gives up waiting (cancel) never has a pool thread
 * write into memory it reuses or has freed. The loop copies between the
 * task's buffer and the bounce buffer on its own thread.
 */
public final class BlockingPool {
    private BlockingPool() {
    }

    /**
     * At most this many blocking calls run at once (system property
     * {@code weft.blockingThreads}, default 64): file I/O on the epoll and
     * nio drivers needs as many threads as reads it keeps in flight (a
     * queue depth of 32 needs 32). Threads start on demand and end after
     * 30 s idle, so an idle pool costs nothing.
     */
    public static final int THREADS = Math.max(1, Integer.getInteger("weft.blockingThreads", 64));
    private static final int POOLED = 64 * 1024;
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final ThreadPoolExecutor POOL;
    private static final ConcurrentLinkedQueue<ByteBuffer> BUFFERS = new ConcurrentLinkedQueue<>();

    static {
        POOL = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "weft-blocking-" + SEQ.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        POOL.allowCoreThreadTimeOut(true);
    }

    /** Runs {@code job} on the pool; the future is ready when it returns (or throws what it threw). */
    public static <T> Job<T> submit(Callable<T> job) {
        return submit(job, null);
    }

    /**
     * As {@link #submit(Callable)}; if the job is cancelled, the value it
     * returns anyway goes to {@code discard} (see {@link Job}).
     */
    public static <T> Job<T> submit(Callable<T> job, Consumer<? super T> discard) {
        Job<T> j = new Job<>(job, discard);
        POOL.execute(j);
        return j;
    }

    /**
     * A direct buffer of {@code len} bytes (position 0, limit len), aligned to
     * {@code align} (a power of two; 1 for none). Give it back with
     * {@link #giveBack} once no thread uses it.
     */
    public static ByteBuffer borrow(int len, int align) {
        if (len <= POOLED && align <= 4096) {
            ByteBuffer b = BUFFERS.poll();
            if (b != null) {
                return b.clear().limit(len);
            }
            return ByteBuffer.allocateDirect(POOLED + 4096).alignedSlice(4096).limit(POOLED).slice().limit(len);
        }
        int a = Math.max(align, 8);
        return ByteBuffer.allocateDirect(len + a).alignedSlice(a).limit(len).slice();
    }

    public static void giveBack(ByteBuffer b) {
        if (b.capacity() == POOLED && BUFFERS.size() < 64) {
            BUFFERS.add(b);
        }
    }

    /**
     * The future of a pooled job. Wakes the waker of its last poll from the
     * pool thread.
     *
     * <p><b>Cancel safety:</b> a blocking call cannot be taken back, so a
     * cancelled job still runs to its end; its value, which nobody will poll,
     * goes to the discard action given to {@link #Job(Callable, Consumer)} (closing what the
     * job opened), exactly once, on whichever thread sees both "done" and
     * "cancelled" first: the pool thread if the job ends after the cancel,
     * the cancelling thread if the job had ended before.
     */
    public static final class Job<T> implements CancellableFuture<T>, Runnable {
        private static final VarHandle DISCARDED;

        static {
            try {
                DISCARDED = MethodHandles.lookup().findVarHandle(Job.class, "discarded", boolean.class);
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

        /** A job not yet submitted (tests drive {@link #run()} themselves); use {@link BlockingPool#submit}. */
        public Job(Callable<T> body) {
            this(body, null);
        }

        /**
         * As {@link #Job(Callable)}; {@code discard} takes the value the job
         * returns if it was cancelled (closes what the job opened).
         */
        public Job(Callable<T> body, Consumer<? super T> discard) {
            this.body = body;
            this.discard = discard;
        }

        @Override
        public void run() {
            try {
                value = body.call();
            } catch (Throwable t) {
                error = t;
            }
            done = true; // publishes value/error; pairs with the read in poll and in cancel
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
                    System.getLogger("io.weft").log(System.Logger.Level.WARNING,
                            "closing what a cancelled blocking job made failed", t);
                }
            }
        }
    }
}
