package io.weft;

import io.weft.coro.Await;
import io.weft.diag.DiagnosticSettings;
import io.weft.steal.StealScheduler;
import io.weft.sys.Affinity;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * An executor whose tasks move to whichever worker thread is free: tokio's
 * multi-thread runtime, beside the {@link LocalExecutor} (one thread, tasks
 * stay) and the {@link LocalExecutorPool} (one executor per core, tasks
 * stay on theirs). For code that does not shard: a handler that fans out, a
 * batch job, a library written for threads.
 *
 * <pre>{@code
 * try (StealingExecutor ex = StealingExecutor.create()) {      // one worker per usable CPU
 *     long sum = ex.blockOn(() -> {
 *         List<JoinHandle<Long>> parts = new ArrayList<>();
 *         for (int i = 0; i < 100; i++) {
 *             long from = i * 1_000_000L;
 *             parts.add(Weft.spawn(() -> sumOf(from, from + 1_000_000L)));   // any worker may run it
 *         }
 *         long s = 0;
 *         for (JoinHandle<Long> p : parts) s += p.await();
 *         return s;
 *     });
 * }
 * }</pre>
 *
 * <p>Each worker has a bounded local run queue (256 tasks, FIFO) and a LIFO
 * slot (the task a running task spawned or woke last runs right after it, at
 * most 3 in a row; not a task woken by its end, such as a joiner, which
 * queues behind the tasks ready before it); a worker out of work steals half
 * of another's queue;
 * tasks spawned or woken from outside go to a shared queue that every worker
 * looks at, at the latest every 61st task. Inside its tasks,
 * {@code Weft.spawn} spawns onto the same executor. A task that yields runs
 * again after the tasks that were ready then.
 *
 * <p><b>What works in its tasks today:</b> spawning and joining, every
 * future and combinator, {@code yieldNow}, sleeps, timeouts and intervals
 * (each worker has a timer wheel), the shared sync family
 * ({@code Channel.bounded}, {@code Mutex.create}, {@code Semaphore},
 * {@code Notify}, ...), {@link TaskScope}, {@link JoinSet},
 * {@code Weft.spawnBlocking}, sockets and files (each worker has a reactor,
 * opened at its first I/O, and parks inside it). Never here: the local sync
 * family, the SPSC channel's sides (bound to one thread) and task queues
 * with shares, which need tasks that stay on one thread; they throw,
 * naming what to use instead.
 *
 * <p><b>Where a task runs:</b> a task not yet started goes to whichever
 * worker is free (stolen if need be); once it has run, it stays on that
 * worker (its continuation's frames and its timers are there; the package
 * comment of {@code io.weft.steal} says why frames cannot move between
 * platform threads).
 *
 * <p><b>Sockets and files</b> belong to the worker whose task made them
 * (its reactor), and that task can use them across all its awaits (it never
 * leaves the worker). A stream handed to a task that starts on another
 * worker moves there by itself at that task's first awaited operation on it,
 * as a connection handed to a spawned task does in tokio:
 * <pre>{@code
 * Weft.spawn(() -> {
 *     try (TcpListener l = TcpListener.bind(addr)) {
 *         for (;;) {
 *             TcpStream conn = l.accept().await();
 *             Weft.spawn(() -> { try (conn) { serve(conn); } });   // may start on any worker
 *         }
 *     }
 * });
 * }</pre>
 * A stream moves only with nothing pending on it: a stream used at once by
 * tasks on two workers (a read on one, a write on the other) gets an
 * IllegalStateException saying so at the move; {@code tryRead} never waits,
 * so from another worker it asks for an awaited {@code readable()} first
 * (see {@code io.weft.net.StreamMove}). {@code TcpStream.detach()} and
 * {@code MovedStream.attach()} still move a stream by hand, as between the
 * executors of a pool. A listener stays on the worker whose task bound it:
 * an accept from a task of another worker runs there and hands the
 * connection over (a hop between threads per accept; an accept loop that
 * binds its own listener pays none). A UDP socket, and a file, stay on the
 * worker whose task made them in the same way: tasks of other workers have
 * their operations run there (see the package comments of {@code io.weft.net}
 * and {@code io.weft.fs}).
 */
public final class StealingExecutor implements Executor, AutoCloseable {
    private static final AtomicInteger COUNT = new AtomicInteger();
    /** The slice the default stall threshold is computed from: the LocalExecutor's default time slice. */
    private static final long DEFAULT_SLICE_NANOS = 100_000_000L;
    private final List<int[]> cpus;

    private final StealScheduler scheduler;

    private StealingExecutor(Builder b) {
        String name = b.name != null ? b.name : "weft-stealing-" + COUNT.incrementAndGet();
        List<int[]> assigned = b.placement.assignHere(b.workers, "worker");
        this.cpus = assigned;
        this.scheduler = new StealScheduler(this, name, b.workers, b.driver, b.onUnobservedFailure);
        if (b.diag.any()) {
            scheduler.diagnostics(b.diag.stallNanos(DEFAULT_SLICE_NANOS), b.diag.onStall(), b.diag.histogram());
        }
        scheduler.spinBeforePark(b.spinNanos);
        if (b.blockingThreads > 0) {
            scheduler.blockingThreads(b.blockingThreads);
        }
        scheduler.start(assigned);
        if (!b.placement.isUnbound()) {
            io.weft.task.Log.get().log(System.Logger.Level.INFO, "stealing executor " + name + ": " + b.workers
                    + " worker(s), placement " + b.placement + " (" + Placement.describe(assigned) + ")");
        }
    }

    /** The CPUs each worker may run on (an empty array: not pinned), by worker index. */
    public List<int[]> cpus() {
        return Placement.copies(cpus);
    }

    /** A StealingExecutor with one worker per CPU this process may use. */
    public static StealingExecutor create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** How many workers it has. */
    public int workers() {
        return scheduler.workers();
    }

    /**
     * Spawns {@code body} as a task of this executor, from any thread. From a
     * task of this executor it is {@code Weft.spawn}; from outside, after a
     * shutdown or close began, it throws
     * {@link java.util.concurrent.RejectedExecutionException}.
     */
    public <T> JoinHandle<T> spawn(Callable<T> body) {
        return scheduler.spawn(null, body);
    }

    /**
     * Spawns a poll-based future as a task of this executor, from any thread
     * (tokio's {@code Runtime::spawn}): as {@link #spawn(Callable)}, with no
     * continuation; like every task here, any worker may take it until it
     * first runs, and it stays on that worker from then on.
     */
    public <T> JoinHandle<T> spawn(Future<T> future) {
        return scheduler.spawn(future);
    }

    /**
     * Runs {@code root} as a task of this executor and waits for it on the
     * calling thread, which must not be one of its workers. What it throws is
     * rethrown as {@link LocalExecutor#run} does: an unchecked exception or
     * error as it is, a checked exception as the cause of a
     * {@link TaskFailedException}; {@link TaskCancelledException} if it was
     * aborted.
     */
    public <T> T blockOn(Callable<T> root) {
        if (scheduler.inLoop()) {
            throw new IllegalStateException("blockOn called from a task of " + scheduler
                    + ": it would block a worker; await the task instead (Weft.spawn(...).await())");
        }
        io.weft.executor.Worker other = io.weft.executor.Worker.currentOrNull();
        if (other != null) {
            throw new IllegalStateException("blockOn called from a task of " + other.name() + ", another executor:"
                    + " it would block that executor's thread; await a task of this one instead (spawn(...).await())");
        }
        JoinHandle<T> h = scheduler.spawn(null, root);
        try {
            return Await.blockOn(h);
        } catch (TaskFailedException f) {
            throw TaskFailedException.rootFailure(f);
        }
    }

    /** {@link Executor}: runs {@code command} as a task; a failure nobody awaits is reported. */
    @Override
    public void execute(Runnable command) {
        if (command == null) {
            throw new NullPointerException("command");
        }
        spawn(() -> {
            command.run();
            return null;
        });
    }

    /**
     * Refuses spawns from outside, waits up to {@code grace} for the tasks to
     * finish, then closes; true if they all finished in time. From any thread
     * but the workers. A later call gives the first one's answer; a call
     * after a close answers at once, false if the close cancelled a task.
     */
    public boolean shutdown(Duration grace) {
        if (grace == null) {
            throw new NullPointerException("grace");
        }
        return scheduler.shutdown(grace);
    }

    /**
     * Aborts every task (their {@code finally} blocks run on the workers),
     * waits for them, and stops the workers. A task inside a
     * {@link Weft#blockInPlace} body is aborted once the body returns: the
     * close interrupts the body and waits for it. Idempotent; from any
     * thread but the workers (a task of another executor waits suspended,
     * its executor going on).
     */
    @Override
    public void close() {
        scheduler.close();
    }

    public boolean isClosed() {
        return scheduler.isClosed();
    }

    /** Tasks spawned and not finished. */
    public int liveTasks() {
        return scheduler.liveTasks();
    }

    /** Its counters and each worker's, read now from any thread (see {@link StealingExecutorStats}). */
    /**
     * Every live task of this executor, as {@link LocalExecutor#dumpTasks()}
     * gives them: each worker lists, on its own thread between two polls,
     * the tasks that live on it (those that have started there: a task
     * stays on the worker of its first run) and those waiting in its queue
     * to start. Tasks queued from outside and not yet taken by a worker
     * are not listed ({@link #stats()} counts them). The executor field of
     * each entry names its worker.
     */
    public List<TaskInfo> dumpTasks() {
        return scheduler.dumpTasks();
    }

    /** tokio's runtime metrics, one entry per worker (any thread); see {@link ExecutorMetrics}. */
    public List<ExecutorMetrics> metrics() {
        return scheduler.metrics();
    }

    public StealingExecutorStats stats() {
        return scheduler.stats();
    }

    @Override
    public String toString() {
        return scheduler.toString();
    }

    public static final class Builder {
        private int workers = Math.max(1, io.weft.sys.ProcessCpus.count()); // the process's, not this thread's
        private String name;
        private Placement placement = Placement.unbound();
        private Driver driver;
        private BiConsumer<String, Throwable> onUnobservedFailure;
        private final DiagnosticSettings diag = new DiagnosticSettings();
        private long spinNanos;
        private int blockingThreads;

        private Builder() {
        }

        /**
         * At most {@code max} threads run this executor's
         * {@code Weft.spawnBlocking} bodies and host name lookups at once,
         * in a pool of its own (tokio's {@code max_blocking_threads}); the
         * rest wait in FIFO order. Default: the JVM's shared pool
         * ({@code -Dweft.blockingThreads}, 64), which also runs the file
         * calls of the epoll and nio drivers. Idle threads end after the
         * shared pool's keep-alive.
         */
        public Builder blockingThreads(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("blockingThreads(" + max + "): at least 1 thread");
            }
            this.blockingThreads = max;
            return this;
        }

        /**
         * How long a worker with nothing to run spins, looking for work
         * queued to it or to the executor, before it parks (default 0), as
         * {@link LocalExecutor.Builder#spinBeforePark(Duration)}: a wake that
         * comes meanwhile (a task woken from another worker or thread, an
         * operation run here for a task of another worker) costs no unpark.
         * The spin burns the worker's CPU while there is nothing to do.
         */
        public Builder spinBeforePark(Duration d) {
            this.spinNanos = LocalExecutor.Builder.nonNegative(d, "spinBeforePark");
            return this;
        }

        /** Every worker records its poll times, as {@link LocalExecutor.Builder#pollTimeHistogram()}. */
        public Builder pollTimeHistogram() {
            diag.pollTimeHistogram();
            return this;
        }

        /**
         * Reports a task that runs longer than {@code threshold} on a worker
         * without yielding, as {@link LocalExecutor.Builder#detectStalls(Duration)}
         * does (each worker is watched; a report names the worker).
         */
        public Builder detectStalls(Duration threshold) {
            diag.detectStalls(threshold);
            return this;
        }

        /** {@link #detectStalls(Duration)} with the LocalExecutor's default: 110 ms (a 100 ms slice plus 10 ms). */
        public Builder detectStalls() {
            diag.detectStalls();
            return this;
        }

        /**
         * Where stall reports go (on the watchdog thread; the end of a stall whose executor stops meanwhile, on
         * the executor's thread as it stops); default: a WARNING through System.Logger "io.weft". The handler
         * may close the executor.
         */
        public Builder onStall(Consumer<Stall> handler) {
            diag.onStall(handler);
            return this;
        }

        /** How many workers (default: the CPUs this process may use). */
        public Builder workers(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("a StealingExecutor needs at least one worker, asked for " + n);
            }
            this.workers = n;
            return this;
        }

        /** The prefix of the workers' thread names (default {@code weft-stealing-<n>}). */
        public Builder name(String prefix) {
            if (prefix == null || prefix.isBlank()) {
                throw new IllegalArgumentException("StealingExecutor name must not be blank");
            }
            this.name = prefix;
            return this;
        }

        /**
         * Where the workers run (default {@link Placement#unbound()}), as for a
         * {@link LocalExecutorPool}: each worker thread pins itself before it
         * runs a task. {@code build()} throws IllegalArgumentException for a
         * placement this process cannot have (see {@link Placement}).
         */
        public Builder placement(Placement p) {
            if (p == null) {
                throw new NullPointerException("placement");
            }
            this.placement = p;
            return this;
        }

        /**
         * The I/O driver of every worker's reactor (default as
         * {@link LocalExecutor.Builder#driver}: the {@code weft.driver}
         * property's, else the best this machine allows).
         */
        public Builder driver(Driver d) {
            if (d == null) {
                throw new NullPointerException("driver");
            }
            this.driver = d;
            return this;
        }

        /** Where failures of tasks nobody awaited go (task name, error); default: one WARNING each. */
        public Builder onUnobservedFailure(BiConsumer<String, Throwable> handler) {
            if (handler == null) {
                throw new NullPointerException("handler");
            }
            this.onUnobservedFailure = handler;
            return this;
        }

        public StealingExecutor build() {
            return new StealingExecutor(this);
        }
    }
}
