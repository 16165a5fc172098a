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
     * The task being polled and the thread polling it, set by {@link DrivenTask} around a
     * self-wake, as an executor sets them around each poll. Written and compared only on the
     * polling thread: another thread never finds its own Thread here.
     */
    Task<?> pollingTask;
    Thread pollingThread;

    @Override
    public void schedule(Task<?> task) {
        schedules.incrementAndGet();
    }

    /** True on the polling thread, for the task it polls. */
    @Override
    public boolean isPolling(Task<?> task) {
        return pollingThread == Thread.currentThread() && pollingTask == task;
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
