package io.weft.sync;

import io.weft.executor.Worker;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Which thread may use one side of a cross-executor primitive (a side of an
 * {@link SpscChannel}, a {@link MeshConnection}): the first thread that uses
 * it, or binds it, for good. That thread is an executor's loop thread (so
 * every task of that executor may use the side) or a plain thread (whose
 * {@code await()} then parks it). Any other thread gets an
 * {@link IllegalStateException} naming both threads.
 *
 * <p>The owner is written once, by a CAS from null; the winner then copies
 * its thread into {@code thread}, a plain field that {@link #check()} reads:
 * the owner reads its own write, and any other thread, whether it sees null
 * or the owner, takes the slow path, whose CAS settles it.
 */
final class ThreadBinding {
    private static final VarHandle OWNER;

    static {
        try {
            OWNER = MethodHandles.lookup().findVarHandle(ThreadBinding.class, "owner", Owner.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The owning thread, and the executor running on it then (null for a plain thread). */
    private record Owner(Thread thread, Worker executor) {
        String describe() {
            return "thread " + thread.getName() + (executor == null ? " (no executor)" : " (executor " + executor.name() + ")");
        }
    }

    /** What this binds, for messages: "the sending side of an SpscChannel". */
    private final String what;
    /** Tests only (jcstress drives the sides from its own threads): no thread check at all. */
    private final boolean anyThread;
    /** Written once, by {@link #OWNER} CAS from null. */
    private Owner owner;
    /** The owner's thread, written by the owner after its CAS; the fast path of {@link #check()}. */
    private Thread thread;

    ThreadBinding(String what, boolean anyThread) {
        this.what = what;
        this.anyThread = anyThread;
    }

    /**
     * The executor whose loop thread owns this side, or null (unbound, or a
     * plain thread). Any thread: the other side asks whether this one's
     * executor is awake ({@code SpscChannel}'s spin).
     */
    Worker executor() {
        Owner o = (Owner) OWNER.getAcquire(this); // pairs with the CAS that bound it
        return o == null ? null : o.executor;
    }

    /** Binds to the calling thread if unbound; throws if another thread owns it. */
    void check() {
        if (thread != Thread.currentThread()) { // plain: see the class comment
            bindOrFail(null);
        }
    }

    /**
     * Binds to the calling thread now (a mesh member's ends, at join);
     * {@code how} says in a failure how the other thread came to own it.
     */
    void bind(String how) {
        if (thread != Thread.currentThread()) {
            bindOrFail(how);
        }
    }

    private void bindOrFail(String how) {
        if (anyThread) {
            return;
        }
        Thread me = Thread.currentThread();
        Worker ex = Worker.currentOrNull();
        Owner mine = new Owner(me, ex);
        Owner o = (Owner) OWNER.compareAndExchange(this, null, mine);
        if (o == null) {
            thread = me;
            return;
        }
        if (o.thread == me) {
            return;
        }
        boolean sameExecutor = ex != null && o.executor != null && ex.sameExecutor(o.executor);
        String why;
        if (sameExecutor && !ex.tasksStayOnThread()) {
            why = ": another worker of the same StealingExecutor. A side serves one thread, and this executor's tasks"
                    + " live on several (each on the worker where it first ran): use it from one task, or share a"
                    + " Channel.bounded among the tasks";
        } else if (sameExecutor) {
            why = ": the same executor, now run by another thread. A side serves one thread: run the executor on"
                    + " one thread (a LocalExecutorPool's, or one of its own), or share a Channel.bounded";
        } else {
            why = ": each side serves the tasks of one executor only. Give each pair of executors its own channel"
                    + " (ChannelMesh does), or share one Channel.bounded among many";
        }
        throw new IllegalStateException(what + " belongs to " + o.describe()
                + (how == null ? ", which used it first," : ", " + how + ",") + " and was used from "
                + mine.describe() + why);
    }
}
