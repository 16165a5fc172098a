package io.weft.diag;

import io.weft.ExecutorMetrics;
import io.weft.TaskInfo;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.WeakHashMap;

/**
 * The executors of this process, for {@code Weft.dumpAllTasks()}, the
 * periodic JFR event and their MBeans: each executor registers when it is
 * made and leaves when it closes. Held weakly, so an executor dropped
 * without a close is not kept alive by it; its MBean is unregistered at the
 * registry's next use after the executor is collected.
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

    /**
     * Every open executor, with its entry: a weak reference to it, queued on
     * {@link #COLLECTED} once the executor is collected, holding its MBean
     * (null with JMX off; the bean holds its executor weakly). Under its monitor.
     */
    private static final WeakHashMap<Dumpable, Entry> OPEN = new WeakHashMap<>();
    /** Entries of executors dropped without a close and collected: their MBeans go at the registry's next use. */
    private static final ReferenceQueue<Dumpable> COLLECTED = new ReferenceQueue<>();

    private static final class Entry extends WeakReference<Dumpable> {
        final Jmx.Bean bean;

        Entry(Dumpable d, Jmx.Bean bean) {
            super(d, COLLECTED);
            this.bean = bean;
        }
    }

    private Registry() {
    }

    public static void add(Dumpable d) {
        WeftEvents.init(); // JFR's listener: weft's events follow the recordings from now on
        unregisterCollected();
        synchronized (OPEN) {
            OPEN.put(d, new Entry(d, Jmx.register(d)));
        }
    }

    /** The executor has closed: out of dumps, its MBean unregistered. */
    public static void remove(Dumpable d) {
        Entry e;
        synchronized (OPEN) {
            e = OPEN.remove(d);
        }
        if (e != null) {
            e.clear(); // a cleared reference is never queued: its bean goes here, once
            if (e.bean != null) {
                Jmx.unregister(e.bean);
            }
        }
        unregisterCollected();
    }

    /** Unregisters the MBeans of executors dropped without a close and collected since the last look. */
    private static void unregisterCollected() {
        for (Reference<? extends Dumpable> r; (r = COLLECTED.poll()) != null; ) {
            Jmx.Bean b = ((Entry) r).bean;
            if (b != null) {
                Jmx.unregister(b);
            }
        }
    }

    private static List<Dumpable> open() {
        unregisterCollected();
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
