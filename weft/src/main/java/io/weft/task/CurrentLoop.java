package io.weft.task;

/**
 * Which executor loop runs on this thread: the one thread-local of the
 * runtime. An executor (or a worker of a multi-worker executor) sets it when
 * its loop starts on a thread and clears it when the loop leaves; every
 * "the executor running here" question ({@code io.weft.executor.Worker#current},
 * {@code await()} refusing to block a loop thread) reads it.
 */
public final class CurrentLoop {
    private static final ThreadLocal<Object> LOOP = new ThreadLocal<>();

    private CurrentLoop() {
    }

    /** The loop running on this thread (an {@code io.weft.executor.Worker}), or null. */
    public static Object get() {
        return LOOP.get();
    }

    /** The loop {@code worker} starts on this thread (which runs no other loop). */
    public static void enter(Object worker) {
        LOOP.set(worker);
    }

    /** The loop leaves this thread. */
    public static void exit() {
        LOOP.remove();
    }
}
