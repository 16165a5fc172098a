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

    /** A loop that says which task it is polling. */
    public interface Turns {
        /**
         * The task this loop is polling now (inside its {@code Task.turn()}),
         * or null; at least while a coroutine task's own code runs in the
         * loop's frames ({@code TaskOwner.outsideItsFrames}). The loop's
         * thread only.
         */
        Task<?> taskInTurn();
    }

    /**
     * The task the loop on this thread is polling now, or null. A coroutine
     * task's futures are re-polled, and cancelled, in the executor's frames
     * rather than its own: what they run (a map function) still belongs to
     * that task.
     */
    public static Task<?> taskInTurn() {
        return LOOP.get() instanceof Turns l ? l.taskInTurn() : null;
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
