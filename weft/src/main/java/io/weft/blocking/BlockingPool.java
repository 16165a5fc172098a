package io.weft.blocking;

import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Platform threads for work that blocks: {@code Weft.spawnBlocking} bodies,
 * host name lookups, and the file calls of the epoll and nio drivers. One
 * pool for the whole JVM ({@link #shared()}), so one cap bounds them all.
 *
 * <p>As tokio's blocking pool: a job goes to an idle thread if there is
 * one, else to a new thread while fewer than {@link #maxThreads()} run,
 * else it waits in a FIFO queue for the next thread that finishes. Threads
 * are daemons named {@code weft-blocking-N}, and end after
 * {@link #keepAliveNanos()} without work, so an idle pool holds none.
 *
 * <p>A job's thread has no interrupt pending when the job starts: the pool
 * clears the flag before each job (a job's own {@code interrupt()} of its
 * thread ends with it; {@link BlockingTask} makes sure an abort's interrupt
 * lands before its body's end, never in the next job).
 *
 * <p>The queue and the counts are guarded by one lock, held for a few
 * field updates per job (tokio guards its pool with one mutex too); the
 * jobs themselves run outside it.
 */
public final class BlockingPool {
    /** The cap of the shared pool: at most this many threads, and blocking calls at once (default 64). */
    public static final String THREADS_PROPERTY = "weft.blockingThreads";
    /** How long, in ms, an idle thread of the shared pool waits for work before it ends (default 10,000). */
    public static final String KEEP_ALIVE_PROPERTY = "weft.blockingKeepAlive";
    static final int DEFAULT_THREADS = 64;
    static final long DEFAULT_KEEP_ALIVE_MS = 10_000;

    private static final BlockingPool SHARED = fromProperties(System::getProperty, "weft-blocking-");

    private final int maxThreads;
    private final long keepAliveNanos;
    private final String namePrefix;
    private final AtomicInteger names = new AtomicInteger();

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled once per job handed to a waiting thread. */
    private final Condition work = lock.newCondition();
    // ---- guarded by lock ----
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    /** Threads alive (started and not ended). */
    private int threads;
    /** Threads waiting for work that no job has been promised to yet. */
    private int idle;
    /**
     * Wake-ups handed out and not yet taken: a submit moves one thread from
     * {@code idle} to here, so that the next submit sees no idle thread and
     * starts one instead of signalling the same sleeper twice (tokio's
     * {@code num_notify}). Any waiting thread may take it.
     */
    private int notified;

    /**
     * A pool of at most {@code maxThreads} threads named
     * {@code namePrefix + n}, each ending after {@code keepAliveNanos}
     * without work. The JVM's pool is {@link #shared()}; tests make small
     * ones.
     */
    public BlockingPool(int maxThreads, long keepAliveNanos, String namePrefix) {
        if (maxThreads < 1) {
            throw new IllegalArgumentException("a blocking pool needs at least 1 thread, got " + maxThreads);
        }
        if (keepAliveNanos < 0) {
            throw new IllegalArgumentException("keep-alive must not be negative, got " + keepAliveNanos + " ns");
        }
        this.maxThreads = maxThreads;
        this.keepAliveNanos = keepAliveNanos;
        this.namePrefix = namePrefix;
    }

    /** The JVM's pool, sized by {@value #THREADS_PROPERTY} and {@value #KEEP_ALIVE_PROPERTY}. */
    public static BlockingPool shared() {
        return SHARED;
    }

    /**
     * A pool configured by {@value #THREADS_PROPERTY} (a positive integer)
     * and {@value #KEEP_ALIVE_PROPERTY} (ms, at least 0) as {@code props}
     * gives them (null: the default); a value that is not such a number
     * throws IllegalArgumentException naming the property and the value.
     */
    static BlockingPool fromProperties(Function<String, String> props, String namePrefix) {
        long threads = number(props, THREADS_PROPERTY, DEFAULT_THREADS, 1, "a positive integer");
        long keepAliveMs = number(props, KEEP_ALIVE_PROPERTY, DEFAULT_KEEP_ALIVE_MS, 0,
                "a number of milliseconds, at least 0");
        return new BlockingPool((int) threads, TimeUnit.MILLISECONDS.toNanos(keepAliveMs), namePrefix);
    }

    private static long number(Function<String, String> props, String name, long dflt, long min, String what) {
        String v = props.apply(name);
        if (v == null) {
            return dflt;
        }
        long n;
        try {
            n = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + "=" + v + ": must be " + what, e);
        }
        if (n < min || (name.equals(THREADS_PROPERTY) && n > Integer.MAX_VALUE)) {
            throw new IllegalArgumentException(name + "=" + v + ": must be " + what);
        }
        return n;
    }

    public int maxThreads() {
        return maxThreads;
    }

    public long keepAliveNanos() {
        return keepAliveNanos;
    }

    /** Threads alive now (busy or idle). */
    public int threads() {
        lock.lock();
        try {
            return threads;
        } finally {
            lock.unlock();
        }
    }

    /** Threads waiting for work now, not yet handed a job. */
    public int idleThreads() {
        lock.lock();
        try {
            return idle;
        } finally {
            lock.unlock();
        }
    }

    /** Jobs waiting for a thread now. */
    public int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code job} on a thread of the pool: an idle one, else a new one
     * below the cap, else the first to finish its job (FIFO). Any thread may
     * call it. Throws RejectedExecutionException only when the pool has no
     * thread and the JVM cannot start one.
     */
    public void execute(Runnable job) {
        if (job == null) {
            throw new NullPointerException("job");
        }
        lock.lock();
        try {
            queue.addLast(job);
            if (idle > 0) {
                idle--;
                notified++;
                work.signal();
            } else if (threads < maxThreads) {
                startThread();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Lock held. A failure to start is fatal only when no thread is left to take the job. */
    private void startThread() {
        Thread t = Thread.ofPlatform()
                .name(namePrefix + names.incrementAndGet())
                .daemon(true)
                .inheritInheritableThreadLocals(false)
                .unstarted(this::work);
        threads++;
        try {
            t.start();
        } catch (Throwable e) { // OutOfMemoryError: unable to create native thread, or a thread limit
            threads--;
            if (threads == 0) {
                queue.removeLast();
                throw new RejectedExecutionException("the blocking pool " + namePrefix + "* could not start a"
                        + " thread and has none: " + e, e);
            }
            io.weft.task.Log.get().log(System.Logger.Level.WARNING, "the blocking pool " + namePrefix + "* could not start a thread;"
                    + " the job waits for one of its " + threads + " threads", e);
        }
    }

    /** A thread's life: take jobs until none comes for the keep-alive. */
    private void work() {
        io.weft.sys.Affinity.unpinHelperThread(); // started by a pinned executor thread, it would run on its CPU only
        lock.lock();
        try {
            for (;;) {
                Runnable job = queue.pollFirst();
                if (job != null) {
                    lock.unlock();
                    try {
                        run(job);
                    } finally {
                        lock.lock();
                    }
                } else if (!awaitWork()) {
                    threads--;
                    return;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private static void run(Runnable job) {
        Thread.interrupted(); // no interrupt of an earlier job reaches this one
        try {
            job.run();
        } catch (Throwable t) { // BlockingTask and BlockingJob keep what their bodies throw; anything else is a bug
            io.weft.task.Log.get().log(System.Logger.Level.ERROR, "a job of the blocking pool threw: " + job, t);
        }
    }

    /**
     * Lock held. Waits until a submit hands this thread a wake-up (true) or
     * the keep-alive passes without one (false: the thread ends).
     */
    private boolean awaitWork() {
        idle++;
        long deadline = System.nanoTime() + keepAliveNanos;
        for (;;) {
            if (notified > 0) {
                notified--; // the submit that handed it out took us off idle
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                idle--;
                return false;
            }
            try {
                work.awaitNanos(left);
            } catch (InterruptedException e) {
                // Nobody interrupts an idle pool thread on purpose (aborts reach only running bodies): keep waiting.
            }
        }
    }

    @Override
    public String toString() {
        lock.lock();
        try {
            return "BlockingPool[" + namePrefix + "*, threads=" + threads + "/" + maxThreads + ", idle=" + idle
                    + ", queued=" + queue.size() + "]";
        } finally {
            lock.unlock();
        }
    }
}
