package io.weft;

import io.weft.executor.Worker;
import java.util.concurrent.Callable;

/**
 * The executor kinds a suite of tasks, timers, sync or composition runs on
 * (the runtime's rule: every executor kind, one behaviour). A suite takes
 * them with {@code @ParameterizedClass @EnumSource(ExecutorKind.class)} and
 * runs its roots with {@code kind.open()} and {@link Running#run}.
 *
 * <p>Which assertions hold where: on {@link #LOCAL}, {@link #POOL} and
 * {@link #STEALING_1} a task and the tasks it spawns share one thread, so a
 * test may rely on "the children ran while I yielded". On
 * {@link #STEALING_2} a child may run on the other worker at the same time
 * as its parent: a test that orders events by yields runs on the
 * {@link #SAME_THREAD} kinds only, and says so. A method takes a kind with
 * {@link EveryKind} or {@link SameThreadKinds}. Even where they share a
 * thread, ready tasks do not run in FIFO order everywhere: a StealingExecutor
 * runs the task most recently spawned or woken by a task right after it
 * (tokio's LIFO slot), so a test that needs its children waiting somewhere
 * yields until they are.
 */
public enum ExecutorKind {
    /** A LocalExecutor run by the test's thread. */
    LOCAL,
    /** A pool of two executors; the root runs on executor 1, the test's thread waits from outside. */
    POOL,
    /** A StealingExecutor with one worker. */
    STEALING_1,
    /** A StealingExecutor with two workers: children may be stolen and run beside their parent. */
    STEALING_2;

    /** The kinds on which a task's children run on its thread. */
    public static final String SAME_THREAD = "LOCAL, POOL, STEALING_1";

    /** An executor of this kind, started; close it. */
    public Running open() {
        return open(new Settings(null, null, null));
    }

    /**
     * An executor of this kind whose failures nobody awaited go to
     * {@code onUnobservedFailure} (task name, error; null: the default, a
     * warning), started; close it.
     */
    public Running open(java.util.function.BiConsumer<String, Throwable> onUnobservedFailure) {
        return open(new Settings(onUnobservedFailure, null, null));
    }

    /**
     * What a test may set on an executor of any kind (null: the default):
     * the unobserved-failure handler, stall detection and its handler.
     */
    public record Settings(java.util.function.BiConsumer<String, Throwable> onUnobservedFailure,
                           java.time.Duration stallThreshold, java.util.function.Consumer<Stall> onStall,
                           boolean pollTimeHistogram) {
        public Settings(java.util.function.BiConsumer<String, Throwable> onUnobservedFailure,
                        java.time.Duration stallThreshold, java.util.function.Consumer<Stall> onStall) {
            this(onUnobservedFailure, stallThreshold, onStall, false);
        }

        /** Gives what is set to a builder of any kind, through its setters. */
        void applyTo(java.util.function.Consumer<java.util.function.BiConsumer<String, Throwable>> failures,
                     java.util.function.Consumer<java.time.Duration> stalls,
                     java.util.function.Consumer<java.util.function.Consumer<Stall>> stallHandler,
                     Runnable histogram) {
            if (onUnobservedFailure != null) {
                failures.accept(onUnobservedFailure);
            }
            if (stallThreshold != null) {
                stalls.accept(stallThreshold);
            }
            if (onStall != null) {
                stallHandler.accept(onStall);
            }
            if (pollTimeHistogram) {
                histogram.run();
            }
        }
    }

    /** An executor of this kind with {@code s}, started; close it. */
    public Running open(Settings s) {
        return switch (this) {
            case LOCAL -> {
                LocalExecutor.Builder b = LocalExecutor.builder();
                s.applyTo(b::onUnobservedFailure, b::detectStalls, b::onStall, b::pollTimeHistogram);
                LocalExecutor ex = b.build();
                yield new Running() {
                    @Override
                    public <T> T run(Callable<T> root) {
                        return ex.run(root);
                    }

                    @Override
                    public java.util.List<TaskInfo> dumpTasks() {
                        return ex.dumpTasks();
                    }

                    @Override
                    public java.util.List<ExecutorMetrics> metrics() {
                        return java.util.List.of(ex.metrics());
                    }

                    @Override
                    public void close() {
                        ex.close();
                    }
                };
            }
            case POOL -> {
                LocalExecutorPool.Builder b = LocalExecutorPool.builder().name("kind-pool").executors(2);
                s.applyTo(b::onUnobservedFailure, b::detectStalls, b::onStall, b::pollTimeHistogram);
                LocalExecutorPool pool = b.build();
                yield new Running() {
                    @Override
                    public <T> T run(Callable<T> root) {
                        return unwrapped(pool.spawnOn(1, root));
                    }

                    @Override
                    public java.util.List<TaskInfo> dumpTasks() {
                        return pool.dumpTasks();
                    }

                    @Override
                    public java.util.List<ExecutorMetrics> metrics() {
                        return pool.metrics();
                    }

                    @Override
                    public void close() {
                        pool.close();
                    }
                };
            }
            case STEALING_1, STEALING_2 -> {
                StealingExecutor.Builder b = StealingExecutor.builder().name("kind-steal")
                        .workers(this == STEALING_1 ? 1 : 2);
                s.applyTo(b::onUnobservedFailure, b::detectStalls, b::onStall, b::pollTimeHistogram);
                StealingExecutor ex = b.build();
                yield new Running() {
                    @Override
                    public <T> T run(Callable<T> root) {
                        return ex.blockOn(root);
                    }

                    @Override
                    public java.util.List<TaskInfo> dumpTasks() {
                        return ex.dumpTasks();
                    }

                    @Override
                    public java.util.List<ExecutorMetrics> metrics() {
                        return ex.metrics();
                    }

                    @Override
                    public void close() {
                        ex.close();
                    }
                };
            }
        };
    }

    /** A started executor: runs roots and waits for them on the calling thread. */
    public interface Running extends AutoCloseable {
        /**
         * Runs {@code root} as a task and returns its value; what it throws is
         * rethrown as {@link LocalExecutor#run} does (unchecked as it is, checked
         * as the cause of a {@link TaskFailedException}).
         */
        <T> T run(Callable<T> root);

        /** Every live task of the executor ({@code dumpTasks()} of its kind); any thread. */
        java.util.List<TaskInfo> dumpTasks();

        /** The metrics of each of its threads ({@code metrics()} of its kind); any thread. */
        java.util.List<ExecutorMetrics> metrics();

        /** Runs {@code root} as a poll-based task of its own; its value, or what it threw, as {@link #run(Callable)}. */
        default <T> T run(Future<T> root) {
            return run(() -> unwrapped(Weft.spawn(root)));
        }

        /** Tasks left on the executor (asked by a task of its own, which it does not count). */
        default int liveTasks() {
            return run(() -> ExecutorKind.liveTasks() - 1);
        }

        @Override
        void close();
    }

    /** Tasks spawned and not finished on the executor running the calling task, whatever its kind. */
    public static int liveTasks() {
        Object facade = Worker.current("ExecutorKind.liveTasks").facade();
        if (facade instanceof LocalExecutor ex) {
            return ex.liveTasks();
        }
        if (facade instanceof StealingExecutor ex) {
            return ex.liveTasks();
        }
        throw new AssertionError("an executor of an unknown kind: " + facade);
    }

    /** What {@code h} gives, awaited here; what it threw rethrown as {@link StealingExecutor#blockOn} does. */
    private static <T> T unwrapped(JoinHandle<T> h) {
        try {
            return h.await();
        } catch (TaskFailedException f) {
            throw TaskFailedException.rootFailure(f);
        }
    }
}
