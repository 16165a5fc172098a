package io.weft;

import io.weft.executor.ExecutorCore;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * One thread's executor: its task queues, its timers, and the loop that runs
 * them. {@link #run} borrows the calling thread for the loop until the root
 * task finishes; tasks left when it returns stay and continue in the next
 * {@code run}, or are cancelled by {@link #close()}.
 *
 * <pre>{@code
 * try (var ex = LocalExecutor.create()) {
 *     int n = ex.run(() -> Weft.spawn(() -> 6 * 7).await());
 * }
 * }</pre>
 */
public final class LocalExecutor implements AutoCloseable, java.util.concurrent.Executor {
    private static final AtomicInteger SEQ = new AtomicInteger();

    private final ExecutorCore core;

    private LocalExecutor(Builder b) {
        String name = b.name != null ? b.name : "weft-" + SEQ.incrementAndGet();
        this.core = new ExecutorCore(this, name, b.pinCpu, b.spinNanos, b.preemptNanos, b.onUnobservedFailure,
                b.clock, b.driver);
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
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
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

    /** Cancels every task that is left (their {@code finally} blocks run) and closes; idempotent. */
    @Override
    public void close() {
        core.close();
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

        private Builder() {
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

        /** How long an idle loop spins looking for work before it parks (default 0). */
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

        public LocalExecutor build() {
            return new LocalExecutor(this);
        }

        private static long nonNegative(Duration d, String what) {
            if (d == null) {
                throw new NullPointerException(what);
            }
            if (d.isNegative()) {
                throw new IllegalArgumentException(what + "(" + d + "): must not be negative");
            }
            return d.toNanos();
        }
    }
}
