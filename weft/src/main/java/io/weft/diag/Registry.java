package io.weft.diag;

import io.weft.ExecutorMetrics;
import io.weft.TaskInfo;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

/**
 * The executors of this process, for {@code Weft.dumpAllTasks()}: each
 * executor registers when it is made and leaves when it closes. Held
 * weakly, so an executor dropped without a close is not kept alive by it.
 */
public final class Registry {
    /** An executor that can dump its tasks. */
    public interface Dumpable {
        /** The executor's name (its MBean's). */
        String name();

        List<TaskInfo> dumpTasks();

        /** Its metrics now, one entry per executor thread (a StealingExecutor's workers each). */
        List<ExecutorMetrics> metrics();
    }

    /** The counters of every executor of the process that is not closed. */
    static List<ExecutorMetrics> metrics() {
        List<ExecutorMetrics> all = new ArrayList<>();
        for (Dumpable d : live()) {
            all.addAll(d.metrics());
        }
        return all;
    }

    private static List<Dumpable> live() {
        List<Dumpable> live = new ArrayList<>();
        synchronized (ALL) {
            for (WeakReference<Dumpable> r : ALL) {
                Dumpable d = r.get();
                if (d != null) {
                    live.add(d);
                }
            }
        }
        return live;
    }

    private static final List<WeakReference<Dumpable>> ALL = new ArrayList<>();
    /** Under ALL's monitor: each executor's MBean (which holds its executor weakly). */
    private static final java.util.WeakHashMap<Dumpable, Jmx.Bean> BEANS = new java.util.WeakHashMap<>();

    private Registry() {
    }

    public static void add(Dumpable d) {
        WeftEvents.init(); // JFR's listener: weft's events follow the recordings from now on
        synchronized (ALL) {
            ALL.removeIf(r -> r.get() == null);
            ALL.add(new WeakReference<>(d));
            Jmx.Bean b = Jmx.register(d);
            if (b != null) {
                BEANS.put(d, b);
            }
        }
    }

    /** The executor has closed: out of dumps, its MBean unregistered. */
    public static void remove(Dumpable d) {
        synchronized (ALL) {
            ALL.removeIf(r -> r.get() == null || r.get() == d);
            Jmx.Bean b = BEANS.remove(d);
            if (b != null) {
                Jmx.unregister(b);
            }
        }
    }

    /** Waits until the MBeans of the executors made or closed so far are registered or gone (tests). */
    public static void awaitJmx() throws InterruptedException {
        Jmx.awaitIdle();
    }

    /** Every live task of every executor in the process that is not closed. */
    public static List<TaskInfo> dumpAll() {
        List<TaskInfo> all = new ArrayList<>();
        for (Dumpable d : live()) {
            all.addAll(d.dumpTasks());
        }
        return all;
    }
}
