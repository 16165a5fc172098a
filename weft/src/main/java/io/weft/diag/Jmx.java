package io.weft.diag;

import io.weft.ExecutorMXBean;
import io.weft.ExecutorMetrics;
import io.weft.TaskInfo;
import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.management.InstanceAlreadyExistsException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Registers each executor's {@link ExecutorMXBean}. Starting the platform
 * MBean server takes a tenth of a second of CPU, so registrations and
 * removals are queued to a daemon thread ("weft-jmx", a one-thread
 * ThreadPoolExecutor) that exists only while there is something to do,
 * and that waits one second
 * ({@code -Dweft.jmx.delayMillis}) before it first starts the server: an
 * executor never waits for JMX, and a program that is over within a
 * second (a first try, a benchmark's first round) never pays for it. A name taken twice
 * (two executors named alike) gets {@code -2}, {@code -3}, ... The bean
 * holds its executor weakly.
 */
final class Jmx {
    private static final boolean ON = !"false".equals(System.getProperty("weft.jmx"));
    private static final long DELAY_MILLIS = Long.getLong("weft.jmx.delayMillis", 1000);
    /** One daemon thread, started for queued work and gone a second after the last; in order. */
    private static final ThreadPoolExecutor WORKER = new ThreadPoolExecutor(0, 1, 1, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), r -> Thread.ofPlatform().daemon().name("weft-jmx").unstarted(() -> {
                io.weft.sys.Affinity.unpinHelperThread(); // started by a pinned executor thread: not on its CPU alone
                r.run();
            }));
    /** The worker has waited its first delay (the worker's thread only). */
    private static boolean delayed;

    private Jmx() {
    }

    /** Queues the registration of {@code d}'s bean; null if JMX is off. */
    static Bean register(Registry.Dumpable d) {
        if (!ON) {
            return null;
        }
        Bean b = new Bean(d);
        submit(b::register);
        return b;
    }

    static void unregister(Bean b) {
        submit(b::unregister);
    }

    private static void submit(Runnable r) {
        WORKER.execute(() -> {
            if (!delayed) {
                delayed = true;
                try {
                    Thread.sleep(DELAY_MILLIS); // the first time: a program over within a second never starts JMX
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            try {
                r.run();
            } catch (Throwable e) {
                io.weft.task.Log.get().log(System.Logger.Level.WARNING, "weft: a JMX registration failed", e);
            }
        });
    }

    /** Waits until the registrations and removals queued so far are done (tests). */
    static void awaitIdle() throws InterruptedException {
        try {
            WORKER.submit(() -> { }).get(); // one thread, in order: done after everything queued before it
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One executor's bean: its counters summed over its threads, its dumps. */
    static final class Bean implements ExecutorMXBean {
        private final WeakReference<Registry.Dumpable> executor;
        private final String name;
        private ObjectName registeredAs;
        private boolean gone;

        Bean(Registry.Dumpable d) {
            this.executor = new WeakReference<>(d);
            this.name = d.name();
        }

        /** On the weft-jmx thread. */
        void register() {
            if (gone) {
                return;
            }
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            for (int n = 1; ; n++) {
                try {
                    String value = n == 1 ? name : name + "-" + n;
                    if (!value.matches("[A-Za-z0-9._-]+")) {
                        value = ObjectName.quote(value);
                    }
                    ObjectName on = new ObjectName("io.weft:type=Executor,name=" + value);
                    server.registerMBean(this, on);
                    registeredAs = on;
                    return;
                } catch (InstanceAlreadyExistsException taken) {
                    // another executor has this name: try the next suffix
                } catch (Exception e) {
                    io.weft.task.Log.get().log(System.Logger.Level.WARNING, "weft: executor " + name + " has no MBean", e);
                    return;
                }
            }
        }

        /** On the weft-jmx thread. */
        void unregister() {
            gone = true;
            if (registeredAs != null) {
                try {
                    ManagementFactory.getPlatformMBeanServer().unregisterMBean(registeredAs);
                } catch (Exception e) {
                    io.weft.task.Log.get().log(System.Logger.Level.DEBUG, "weft: MBean " + registeredAs + " was gone", e);
                }
                registeredAs = null;
            }
        }

        private long sum(java.util.function.ToLongFunction<ExecutorMetrics> f) {
            Registry.Dumpable d = executor.get();
            long s = 0;
            if (d != null) {
                for (ExecutorMetrics st : d.metrics()) {
                    s += f.applyAsLong(st);
                }
            }
            return s;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public long getTasksAlive() {
            return sum(ExecutorMetrics::tasksAlive);
        }

        @Override
        public long getTasksSpawned() {
            return sum(ExecutorMetrics::tasksSpawned);
        }

        @Override
        public long getTasksCompleted() {
            return sum(ExecutorMetrics::tasksCompleted);
        }

        @Override
        public long getPolls() {
            return sum(ExecutorMetrics::polls);
        }

        @Override
        public long getParks() {
            return sum(ExecutorMetrics::parks);
        }

        @Override
        public long getRemoteWakes() {
            return sum(ExecutorMetrics::remoteWakes);
        }

        @Override
        public long getBusyNanos() {
            return sum(ExecutorMetrics::busyNanos);
        }

        @Override
        public long getUnparks() {
            return sum(ExecutorMetrics::unparks);
        }

        @Override
        public long getBudgetForcedYields() {
            return sum(ExecutorMetrics::budgetForcedYields);
        }

        @Override
        public long getQueueDepth() {
            return sum(ExecutorMetrics::queueDepth);
        }

        @Override
        public long getSteals() {
            return sum(ExecutorMetrics::steals);
        }

        @Override
        public long getReactorCompletions() {
            return sum(ExecutorMetrics::reactorCompletions);
        }

        private List<TaskInfo> tasks() {
            Registry.Dumpable d = executor.get();
            return d != null ? d.dumpTasks() : List.of();
        }

        @Override
        public String dumpTasks() {
            return TaskInfo.toText(tasks());
        }

        @Override
        public String dumpTasksJson() {
            return TaskInfo.toJson(tasks());
        }
    }
}
