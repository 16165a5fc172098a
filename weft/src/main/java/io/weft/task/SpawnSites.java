package io.weft.task;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Where each task was spawned, kept only with {@code -Dweft.debug.spawnSite=true}
 * (kotlinx-coroutines' debug probes do the same): a task dump then shows,
 * under each task, the code that spawned it. Off, nothing is recorded and
 * a task carries no field for it; on, each spawn takes a stack trace (a
 * few microseconds) and a weak map entry.
 */
public final class SpawnSites {
    /** Read once: the JIT folds the check away when off. */
    public static final boolean ON = Boolean.getBoolean("weft.debug.spawnSite");
    private static final Map<Task<?>, StackTraceElement[]> SITES = Collections.synchronizedMap(new WeakHashMap<>());
    private static final StackTraceElement[] NONE = new StackTraceElement[0];

    private SpawnSites() {
    }

    /** Records the caller's stack as {@code t}'s spawn site, cut below weft's own frames. */
    static void record(Task<?> t) {
        StackTraceElement[] all = new Throwable().getStackTrace();
        int top = 0;
        for (int i = 0; i < all.length; i++) {
            if (isRuntime(all[i].getClassName())) {
                top = i + 1; // the last of the runtime's frames on top: the caller's code starts below
            } else if (top > 0) {
                break;
            }
        }
        SITES.put(t, Arrays.copyOfRange(all, top, all.length));
    }

    /** Where {@code t} was spawned, innermost first; empty if it was not recorded. */
    public static StackTraceElement[] of(Task<?> t) {
        if (!ON) {
            return NONE;
        }
        StackTraceElement[] s = SITES.get(t);
        return s != null ? s : NONE;
    }

    private static boolean isRuntime(String c) {
        return c.startsWith("io.weft.task.") || c.startsWith("io.weft.coro.") || c.startsWith("io.weft.executor.")
                || c.startsWith("io.weft.steal.") || c.startsWith("io.weft.blocking.") || c.equals("io.weft.Weft")
                || c.equals("io.weft.LocalExecutor") || c.equals("io.weft.LocalExecutorPool")
                || c.equals("io.weft.StealingExecutor") || c.equals("io.weft.TaskScope")
                || c.equals("io.weft.JoinSet");
    }
}
