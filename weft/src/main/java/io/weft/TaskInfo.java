package io.weft;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * One live task in a dump ({@code dumpTasks()} on each executor kind,
 * {@link Weft#dumpAllTasks()}).
 *
 * @param id       the task's id on its executor ({@code #17} in messages); 0 for a task a StealingExecutor has
 *                 queued from outside and not yet started
 * @param name     the name given at spawn, or null
 * @param executor the executor (a StealingExecutor's worker) the task lives on
 * @param queue    its task queue ({@code default} where there are no others)
 * @param state    running (being polled now), queued (ready, waiting for its turn) or suspended (waiting for
 *                 a wake)
 * @param age      how long ago the executor took it in (to within a few polls)
 * @param polls    how many times it has been polled
 * @param stack    where it is: for a suspended or queued coroutine task, its frames at the {@code await()}
 *                 where it waits, innermost first; for a running task, its thread's; empty for a task with
 *                 no frames of its own (not started yet, or a future the executor polls)
 * @param spawnedAt where it was spawned, innermost first, with {@code -Dweft.debug.spawnSite=true}; else empty
 */
public record TaskInfo(long id, String name, String executor, String queue, TaskInfo.State state,
                       Duration age, long polls, StackTraceElement[] stack, StackTraceElement[] spawnedAt) {

    /** A task with no recorded spawn site. */
    public TaskInfo(long id, String name, String executor, String queue, TaskInfo.State state, Duration age,
                    long polls, StackTraceElement[] stack) {
        this(id, name, executor, queue, state, age, polls, stack, new StackTraceElement[0]);
    }

    /** Where a task is. */
    public enum State {
        /** Being polled now. */
        RUNNING,
        /** Woken, waiting on a run queue for its turn. */
        QUEUED,
        /** Waiting for a wake: a timer, I/O, another task, a sync primitive. */
        SUSPENDED
    }

    /** How messages name the task: its name if it has one, else {@code #} and its id. */
    public String label() {
        return name != null ? name : "#" + id;
    }

    /** Reads like one thread of a thread dump. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        appendText(b);
        return b.toString();
    }

    private void appendText(StringBuilder b) {
        b.append('"').append(label()).append('"');
        if (name != null) {
            b.append(" #").append(id);
        }
        b.append(" executor=").append(executor).append(" queue=").append(queue)
                .append(" age=").append(Stall.millis(age)).append(" polls=").append(polls)
                .append("\n   weft.TaskInfo.State: ").append(state);
        for (StackTraceElement f : stack) {
            b.append("\n\tat ").append(f);
        }
        if (spawnedAt.length > 0) {
            b.append("\n   spawned at:");
            for (StackTraceElement f : spawnedAt) {
                b.append("\n\tat ").append(f);
            }
        }
        b.append('\n');
    }

    /** A plain-text dump of {@code tasks}, one block per task as in a thread dump, with a header line. */
    public static String toText(List<TaskInfo> tasks) {
        StringBuilder b = new StringBuilder();
        b.append("weft task dump: ").append(tasks.size()).append(tasks.size() == 1 ? " task\n" : " tasks\n");
        for (TaskInfo t : tasks) {
            b.append('\n');
            t.appendText(b);
        }
        return b.toString();
    }

    /**
     * The same as JSON: {@code {"tasks":[{"id":17,"name":null,"executor":"...","queue":"default",
     * "state":"SUSPENDED","ageNanos":...,"polls":3,"stack":["app.Handler.read(Handler.java:42)",...]}]}}.
     */
    public static String toJson(List<TaskInfo> tasks) {
        StringBuilder b = new StringBuilder("{\"tasks\":[");
        for (int i = 0; i < tasks.size(); i++) {
            TaskInfo t = tasks.get(i);
            if (i > 0) {
                b.append(',');
            }
            b.append("{\"id\":").append(t.id).append(",\"name\":");
            jsonString(b, t.name);
            b.append(",\"executor\":");
            jsonString(b, t.executor);
            b.append(",\"queue\":");
            jsonString(b, t.queue);
            b.append(",\"state\":\"").append(t.state).append("\",\"ageNanos\":").append(t.age.toNanos())
                    .append(",\"polls\":").append(t.polls).append(",\"stack\":[");
            for (int j = 0; j < t.stack.length; j++) {
                if (j > 0) {
                    b.append(',');
                }
                jsonString(b, t.stack[j].toString());
            }
            b.append("],\"spawnedAt\":[");
            for (int j = 0; j < t.spawnedAt.length; j++) {
                if (j > 0) {
                    b.append(',');
                }
                jsonString(b, t.spawnedAt[j].toString());
            }
            b.append("]}");
        }
        return b.append("]}").toString();
    }

    private static void jsonString(StringBuilder b, String s) {
        if (s == null) {
            b.append("null");
            return;
        }
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TaskInfo t && t.id == id && java.util.Objects.equals(t.name, name)
                && t.executor.equals(executor) && t.queue.equals(queue) && t.state == state && t.age.equals(age)
                && t.polls == polls && Arrays.equals(t.stack, stack) && Arrays.equals(t.spawnedAt, spawnedAt);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(id) * 31 + executor.hashCode();
    }
}
