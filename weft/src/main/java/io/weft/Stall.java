package io.weft;

import java.time.Duration;
import java.util.Arrays;

/**
 * A task that has run too long without yielding, as an executor's stall
 * detector reports it ({@code detectStalls} on each executor kind's
 * builder). A stall is reported once while it goes on ({@code ended}
 * false, {@code stack} sampled from the executor's thread at that moment)
 * and once when the task yields or ends ({@code ended} true,
 * {@code running} the whole time of that poll, {@code stack} the one
 * sampled while it went on).
 *
 * @param executor the executor (a StealingExecutor's worker) whose thread the task holds
 * @param task     the task: its name if it was given one, else {@code #} and its id, and its task queue
 * @param running  how long the task had run in this poll when reported (the whole poll when ended)
 * @param stack    the executor thread's stack while the task ran, innermost first, down to the task's body
 * @param ended    false while the stall goes on, true once the task has given the thread back
 */
public record Stall(String executor, String task, Duration running, StackTraceElement[] stack, boolean ended) {

    /** Reads like a log line with the stack below it, as a thread dump shows one. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        b.append("executor ").append(executor).append(": task ").append(task);
        if (ended) {
            b.append(" gave its thread back after ").append(millis(running)).append(" without yielding");
        } else {
            b.append(" has run ").append(millis(running)).append(" without yielding, and still runs");
        }
        for (StackTraceElement f : stack) {
            b.append("\n\tat ").append(f);
        }
        return b.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Stall s && s.executor.equals(executor) && s.task.equals(task)
                && s.running.equals(running) && Arrays.equals(s.stack, stack) && s.ended == ended;
    }

    @Override
    public int hashCode() {
        return (executor.hashCode() * 31 + task.hashCode()) * 31 + running.hashCode();
    }

    static String millis(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1f ms", d.toNanos() / 1e6);
    }
}
