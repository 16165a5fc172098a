package io.weft.task;

/**
 * What a task needs from the executor that owns it: a way to ask to be
 * scheduled, and nothing about queues (mechanism, not policy).
 */
public interface TaskOwner {

    /**
     * Puts {@code task}, whose NOTIFIED bit the caller has just set, on a run
     * queue. May be called from any thread: on the owner thread it pushes onto
     * the task's queue; from another thread it goes through the owner's remote
     * queue and unparks the owner. From this call on the owner owns the task.
     */
    void schedule(Task<?> task);

    /**
     * True only on the owner's loop thread. A task that wakes itself while
     * the owner polls it (its own poll flag set, and this true) needs no
     * atomic: the owner queues it again after the poll, keeping it RUNNING.
     */
    boolean inLoop();

    /**
     * True only on the thread that is polling {@code task} now: the
     * self-wake shortcut of {@link Task#wake()}. An owner whose tasks stay on
     * one loop thread answers {@link #inLoop()}; one whose workers share
     * tasks must answer for the task, since another worker of the same owner
     * may wake it while it is polled.
     */
    default boolean pollsHere(Task<?> task) {
        return inLoop();
    }

    /**
     * The task's poll returned pending and nobody woke it: it is on no run
     * queue now. Called on the owner thread; the owner keeps a registry of
     * such tasks so that it can cancel them on close.
     */
    void suspended(Task<?> task);

    /**
     * The budget that the owner's task polls spend; asked on the thread
     * polling the task (a task's context keeps it, so it must stay right
     * for that task's later polls).
     */
    Budget budget();

    /** A task finished; called on the owner thread after the state says COMPLETE. */
    void completed(Task<?> task);

    /**
     * A task failed and its handle had not been polled yet; the owner decides
     * later whether anybody looks at it. Called on the owner thread.
     */
    void failedUnobserved(Task<?> task, Throwable error);

    /**
     * {@code task}'s failure reached none of its waiters, which gave up (a
     * scope whose close could not wait, a detached wait, a
     * {@code firstSuccessful} given up undecided; once, through
     * {@code Task.failureLeftBehind}): reported as
     * {@link #failedUnobserved} is, unless a join receives it first (the
     * waiter's registration does not count as looking). Any thread. By
     * default as {@link #failedUnobserved}.
     */
    default void failedLeftBehind(Task<?> task, Throwable error) {
        failedUnobserved(task, error);
    }

    /**
     * Why a task of this owner cannot make progress now, for a thread that
     * has waited long for one (e.g. "no thread runs executor X"); null when
     * nothing is wrong that the owner can see. Any thread.
     */
    default String whyNotRunning() {
        return null;
    }

    /**
     * A coroutine task of this owner runs code of its own in the executor's
     * frames ({@code task}; null: no longer): the re-poll of what it awaits,
     * a cancel of it. The loop's {@code taskInTurn} says so meanwhile. On
     * the loop thread; nothing for an owner whose loop knows the task it
     * polls anyway.
     */
    default void outsideItsFrames(Task<?> task) {
    }
}
