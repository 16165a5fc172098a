package io.weft.diag;

import io.weft.ExecutorMetrics;
import io.weft.TaskInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.WeakHashMap;

/**
 * The executors of this process, for {@code Weft.dumpAllTasks()}, the
 * periodic JFR event and their MBeans: each executor registers when it is
 * made and leaves when it closes. Held weakly, so an executor dropped
 * without a close is not kept alive by it.
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

    /** Every open executor, with its MBean (null with JMX off; the bean holds its executor weakly). Under its monitor. */
    private static final WeakHashMap<Dumpable, Jmx.Bean> OPEN = new WeakHashMap<>();

    private Registry() {
    }

    public static void add(Dumpable d) {
        WeftEvents.init(); // JFR's listener: weft's events follow the recordings from now on
        synchronized (OPEN) {
            OPEN.put(d, Jmx.register(d));
        }
    }

    /** The executor has closed: out of dumps, its MBean unregistered. */
    public static void remove(Dumpable d) {
        Jmx.Bean b;
        synchronized (OPEN) {
            b = OPEN.remove(d);
        }
        if (b != null) {
            Jmx.unregister(b);
        }
    }

    private static List<Dumpable> open() {
        synchronized (OPEN) {
            return new ArrayList<>(OPEN.keySet());
        }
    }

    /** The counters of every executor of the process that is not closed. */
    static List<ExecutorMetrics> metrics() {
        List<ExecutorMetrics> all = new ArrayList<>();
        for (Dumpable d : open()) {
            all.addAll(d.metrics());
        }
        return all;
    }

    /** Every live task of every executor in the process that is not closed. */
    public static List<TaskInfo> dumpAll() {
        List<TaskInfo> all = new ArrayList<>();
        for (Dumpable d : open()) {
            all.addAll(d.dumpTasks());
        }
        return all;
    }

    /** Waits until the MBeans of the executors made or closed so far are registered or gone (tests). */
    public static void awaitJmx() throws InterruptedException {
        Jmx.awaitIdle();
    }
}
