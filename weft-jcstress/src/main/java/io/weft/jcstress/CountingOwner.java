package io.weft.jcstress;

import io.weft.task.Budget;
import io.weft.task.Task;
import io.weft.task.TaskOwner;
import java.util.concurrent.atomic.AtomicInteger;

/** A {@link TaskOwner} that only counts: how often a task was handed to it, and how often one completed. */
final class CountingOwner implements TaskOwner {
    final AtomicInteger schedules = new AtomicInteger();
    final AtomicInteger completions = new AtomicInteger();
    final AtomicInteger failures = new AtomicInteger();

    /**
     * The thread polling a task, set by {@link DrivenTask} around a self-wake,
     * so that {@link #inLoop()} is true on that thread only.
     */
    Thread pollingThread;

    @Override
    public boolean inLoop() {
        return pollingThread == Thread.currentThread();
    }

    @Override
    public void suspended(Task<?> task) {
        suspensions.incrementAndGet();
    }

    final AtomicInteger suspensions = new AtomicInteger();

    @Override
    public void schedule(Task<?> task) {
        schedules.incrementAndGet();
    }

    @Override
    public Budget budget() {
        return new Budget();
    }

    @Override
    public void completed(Task<?> task) {
        completions.incrementAndGet();
    }

    @Override
    public void failedUnobserved(Task<?> task, Throwable error) {
        failures.incrementAndGet();
    }
}
