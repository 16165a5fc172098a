package io.weft.task;

/**
 * Which executor loop runs on this thread: the one thread-local of the
 * runtime. An executor (or a worker of a multi-worker executor) sets it when
 * its loop starts on a thread and clears it when the loop leaves; every
 * "the executor running here" question ({@code io.weft.executor.Worker#current},
 * {@code await()} refusing to block a loop thread) reads it.
 */
public final class CurrentLoop {
    private static final ThreadLocal<TaskOwner> LOOP = new ThreadLocal<>();

    private CurrentLoop() {
    }

    /** The loop running on this thread, or null. */
    public static TaskOwner get() {
        return LOOP.get();
    }

    /** The loop {@code owner} starts on this thread (which runs no other loop). */
    public static void enter(TaskOwner owner) {
        LOOP.set(owner);
    }

    /** The loop leaves this thread. */
    public static void exit() {
        LOOP.remove();
    }
}
