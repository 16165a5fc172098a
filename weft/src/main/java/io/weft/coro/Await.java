package io.weft.coro;

import io.weft.Context;
import io.weft.Future;
import io.weft.Poll;
import io.weft.Waker;
import io.weft.task.Budget;
import io.weft.task.CurrentLoop;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code Future.await()}: inside a coroutine task, suspend the task; outside
 * any task, park the calling thread until the future is ready (block_on).
 */
public final class Await {
    private Await() {
    }

    public static <T> T await(Future<T> future) {
        if (Coroutines.AVAILABLE) {
            CoroutineTask<?> task = TaskContinuation.currentTask();
            if (task != null) {
                return task.await(future);
            }
        }
        if (CurrentLoop.get() != null) {
            CoroutineTask<?> polled = CoroutineTask.outsideItsFramesHere();
            if (polled != null) {
                throw CoroutineTask.awaitInsidePoll(polled); // in a re-poll of what it awaits, in the executor's frames
            }
            throw new IllegalStateException("await() called on an executor's thread outside a coroutine task"
                    + " (for example inside Future.poll): it would block the executor. Poll the future instead,"
                    + " or spawn a coroutine task with Weft.spawn(() -> ...)");
        }
        return blockOn(future);
    }

    /**
     * The fast road of a leaf future's {@code await()} that found its
     * operation ready without polling: the budget it spent one unit of (the
     * executor's, where the caller may {@linkplain Budget#deferToPollEnd
     * defer} work to the end of the poll), if a coroutine task runs on this
     * thread, it is not being cancelled, and its budget allows one more
     * operation; then the caller completes the operation and returns its
     * value, as a poll returning ready inside {@link #await} would have, with
     * no context, no {@link Poll} and no suspension. Null, spending nothing:
     * the caller takes the ordinary road ({@link #await}), which throws,
     * parks or yields as usual.
     */
    public static Budget spendInTaskBudget() {
        if (Coroutines.AVAILABLE) {
            CoroutineTask<?> task = TaskContinuation.currentTask();
            return task != null ? task.spendForFastAwait() : null;
        }
        return null;
    }

    /** Whether a coroutine task runs here, in its own frames, where an await may suspend it. */
    public static boolean maySuspendHere() {
        if (Coroutines.AVAILABLE) {
            CoroutineTask<?> task = TaskContinuation.currentTask();
            return task != null && task.maySuspend();
        }
        return false;
    }

    /** Whether {@code w} is the waker of a thread parked in {@link #blockOn} (an await outside any task). */
    public static boolean parksAThread(Waker w) {
        return w instanceof ThreadWaker;
    }

    /** How long a plain thread waits for a task before it checks that some thread runs the task's executor. */
    static final long HANG_HINT_NANOS = 1_000_000_000L;

    /**
     * Parks the calling thread until {@code future} is ready. A thread that
     * waits a second for a task whose executor no thread runs logs one
     * warning saying so (it would otherwise hang without a hint), then goes
     * on waiting: a thread may still come and run it.
     */
    @SuppressWarnings("unchecked")
    public static <T> T blockOn(Future<T> future) {
        if (future instanceof io.weft.task.Task<?> t && t.isFinished()) {
            return ((io.weft.task.Task<T>) t).joinCompleted(); // joined already: no waker, context or Poll
        }
        ThreadWaker waker = new ThreadWaker(Thread.currentThread());
        Context cx = new Context(waker);
        boolean checked = !(future instanceof io.weft.task.Task<?>);
        for (;;) {
            Poll<T> p = future.poll(cx);
            if (p.isReady()) {
                return p.get();
            }
            if (checked) {
                waker.parkUntilWoken();
            } else if (!waker.parkUntilWoken(HANG_HINT_NANOS)) {
                checked = true;
                io.weft.task.Task<?> t = (io.weft.task.Task<?>) future;
                String why = t.owner().whyNotRunning();
                if (why != null) {
                    io.weft.task.Log.get().log(System.Logger.Level.WARNING, "thread "
                            + Thread.currentThread().getName() + " has waited a second for task " + t + ", but "
                            + why);
                }
            }
        }
    }

    /** Wakes a parked thread; a wake before the park is remembered. */
    static final class ThreadWaker implements Waker {
        private final Thread thread;
        private volatile boolean notified;

        ThreadWaker(Thread thread) {
            this.thread = thread;
        }

        @Override
        public void wake() {
            notified = true; // volatile store; pairs with the read in parkUntilWoken
            LockSupport.unpark(thread);
        }

        /**
         * Parks until woken. Not interruptible, like {@code CompletableFuture.join()}:
         * an interrupt is remembered and restored on return, instead of making
         * park() return at once forever (a busy loop).
         */
        void parkUntilWoken() {
            parkUntilWoken(-1);
        }

        /** As {@link #parkUntilWoken()}, for at most {@code nanos} (negative: no limit); whether it was woken. */
        boolean parkUntilWoken(long nanos) {
            boolean interrupted = false;
            long deadline = System.nanoTime() + nanos;
            while (!notified) {
                if (nanos < 0) {
                    LockSupport.park(this);
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    LockSupport.parkNanos(this, left);
                }
                if (Thread.interrupted()) {
                    interrupted = true;
                }
            }
            boolean woken = notified;
            notified = false;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return woken;
        }
    }
}
