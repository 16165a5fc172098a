package io.weft;

import io.weft.diag.DiagnosticSettings;
import io.weft.executor.ExecutorCore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * One thread's executor: its task queues, its timers, and the loop that runs
 * them. Two ways to give it a thread:
 * <ul>
 *   <li>{@link #run} borrows the calling thread for the loop until the root
 *       task finishes; tasks left when it returns stay and continue in the
 *       next {@code run}, or are cancelled by {@link #close()}.</li>
 *   <li>{@link Builder#start()} gives it a thread of its own, which runs the
 *       loop until the executor is closed; work comes in through
 *       {@link #spawn} and {@link #execute} from any thread, as to an
 *       {@code ExecutorService}.</li>
 * </ul>
 *
 * <pre>{@code
 * try (var ex = LocalExecutor.create()) {
 *     int n = ex.run(() -> Weft.spawn(() -> 6 * 7).await());
 * }
 * try (var ex = LocalExecutor.builder().name("worker").start()) {
 *     int n = ex.spawn(() -> 6 * 7).await();   // main waits; the task runs on "worker"
 * }                                              // close(): cancels what is left, the thread ends
 * }</pre>
 *
 * <p>{@link #close()} and {@link #shutdown(Duration)} work from any thread,
 * including from a task of this executor. A plain thread that awaits a task
 * of an executor that no thread runs gets a warning after a second (through
 * System.Logger "io.weft") instead of hanging silently.
 */
public final class LocalExecutor implements AutoCloseable, java.util.concurrent.Executor {
    private static final AtomicInteger SEQ = new AtomicInteger();

    private final ExecutorCore core;
    /** The thread of a started executor ({@link Builder#start()}), else null. */
    private volatile Thread ownThread;

    private LocalExecutor(Builder b) {
        String name = b.name != null ? b.name : "weft-" + SEQ.incrementAndGet();
        this.core = new ExecutorCore(this, name, b.pinCpu, b.spinNanos, b.preemptNanos, b.onUnobservedFailure,
                b.clock, b.driver);
        if (b.diag.any()) {
            core.diagnostics(b.diag.stallNanos(b.preemptNanos), b.diag.onStall(), b.diag.histogram());
        }
    }

    public static LocalExecutor create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs {@code root} as a coroutine task on this thread and returns its
     * result. What it throws is rethrown: an unchecked exception or error as
     * it is, a checked exception as the cause of a {@link TaskFailedException}.
     * If the root is aborted, throws {@link TaskCancelledException}.
     */
    public <T> T run(Callable<T> root) {
        if (root == null) {
            throw new NullPointerException("root");
        }
        return unwrap(() -> core.run(root, null));
    }

    /** Runs a poll-based future as the root task; as {@link #run(Callable)}. */
    public <T> T run(Future<T> root) {
        if (root == null) {
            throw new NullPointerException("root");
        }
        return unwrap(() -> core.run(null, root));
    }

    private static <T> T unwrap(java.util.function.Supplier<T> s) {
        try {
            return s.get();
        } catch (TaskFailedException e) {
            throw TaskFailedException.rootFailure(e);
        }
    }

    /**
     * Spawns {@code body} as a coroutine task on this executor, from any
     * thread. From another thread the task waits in the remote queue until
     * the executor's loop runs ({@link #run} on some thread). Throws
     * {@link java.util.concurrent.RejectedExecutionException} once the
     * executor is closed.
     */
    public <T> JoinHandle<T> spawn(Callable<T> body) {
        if (body == null) {
            throw new NullPointerException("task body");
        }
        return core.spawnFromAnyThread(null, body);
    }

    /**
     * As {@link #spawn(Callable)}, with a name, which appears in error
     * messages and in the report of a failure nobody awaited (an unnamed
     * task is named by its sequence number on this executor: {@code #17}).
     */
    public <T> JoinHandle<T> spawn(String name, Callable<T> body) {
        if (name == null) {
            throw new NullPointerException("task name");
        }
        if (body == null) {
            throw new NullPointerException("task body");
        }
        return core.spawnFromAnyThread(name, body);
    }

    /**
     * {@link java.util.concurrent.Executor}: runs {@code command} as a
     * coroutine task (it may {@code await}), from any thread, as
     * {@link #spawn}. A failure goes to the unobserved-failure handler.
     */
    @Override
    public void execute(Runnable command) {
        if (command == null) {
            throw new NullPointerException("command");
        }
        core.spawnFromAnyThread(null, () -> {
            command.run();
            return null;
        });
    }

    /**
     * Cancels every task that is left (their {@code finally} blocks run) and
     * closes; idempotent, from any thread. From another thread it returns once
     * the close is over (and a started executor's thread has ended; a task of
     * another executor waits suspended, its executor going on); a
     * {@link #run} in progress then throws TaskCancelledException. From a task
     * of this executor the other tasks are cancelled at once, the calling task
     * goes on, and the close is over when it ends (this returns at once).
     */
    @Override
    public void close() {
        core.close();
        joinOwnThread();
    }

    /**
     * Stops taking new work ({@link #spawn} and {@link #execute} throw
     * RejectedExecutionException from now on; running tasks may still spawn
     * helpers), waits up to {@code grace} for every task to finish, then
     * closes as {@link #close()} (cancelling what is left). Returns whether
     * every task finished in time. From a task of this executor it waits for
     * the others (the task suspends; the grace counts on the executor's
     * clock), then the close is over when the calling task ends. Idempotent:
     * a later call gives the first one's answer; a call after a close
     * answers at once, false if the close cancelled a task.
     */
    public boolean shutdown(Duration grace) {
        if (grace == null) {
            throw new NullPointerException("grace");
        }
        boolean inTime = core.shutdown(grace);
        joinOwnThread();
        return inTime;
    }

    private void joinOwnThread() {
        Thread t = ownThread;
        if (t == null || t == Thread.currentThread() || !core.isClosed()) {
            return; // not started, or closing from inside: the thread ends when the calling task does
        }
        joinAll(List.of(t));
    }

    /** Waits until every thread has ended; an interrupt meanwhile is kept for the caller, not acted on. */
    static void joinAll(List<Thread> threads) {
        io.weft.diag.StallWatchdog.handlerWaitsForLoops(); // an onStall handler that closes an executor or a pool
        boolean interrupted = false;
        for (Thread t : threads) {
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts this executor's own thread (see {@link Builder#start()}). */
    private LocalExecutor startThread() {
        Thread t = new Thread(core::runOwnLoop, core.name());
        ownThread = t;
        t.start();
        return this;
    }

    /** The engine, for the pool of this package. */
    ExecutorCore core() {
        return core;
    }

    /** Whether the executor is closed: no task is left and it takes no new ones. */
    public boolean isClosed() {
        return core.isClosed();
    }

    public String name() {
        return core.name();
    }

    /**
     * The I/O driver this executor uses, opening it if needed. Call it from
     * a task of this executor (the driver belongs to the loop thread).
     */
    public Driver driver() {
        return core.driver().kind();
    }

    /**
     * Every live task of this executor: id, name, queue, state, age, polls,
     * and where each suspended task waits (its frames at the {@code await}).
     * From any thread: the executor's loop collects it between two polls, so
     * that no task resumes while its frames are read; if the loop does not
     * answer within a quarter of a second (a task that never yields holds
     * it), the dump holds what can be seen from outside: the task it runs,
     * with its thread's stack. From a task of this executor, that task is
     * listed as running. {@link TaskInfo#toText} and {@link TaskInfo#toJson}
     * format it.
     */
    public List<TaskInfo> dumpTasks() {
        return core.dumpTasks();
    }

    /** tokio's runtime metrics of this executor (any thread); see {@link ExecutorMetrics}. */
    public ExecutorMetrics metrics() {
        return core.metrics();
    }

    /** The counters; exact on the executor's thread, possibly stale from another. */
    public ExecutorStats stats() {
        return core.stats();
    }

    /** Tasks spawned and not yet finished. */
    public int liveTasks() {
        return core.liveTasks();
    }

    @Override
    public String toString() {
        return core.toString();
    }

    /** Settings of a new executor. */
    public static final class Builder {
        private String name;
        private int pinCpu = -1;
        private long spinNanos = 0;
        private long preemptNanos = Duration.ofMillis(100).toNanos();
        private BiConsumer<String, Throwable> onUnobservedFailure;
        private Clock clock = Clock.system();
        private Driver driver;
        /** Stall detection, its handler, the poll-time histogram (a pool copies its own in). */
        final DiagnosticSettings diag = new DiagnosticSettings();

        private Builder() {
        }

        /**
         * Records how long each poll takes in a log-scale histogram
         * ({@link ExecutorMetrics#pollTimes()}, tokio's poll-time histogram):
         * two clock reads per poll, so off by default.
         */
        public Builder pollTimeHistogram() {
            diag.pollTimeHistogram();
            return this;
        }

        /**
         * Reports a task that runs longer than {@code threshold} without
         * yielding, while it runs: one report with the executor thread's
         * stack sampled then, one more when the task gives the thread back
         * (see {@link Stall}). One watchdog thread samples every detecting
         * executor of the process, at a quarter of the smallest threshold;
         * off by default, and then it costs nothing.
         */
        public Builder detectStalls(Duration threshold) {
            diag.detectStalls(threshold);
            return this;
        }

        /** {@link #detectStalls(Duration)} with glommio's default: the time slice plus max(10 ms, a tenth of it). */
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

        /** The executor's name, used in messages and stats. */
        public Builder name(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("executor name must not be blank");
            }
            this.name = name;
            return this;
        }

        /** Pins the loop thread to {@code cpu} while {@code run} runs (sched_setaffinity). */
        public Builder pinTo(int cpu) {
            int[] allowed = io.weft.sys.Affinity.current();
            if (java.util.Arrays.stream(allowed).noneMatch(c -> c == cpu)) {
                throw new IllegalArgumentException("pinTo(" + cpu + "): this thread may run on CPUs "
                        + java.util.Arrays.toString(allowed) + " only");
            }
            this.pinCpu = cpu;
            return this;
        }

        /**
         * How long an idle loop spins looking for work before it parks
         * (default 0): wakes from other threads, and I/O (the reactor is
         * polled every 32 rounds of the spin). It burns the thread's CPU
         * while there is nothing to do.
         */
        public Builder spinBeforePark(Duration d) {
            this.spinNanos = nonNegative(d, "spinBeforePark");
            return this;
        }

        /** The longest time slice of a task queue (default 100 ms). */
        public Builder preemptTimer(Duration d) {
            long n = nonNegative(d, "preemptTimer");
            if (n == 0) {
                throw new IllegalArgumentException("preemptTimer(" + d + "): the time slice must be positive");
            }
            this.preemptNanos = n;
            return this;
        }

        /**
         * Where a failure goes when nobody awaits the task's handle (called
         * with the task's name and what it threw, on the executor's thread).
         * The name is the one given at spawn, else {@code #} and the task's
         * sequence number on this executor ({@code #17}). Blocking tasks
         * spawned from this executor ({@link Weft#spawnBlocking}) report here
         * too; one that fails after the executor closed is reported on the
         * thread where it failed. Default: logged once at WARNING through
         * System.Logger "io.weft".
         */
        public Builder onUnobservedFailure(BiConsumer<String, Throwable> handler) {
            if (handler == null) {
                throw new NullPointerException("handler");
            }
            this.onUnobservedFailure = handler;
            return this;
        }

        /**
         * The clock of the executor's timers (default {@link Clock#system()}).
         * With {@link Clock#paused()} time stands still while tasks run and
         * jumps to the next timer when all tasks wait: timed tests run in
         * microseconds. The scheduler's time slices always use real time.
         */
        public Builder clock(Clock clock) {
            if (clock == null) {
                throw new NullPointerException("clock");
            }
            this.clock = clock;
            return this;
        }

        /**
         * The I/O driver (default: the system property {@code weft.driver},
         * else the best this machine allows: io_uring, epoll, nio). The
         * driver opens at the executor's first I/O; if the one asked for
         * cannot start there, that I/O throws IllegalStateException saying why.
         */
        public Builder driver(Driver driver) {
            if (driver == null) {
                throw new NullPointerException("driver");
            }
            this.driver = driver;
            return this;
        }

        /**
         * Builds the executor and starts a platform thread, named after it,
         * that runs its loop until it is closed ({@link LocalExecutor#close()}
         * or {@link LocalExecutor#shutdown}, from any thread). Spawn work with
         * {@link LocalExecutor#spawn} and {@link LocalExecutor#execute}, from
         * any thread; {@code run} is not for a started executor (its thread
         * runs the loop already).
         */
        public LocalExecutor start() {
            return build().startThread();
        }

        public LocalExecutor build() {
            return new LocalExecutor(this);
        }

        /** A duration setting's nanoseconds; {@code what} names the setting in the error (also StealingExecutor's). */
        static long nonNegative(Duration d, String what) {
            if (d == null) {
                throw new NullPointerException(what);
            }
            if (d.isNegative()) {
                throw new IllegalArgumentException(what + "(" + d + "): must not be negative");
            }
            return io.weft.time.Deadlines.after(0, d); // capped at ~146 years: a duration past long nanos is no error
        }
    }
}
