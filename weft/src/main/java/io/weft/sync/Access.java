package io.weft.sync;

import io.weft.executor.Worker;
import io.weft.task.CurrentLoop;
import java.util.concurrent.locks.ReentrantLock;

/**
 * How a primitive guards its fields: the one difference between the two
 * families. Every primitive runs the same algorithm between {@link #enter}
 * and {@link #exit}.
 *
 * <ul>
 *   <li>{@link Local}: no lock, no atomic. {@code enter} checks that the
 *       caller is the loop thread of the executor the primitive was created
 *       on, and throws {@link IllegalStateException} otherwise.</li>
 *   <li>{@link Shared}: a {@link ReentrantLock}. Its unlock is the release
 *       that pairs with the next {@code lock()} (the acquire) on any thread,
 *       so every guarded field is plain.</li>
 * </ul>
 */
abstract sealed class Access permits Access.Local, Access.Shared {

    abstract void enter();

    abstract void exit();

    abstract boolean isLocal();

    /**
     * Before {@code w} waits with {@code waker}; only a first wait (w
     * idle, nothing taken yet) is looked at: a local primitive's wait that parks its thread outside any
     * loop (an {@code await()} on it after {@code run} returned) would wait
     * for ever, since only tasks on that thread could end it and none runs
     * while it is parked: the wait ends here ({@code w} DONE) with an
     * IllegalStateException instead of a hang. A poll by hand, or a wait of
     * a task of any executor on that thread, is let through.
     */
    abstract void checkMayWait(Waiter w, io.weft.Waker waker);

    static Access shared() {
        return new Shared();
    }

    /** Binds a local primitive to the executor running on this thread; {@code what} names it for errors. */
    static Access local(String what) {
        Worker ex = Worker.current(what);
        if (!ex.tasksStayOnThread()) {
            throw new IllegalStateException(what + " made in a task of " + ex.name() + ", whose tasks may move"
                    + " between threads: local primitives are for the tasks of one thread; use the shared one, "
                    + sharedOf(what));
        }
        return new Local(ex, Thread.currentThread(), what);
    }

    /** The shared constructor beside a local one: {@code X.local} is {@code X.create}, {@code Channel.localBounded} {@code Channel.bounded}. */
    static String sharedOf(String local) {
        if (local.endsWith(".localBounded")) {
            return local.replace(".localBounded", ".bounded");
        }
        if (local.endsWith(".localUnbounded")) {
            return local.replace(".localUnbounded", ".unbounded");
        }
        return local.replace(".local", ".create");
    }

    static final class Shared extends Access {
        private final ReentrantLock lock = new ReentrantLock();

        @Override
        void enter() {
            lock.lock();
        }

        @Override
        void exit() {
            lock.unlock();
        }

        @Override
        boolean isLocal() {
            return false;
        }

        @Override
        void checkMayWait(Waiter w, io.weft.Waker waker) {
        }
    }

    static final class Local extends Access {
        private final Worker executor;
        /**
         * The thread that runs the executor: the one that made the primitive,
         * until another thread runs the same executor (a LocalExecutor run
         * again from another thread, or driven by the thread that closes it,
         * which runs the cancelled tasks' finally blocks). One thread at a
         * time runs an executor, and its hand-off orders this field as it
         * does the executor's own.
         */
        private Thread owner;
        private final String what;

        Local(Worker executor, Thread owner, String what) {
            this.executor = executor;
            this.owner = owner;
            this.what = what;
        }

        @Override
        void enter() {
            if (Thread.currentThread() != owner) {
                movedWithItsExecutor();
            }
        }

        /** The caller runs this primitive's executor now (see {@link #owner}); else the error that names both threads. */
        private void movedWithItsExecutor() {
            if (Worker.runsNow(Worker.currentOrNull(), executor)) {
                owner = Thread.currentThread();
            } else {
                throw new IllegalStateException(what + " belongs to executor " + executor.name() + " (thread "
                        + owner.getName() + ") and was used from thread " + Thread.currentThread().getName()
                        + ": local primitives are for the tasks of one executor; use the shared one"
                        + " (e.g. Channel.bounded instead of Channel.localBounded) between threads");
            }
        }

        @Override
        void exit() {
        }

        @Override
        boolean isLocal() {
            return true;
        }

        @Override
        void checkMayWait(Waiter w, io.weft.Waker waker) {
            if (w.state == Waiter.IDLE && io.weft.coro.Await.parksAThread(waker) && CurrentLoop.get() == null) {
                w.state = Waiter.DONE;
                throw new IllegalStateException(what + " awaited on thread " + owner.getName() + " outside any"
                        + " executor's loop: only tasks on this thread could end the wait, and none runs while the"
                        + " thread waits. Await it inside a task (executor.run(() -> ...))");
            }
        }
    }
}
