package io.weft.coro;

import io.weft.Context;
import io.weft.Future;
import io.weft.Poll;
import io.weft.Waker;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code Future.await()}: inside a coroutine task, suspend the task; outside
 * any task, park the calling thread until the future is ready (block_on).
 */
public final class Await {
    private Await() {
    }

    /** Set by an executor on its thread while it runs its loop; lets await() refuse to block the loop. */
    private static final ThreadLocal<Object> LOOP = new ThreadLocal<>();

    public static void enterLoop(Object executor) {
        LOOP.set(executor);
    }

    public static void exitLoop() {
        LOOP.remove();
    }

    public static boolean inLoop() {
        return LOOP.get() != null;
    }

    public static <T> T await(Future<T> future) {
        if (Coroutines.AVAILABLE) {
            CoroutineTask<?> task = TaskContinuation.currentTask();
            if (task != null) {
                return task.await(future);
            }
        }
        if (LOOP.get() != null) {
            throw new IllegalStateException("await() called on an executor's thread outside a coroutine task"
                    + " (for example inside Future.poll): it would block the executor. Poll the future instead,"
                    + " or spawn a coroutine task with Weft.spawn(() -> ...)");
        }
        return blockOn(future);
    }

    /** Parks the calling thread until {@code future} is ready. */
    public static <T> T blockOn(Future<T> future) {
        ThreadWaker waker = new ThreadWaker(Thread.currentThread());
        Context cx = new Context(waker);
        for (;;) {
            Poll<T> p = future.poll(cx);
            if (p.isReady()) {
                return p.get();
            }
            waker.parkUntilWoken();
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
            boolean interrupted = false;
            while (!notified) {
                LockSupport.park(this);
                if (Thread.interrupted()) {
                    interrupted = true;
                }
            }
            notified = false;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
