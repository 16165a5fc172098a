package io.weft.diag;

import io.weft.TaskInfo;
import io.weft.coro.StackFrames;
import io.weft.task.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Task dumps. A suspended task's frames are read only on the thread that
 * runs it, between polls, where it cannot resume during the read (reading
 * a continuation while it runs or resumes can crash the JVM): a dump asked
 * for from elsewhere is posted to each executor thread's loop as a
 * {@link Request}, which the loop answers between two polls. A loop that
 * does not answer in time (a task that never yields holds it) gets a dump
 * of what can be seen from outside: the task it polls, with its thread's
 * stack.
 */
public final class TaskDumps {
    /** How long a dump waits for an executor thread to answer before it takes what it can see from outside. */
    public static final long ANSWER_NANOS = 250_000_000L;

    private TaskDumps() {
    }

    /** One executor thread's side of a dump. */
    public interface Site {
        /** The name dumps give the executor (a worker's name on a StealingExecutor). */
        String dumpName();

        /** Its poll probe: the task it polls now, and its loop thread. */
        PollProbe probe();

        /** Whether the calling thread is this site's loop thread. */
        boolean onLoopThread();

        /** Loop thread: adds a {@link TaskInfo} for each live task here ({@link Collector#add}). */
        void collect(Collector out);

        /**
         * The task this site's thread polls now, as another thread can see
         * it (a racy read at worst), or null if it cannot be told; the
         * default: the probe's, set while polls are timed.
         */
        default Task<?> pollingSeenFromOutside() {
            return probe().polling();
        }

        /**
         * Has the loop run {@code r} soon, between two polls; false if no loop
         * runs and none can (closed). A site whose loop runs only while a
         * caller drives it (a LocalExecutor's {@code run}) runs {@code r} on
         * the calling thread, as the loop, when none runs.
         */
        boolean post(Runnable r);
    }

    /** Adds tasks to a dump: each at most once, in the order given. */
    public static final class Collector {
        private final Site site;
        private final long now = System.nanoTime();
        private final Task<?> running;
        private final List<TaskInfo> out = new ArrayList<>();
        private final Set<Task<?>> seen = Collections.newSetFromMap(new IdentityHashMap<>());

        Collector(Site site, Task<?> running) {
            this.site = site;
            this.running = running;
        }

        /** Adds {@code t} (on the site's loop thread) unless it is in already; its state from its state word. */
        public void add(Task<?> t) {
            if (t.isFinished() || !seen.add(t)) {
                return;
            }
            TaskInfo.State state;
            StackTraceElement[] stack;
            if (t == running) {
                state = TaskInfo.State.RUNNING;
                stack = ownStack();
            } else {
                state = (t.state() & Task.NOTIFIED) != 0 ? TaskInfo.State.QUEUED : TaskInfo.State.SUSPENDED;
                stack = t.suspendedStack();
            }
            out.add(info(t, site.dumpName(), state, now, stack));
        }
    }

    /** Dumps one site: on its loop thread at once, else through its loop (see the class comment). */
    public static List<TaskInfo> dump(Site site) {
        return dumpAll(List.of(site));
    }

    /** Dumps several sites (a pool's executors, a StealingExecutor's workers), their loops answering at once. */
    public static List<TaskInfo> dumpAll(List<? extends Site> sites) {
        List<Request> asked = new ArrayList<>(sites.size());
        List<TaskInfo> all = new ArrayList<>();
        List<TaskInfo> mine = null;
        List<String> refused = null; // of several: the ones whose loop this thread cannot take, left out
        for (Site s : sites) {
            if (s.onLoopThread()) {
                Collector c = new Collector(s, io.weft.coro.Coroutines.currentTask()); // the caller's task runs
                s.collect(c);
                mine = c.out;
                continue;
            }
            Request r = new Request(s);
            try {
                if (s.post(r)) {
                    asked.add(r);
                }
            } catch (IllegalStateException cannot) { // its loop is free, and this thread cannot take it
                if (sites.size() == 1) {
                    throw cannot;
                }
                (refused == null ? refused = new ArrayList<>(1) : refused).add(cannot.getMessage());
            }
        }
        if (refused != null) {
            io.weft.task.Log.get().log(System.Logger.Level.WARNING, "a task dump leaves out "
                    + String.join("; ", refused));
        }
        long deadline = System.nanoTime() + ANSWER_NANOS;
        for (Request r : asked) {
            all.addAll(r.await(deadline));
        }
        if (mine != null) {
            all.addAll(0, mine);
        }
        return all;
    }

    /** A dump asked of a loop: it collects when the loop runs it, unless the asker has given up. */
    private static final class Request implements Runnable {
        private final Site site;
        private final CountDownLatch done = new CountDownLatch(1);
        private volatile boolean abandoned;
        private List<TaskInfo> result = List.of();

        Request(Site site) {
            this.site = site;
        }

        @Override
        public void run() {
            if (abandoned) {
                return;
            }
            Collector c = new Collector(site, null); // between polls: nothing of this loop runs now
            site.collect(c);
            result = c.out;
            done.countDown();
        }

        List<TaskInfo> await(long deadline) {
            try {
                if (done.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    return result;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            abandoned = true;
            return seenFromOutside(site);
        }
    }

    /**
     * What a dump sees of a loop that does not answer: the task it polls,
     * with its thread's stack. Where only its id can be seen (a
     * LocalExecutor without stall detection), the entry has the id, no
     * name, and the queue {@code ?}.
     */
    private static List<TaskInfo> seenFromOutside(Site site) {
        PollProbe p = site.probe();
        Task<?> t = site.pollingSeenFromOutside();
        long id = t != null ? t.id() : p.pollingId();
        Thread th = p.thread();
        if ((t == null && id == 0) || th == null) {
            return List.of();
        }
        StackTraceElement[] stack = StackFrames.ofRunningTask(th.getStackTrace());
        if (t != null ? site.pollingSeenFromOutside() != t : p.pollingId() != id) {
            stack = new StackTraceElement[0]; // it yielded meanwhile: the stack may be another poll's
        }
        if (t == null) {
            return List.of(new TaskInfo(id, null, site.dumpName(), "?", TaskInfo.State.RUNNING, Duration.ZERO, 0,
                    stack));
        }
        return List.of(info(t, site.dumpName(), TaskInfo.State.RUNNING, System.nanoTime(), stack));
    }

    /**
     * The name of {@code t}'s task queue, or null where it has none (a task
     * of a StealingExecutor, whose {@code queue} is its home worker, or one
     * not yet taken in). Read from another thread it may be stale.
     */
    static String taskQueueName(Task<?> t) {
        return t.queue instanceof io.weft.TaskQueueHandle q ? q.name() : null;
    }

    private static TaskInfo info(Task<?> t, String executor, TaskInfo.State state, long now,
                                 StackTraceElement[] stack) {
        Duration age = Duration.ofNanos(t.ageNanos(now));
        String queue = taskQueueName(t);
        return new TaskInfo(t.id(), t.name(), executor, queue != null ? queue : "default", state, age, t.polls(),
                stack, io.weft.task.SpawnSites.of(t));
    }

    /** The calling thread's stack below the dump call (dumpTasks, dumpAllTasks) down to its task's body. */
    private static StackTraceElement[] ownStack() {
        StackTraceElement[] all = StackFrames.ofRunningTask(Thread.currentThread().getStackTrace());
        int top = 0;
        for (int i = 0; i < all.length; i++) {
            String c = all[i].getClassName();
            if (all[i].getMethodName().startsWith("dump") && (c.equals("io.weft.Weft")
                    || c.equals("io.weft.LocalExecutor") || c.equals("io.weft.LocalExecutorPool")
                    || c.equals("io.weft.StealingExecutor"))) {
                top = i + 1;
            }
        }
        return java.util.Arrays.copyOfRange(all, top, all.length);
    }
}
