package io.weft;

import io.weft.coro.Coroutines;
import io.weft.diag.DiagnosticSettings;
import io.weft.diag.TaskDumps;
import io.weft.executor.ExecutorCore;
import io.weft.executor.ShutdownSteps;
import io.weft.executor.Worker;
import io.weft.sys.Affinity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Thread per core: {@code n} {@link LocalExecutor}s, each on a thread of its
 * own, placed on CPUs by a {@link Placement} (glommio's
 * {@code LocalExecutorPoolBuilder}). Each executor has its own task queues,
 * timers and reactor, and its tasks never move; work reaches an executor
 * through {@link #spawnOn}, from any thread, and executors talk through
 * channels (see {@code io.weft.sync}).
 *
 * <pre>{@code
 * try (var pool = LocalExecutorPool.builder().executors(2).placement(Placement.maxSpread()).build()) {
 *     List<Integer> each = pool.spawnOnEach(() -> Weft.executorIndex() * 10)
 *             .stream().map(JoinHandle::await).toList();     // [0, 10]
 * }
 * }</pre>
 *
 * <h2>Threads and placement</h2>
 * {@link Builder#build()} starts one platform thread per executor, named
 * {@code <name>-<i>}. Each thread pins itself to its CPUs first, then builds
 * its executor, so the executor's memory is allocated where it will run
 * (first touch on a NUMA machine), then runs its loop until the pool closes.
 * {@code build()} returns once every executor runs; the placement chosen is
 * logged once (System.Logger "io.weft", INFO) and given by {@link #cpus()}.
 *
 * <h2>Shutting down</h2>
 * {@link #close()} cancels what is left on every executor (every
 * {@code finally} runs), then joins the threads; the reactors and every
 * descriptor they own are closed. {@link #shutdown(Duration)} first stops
 * taking work from outside ({@link #spawnOn} throws
 * RejectedExecutionException; tasks may still spawn helpers), waits up to
 * the grace for every task on every executor, then closes, and says whether
 * all finished in time (a shutdown after a close answers at once: false if
 * the close cancelled a task). Both are idempotent and work from any thread,
 * including from a task of the pool: that task waits by suspending (its
 * executor keeps running its other tasks), the call returns once the other
 * executors have stopped, and the task's own executor stops when the task
 * ends. Only the first task to ask is spared that way: another task of the
 * pool that closes it meanwhile is cancelled with the rest (its call throws
 * TaskCancelledException).
 *
 * <h2>Failures</h2>
 * A task that throws on one executor never hurts the others. A failure
 * nobody awaited goes to the pool's handler, named
 * {@code <executor name>/<task name>} (default: one WARNING per failure).
 */
public final class LocalExecutorPool implements AutoCloseable {
    private static final AtomicInteger SEQ = new AtomicInteger();

    private final String name;
    private final List<LocalExecutor> executors;
    private final List<Thread> threads;
    private final List<int[]> cpus;
    private final Object shutdownLock = new Object();
    private volatile Boolean shutdownResult;
    /** A task of the pool that closes it has been spared by its executor's close (see {@link #stop}). */
    private final java.util.concurrent.atomic.AtomicBoolean spared = new java.util.concurrent.atomic.AtomicBoolean();

    private LocalExecutorPool(String name, List<LocalExecutor> executors, List<Thread> threads, List<int[]> cpus) {
        this.name = name;
        this.executors = executors;
        this.threads = threads;
        this.cpus = cpus;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The number of executors. */
    /**
     * Every live task of every executor of the pool, the executors'
     * loops answering at once (see {@link LocalExecutor#dumpTasks()}).
     */
    public List<TaskInfo> dumpTasks() {
        List<TaskDumps.Site> sites = new ArrayList<>(executors.size());
        for (LocalExecutor ex : executors) {
            sites.add(ex.core().dumpSite());
        }
        return TaskDumps.dumpAll(sites);
    }

    /** tokio's runtime metrics, one entry per executor (any thread); see {@link ExecutorMetrics}. */
    public List<ExecutorMetrics> metrics() {
        List<ExecutorMetrics> out = new ArrayList<>(executors.size());
        for (LocalExecutor ex : executors) {
            out.add(ex.metrics());
        }
        return out;
    }

    public int size() {
        return executors.size();
    }

    /** The pool's name: its threads and executors are {@code <name>-<i>}. */
    public String name() {
        return name;
    }

    /** The CPUs each executor may run on (an empty array: not pinned), by executor index. */
    public List<int[]> cpus() {
        return Placement.copies(cpus);
    }

    /**
     * Spawns {@code body} as a coroutine task on executor {@code executor},
     * from any thread or task. The handle is awaitable anywhere: in a task of
     * any executor (the wake crosses executors through the remote queue) and
     * on a plain thread (which blocks). Throws IndexOutOfBoundsException for a
     * bad index and RejectedExecutionException once shutdown began.
     */
    public <T> JoinHandle<T> spawnOn(int executor, Callable<T> body) {
        if (executor < 0 || executor >= executors.size()) {
            throw new IndexOutOfBoundsException("spawnOn(" + executor + "): the pool " + name + " has executors 0.."
                    + (executors.size() - 1));
        }
        return executors.get(executor).spawn(body);
    }

    /** {@link #spawnOn} of {@code body} on every executor; the handles by executor index. */
    public <T> List<JoinHandle<T>> spawnOnEach(Callable<T> body) {
        List<JoinHandle<T>> out = new ArrayList<>(executors.size());
        for (int i = 0; i < executors.size(); i++) {
            out.add(spawnOn(i, body));
        }
        return out;
    }

    /** See the class docs: cancels what is left, stops every executor, joins the threads. */
    @Override
    public void close() {
        stop(null);
    }

    /** See the class docs: no new work from outside, up to {@code grace} for the tasks, then close. */
    public boolean shutdown(Duration grace) {
        if (grace == null) {
            throw new NullPointerException("grace");
        }
        stop(grace);
        return shutdownResult;
    }

    private void stop(Duration grace) {
        Worker here = Worker.currentOrNull();
        Worker mine = null;
        for (LocalExecutor ex : executors) {
            if (ex.core() == here) {
                mine = here;
            }
        }
        boolean inTask = mine != null && Coroutines.currentTask() != null;
        if (mine != null && !inTask) {
            throw new IllegalStateException("the pool " + name + " was stopped from executor " + mine.name()
                    + "'s thread outside a coroutine task: call it from a task, or from another thread");
        }
        if (grace != null) {
            boolean inTime = drain(grace, mine, inTask);
            synchronized (shutdownLock) {
                if (shutdownResult == null) {
                    shutdownResult = inTime;
                }
            }
        }
        // One task of the pool at most is spared by its executor's close, the first to ask: two spared tasks on
        // two executors would each wait for the other's executor to stop, for ever. A later one is cancelled.
        boolean spare = inTask && spared.compareAndSet(false, true);
        List<CompletableFuture<Void>> closed = new ArrayList<>();
        for (LocalExecutor ex : executors) {
            ExecutorCore c = ex.core();
            closed.add(ShutdownSteps.beginClose(c, spare && c == mine)); // spared: ends when that task does
        }
        for (int i = 0; i < executors.size(); i++) {
            ExecutorCore c = executors.get(i).core();
            if (c != mine) {
                waitFor(c, closed.get(i), Long.MAX_VALUE, inTask);
            }
        }
        if (!inTask) {
            LocalExecutor.joinAll(threads);
        }
    }

    /** Stops outside work everywhere, then waits for every executor's tasks until the one deadline. */
    private boolean drain(Duration grace, Worker mine, boolean inTask) {
        long deadline = ShutdownSteps.deadline(grace);
        List<CompletableFuture<Void>> quiet = new ArrayList<>();
        for (LocalExecutor ex : executors) {
            ExecutorCore c = ex.core();
            quiet.add(ShutdownSteps.beginShutdown(c, c == mine));
        }
        io.weft.task.Task<?> me = inTask ? Coroutines.currentTask() : null;
        if (me != null) {
            ShutdownSteps.waitingInShutdown((ExecutorCore) mine, me, true); // no executor's drain waits for it
        }
        try {
            boolean all = true;
            for (int i = 0; i < executors.size(); i++) {
                ExecutorCore c = executors.get(i).core();
                all &= waitFor(c, quiet.get(i), deadline, inTask) && !ShutdownSteps.closeCancelled(c);
            }
            return all;
        } finally {
            if (me != null) {
                ShutdownSteps.waitingInShutdown((ExecutorCore) mine, me, false);
            }
        }
    }

    /** Waits for {@code f}: a task suspends (its executor goes on), a plain thread blocks. */
    private static boolean waitFor(ExecutorCore c, CompletableFuture<Void> f, long deadline, boolean inTask) {
        return inTask ? ShutdownSteps.awaitInTask(f, deadline) : ShutdownSteps.awaitOutside(c, f, deadline);
    }

    @Override
    public String toString() {
        return "LocalExecutorPool[" + name + ", " + executors.size() + " executors]";
    }

    /** Settings of a new pool. */
    public static final class Builder {
        private int executors = Math.max(1, io.weft.sys.ProcessCpus.count()); // the process's, not this thread's
        private Placement placement = Placement.unbound();
        private String name;
        private Driver driver;
        private Consumer<LocalExecutor.Builder> configure = b -> { };
        private BiConsumer<String, Throwable> onUnobservedFailure;
        /** Given to every executor's builder. */
        private final DiagnosticSettings diag = new DiagnosticSettings();

        private Builder() {
        }

        /** Every executor records its poll times, as {@link LocalExecutor.Builder#pollTimeHistogram()}. */
        public Builder pollTimeHistogram() {
            diag.pollTimeHistogram();
            return this;
        }

        /** Stall detection on every executor, as {@link LocalExecutor.Builder#detectStalls(Duration)}. */
        public Builder detectStalls(Duration threshold) {
            diag.detectStalls(threshold);
            return this;
        }

        /** Stall detection on every executor with glommio's default threshold ({@link LocalExecutor.Builder#detectStalls()}). */
        public Builder detectStalls() {
            diag.detectStalls();
            return this;
        }

        /** Where the stall reports of every executor go (on the watchdog thread); default: a WARNING. */
        public Builder onStall(Consumer<Stall> handler) {
            diag.onStall(handler);
            return this;
        }

        /** How many executors (default: the CPUs this process may use). */
        public Builder executors(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("a pool needs at least one executor, asked for " + n);
            }
            this.executors = n;
            return this;
        }

        /** Where the executors run (default {@link Placement#unbound()}). */
        public Builder placement(Placement p) {
            if (p == null) {
                throw new NullPointerException("placement");
            }
            this.placement = p;
            return this;
        }

        /** The prefix of the threads' and executors' names (default {@code weft-pool-<n>}). */
        public Builder name(String prefix) {
            if (prefix == null || prefix.isBlank()) {
                throw new IllegalArgumentException("pool name must not be blank");
            }
            this.name = prefix;
            return this;
        }

        /** The I/O driver of every executor (default as {@link LocalExecutor.Builder#driver}). */
        public Builder driver(Driver d) {
            if (d == null) {
                throw new NullPointerException("driver");
            }
            this.driver = d;
            return this;
        }

        /**
         * The rest of each executor's settings (spinBeforePark, preemptTimer,
         * clock, ...), applied to every executor's builder. Name, driver,
         * pinning and the failure handler are the pool's. Diagnostics
         * (detectStalls, onStall, pollTimeHistogram) set here go on top of
         * the pool's own.
         */
        public Builder configure(Consumer<LocalExecutor.Builder> c) {
            if (c == null) {
                throw new NullPointerException("configure");
            }
            this.configure = c;
            return this;
        }

        /** Where failures nobody awaited go, from every executor: (executor/task name, what it threw). */
        public Builder onUnobservedFailure(BiConsumer<String, Throwable> handler) {
            if (handler == null) {
                throw new NullPointerException("handler");
            }
            this.onUnobservedFailure = handler;
            return this;
        }

        /**
         * Places the executors, starts their threads and returns once every
         * executor runs. Throws IllegalArgumentException for a placement this
         * process cannot have (see {@link Placement}).
         */
        public LocalExecutorPool build() {
            String prefix = name != null ? name : "weft-pool-" + SEQ.incrementAndGet();
            List<int[]> assigned = placement.assignHere(executors);
            List<LocalExecutor> built = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            AtomicReference<Throwable> failed = new AtomicReference<>();
            CountDownLatch ready = new CountDownLatch(executors);
            LocalExecutor[] slots = new LocalExecutor[executors];
            for (int i = 0; i < executors; i++) {
                int index = i;
                String exName = prefix + "-" + i;
                Thread t = new Thread(() -> {
                    LocalExecutor ex;
                    try {
                        if (assigned.get(index).length > 0) {
                            Affinity.set(assigned.get(index)); // first: the executor allocates on its CPUs
                        }
                        LocalExecutor.Builder b = LocalExecutor.builder();
                        diag.copyTo(b.diag); // the pool's diagnostics first: what configure sets goes on them
                        configure.accept(b);
                        b.name(exName);
                        if (driver != null) {
                            b.driver(driver);
                        }
                        if (onUnobservedFailure != null) {
                            b.onUnobservedFailure((task, error) -> onUnobservedFailure.accept(exName + "/" + task, error));
                        }
                        ex = b.build();
                        ex.core().poolIndex(index);
                        slots[index] = ex;
                    } catch (Throwable e) {
                        failed.compareAndSet(null, e);
                        ready.countDown();
                        return;
                    }
                    ready.countDown();
                    ex.core().runOwnLoop();
                }, exName);
                threads.add(t);
                t.start();
            }
            boolean interrupted = false;
            while (true) {
                try {
                    ready.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            for (LocalExecutor ex : slots) {
                if (ex != null) {
                    built.add(ex);
                }
            }
            LocalExecutorPool pool = new LocalExecutorPool(prefix, List.copyOf(built), List.copyOf(threads), assigned);
            if (failed.get() != null) {
                pool.close();
                throw new IllegalStateException("pool " + prefix + ": an executor failed to start: " + failed.get(),
                        failed.get());
            }
            io.weft.task.Log.get().log(System.Logger.Level.INFO, "pool " + prefix + ": " + executors + " executor(s), placement "
                    + placement + " (" + Placement.describe(assigned) + ")");
            return pool;
        }
    }
}
