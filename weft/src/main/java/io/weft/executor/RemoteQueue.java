package io.weft.executor;

import io.weft.task.Task;
import io.weft.task.TaskOwner;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The remote run queue of an executor: many producers (threads that wake
 * the executor's tasks), one consumer (the loop). An intrusive
 * multi-producer single-consumer list in the style of Dmitry Vyukov's: it
 * links tasks through {@link Task#nextInQueue}, so a wake from another thread
 * allocates nothing.
 *
 * <p>A task is on at most one run queue at a time (its NOTIFIED bit is set by
 * exactly one scheduler), so the link field is free while it is here.
 *
 * <pre>
 * offer(n):  n.next = null; prev = getAndSet(head, n); prev.next = n (release)
 * poll():    follows next links from the consumer's tail; the stub node is
 *            re-offered when the last real node must be handed out
 * </pre>
 * A producer between its getAndSet and its link makes poll() return null
 * while {@link #isEmpty()} is false: the consumer looks again rather than
 * parks.
 */
public final class RemoteQueue {
    private static final VarHandle HEAD;
    private static final VarHandle NEXT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HEAD = l.findVarHandle(RemoteQueue.class, "head", Task.class);
            NEXT = l.findVarHandle(Task.class, "nextInQueue", Task.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Producers' end: the last task offered. Accessed only through {@link #HEAD}. */
    @SuppressWarnings("unused")
    private volatile Task<?> head;
    /** Consumer's end: the next task to hand out, or the stub. Consumer only. */
    private Task<?> tail;
    private final Task<?> stub;

    public RemoteQueue() {
        stub = new Stub();
        head = stub;
        tail = stub;
    }

    /** Any thread. The getAndSet is the full fence of the Dekker pair with the loop's {@code sleeping}. */
    public void offer(Task<?> t) {
        NEXT.set(t, (Task<?>) null);
        Task<?> prev = (Task<?>) HEAD.getAndSet(this, t);
        NEXT.setRelease(prev, t); // pairs with the getAcquire in poll()
    }

    /** Consumer only: the oldest task, or null when empty or a producer is half-way. */
    public Task<?> poll() {
        Task<?> t = tail;
        Task<?> next = (Task<?>) NEXT.getAcquire(t);
        if (t == stub) {
            if (next == null) {
                return null;
            }
            tail = next;
            t = next;
            next = (Task<?>) NEXT.getAcquire(next);
        }
        if (next != null) {
            tail = next;
            return t;
        }
        if (t != (Task<?>) HEAD.getVolatile(this)) {
            return null; // a producer swapped the head but has not linked yet
        }
        offer(stub); // t is the last real node: put the stub behind it so t can leave
        next = (Task<?>) NEXT.getAcquire(t);
        if (next != null) {
            tail = next;
            return t;
        }
        return null;
    }

    /** Consumer only. False while anything is queued or being queued. */
    public boolean isEmpty() {
        return tail == stub && (Task<?>) HEAD.getVolatile(this) == stub;
    }

    /** The stub node: never run. */
    private static final class Stub extends Task<Void> {
        Stub() {
            super(STUB_OWNER, "remote-queue-stub");
        }

        @Override
        protected Object pollTask() {
            throw new IllegalStateException("the remote queue's stub was run");
        }

        @Override
        protected Object cancelTask() {
            throw new IllegalStateException("the remote queue's stub was cancelled");
        }
    }

    private static final TaskOwner STUB_OWNER = new TaskOwner() {
        @Override
        public void schedule(Task<?> task) {
            throw new IllegalStateException("the remote queue's stub was scheduled");
        }

        @Override
        public boolean inLoop() {
            return false;
        }

        @Override
        public void suspended(Task<?> task) {
        }

        @Override
        public io.weft.task.Budget budget() {
            return null;
        }

        @Override
        public void completed(Task<?> task) {
        }

        @Override
        public void failedUnobserved(Task<?> task, Throwable error) {
        }
    };
}
