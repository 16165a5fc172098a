package io.weft.steal;

import io.weft.task.Task;

/** jcstress only (in weft's package, from the weft-jcstress module): a StealingExecutor's shared queue. */
public final class InjectForJcstress {
    private final Inject inject = new Inject();
    private final LocalQueue<Task<?>> scratch = new LocalQueue<>(4);

    public void push(Task<?> t) {
        inject.push(t);
    }

    /** As a full local queue sends its older half: oldest first. */
    public void pushBatch(Task<?>... tasks) {
        inject.pushBatch(tasks.clone(), tasks.length);
    }

    /** A take of one task (a batch of one: {@code scratch} is never touched). */
    public Task<?> pop() {
        return inject.popInto(scratch, 1);
    }

    /** A worker's take of a batch: the first task, the rest (up to max - 1) onto {@code local}. */
    public Task<?> popInto(LocalQueue<Task<?>> local, int max) {
        return inject.popInto(local, max);
    }

    public int length() {
        return inject.length();
    }
}
