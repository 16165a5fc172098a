package io.weft.sync;

import io.weft.executor.Worker;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Which thread may use one side of a cross-executor primitive (a side of an
 * {@link SpscChannel}, a {@link MeshConnection}): the first thread that uses
 * it, or binds it. That thread is an executor's loop thread (so
 * every task of that executor may use the side) or a plain thread (whose
 * {@code await()} then parks it); a plain thread's binding is for good, an
 * executor's follows the executor (below). Any other thread gets an
 * {@link IllegalStateException} naming both threads.
 *
 * <p>The owner is first written by a CAS from null; the winner then copies
 * its thread into {@code thread}, a plain field that {@link #check()} reads:
 * the owner reads its own write, and any other thread, whether it sees null
 * or the owner, takes the slow path, whose CAS settles it.
 *
 * <p>An executor whose tasks stay on their thread may yet be run by another
 * thread later (a LocalExecutor run again from another thread, or driven by
 * the thread that closes it, which runs the cancelled tasks' finally
 * blocks): the side follows it, since one thread at a time runs an executor
 * and its hand-off orders the side's fields as it does the executor's own.
 * That thread, on the slow path, writes itself into {@code owner} (the
 * executor stays the same) and {@code thread}.
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
    /** Written by {@link #OWNER}: a CAS from null, then by a thread that runs the same executor later. */
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
        if (Worker.runsNow(ex, o.executor)) {
            OWNER.setRelease(this, mine); // the executor, run by this thread now (see the class comment)
            thread = me;
            return;
        }
        String why;
        if (ex != null && o.executor != null && ex.sameExecutor(o.executor)) { // a worker whose tasks move
            why = ": another worker of the same StealingExecutor. A side serves one thread, and this executor's tasks"
                    + " live on several (each on the worker where it first ran): use it from one task, or share a"
                    + " Channel.bounded among the tasks";
        } else {
            why = ": each side serves the tasks of one executor only. Give each pair of executors its own channel"
                    + " (ChannelMesh does), or share one Channel.bounded among many";
        }
        throw new IllegalStateException(what + " belongs to " + o.describe()
                + (how == null ? ", which used it first," : ", " + how + ",") + " and was used from "
                + mine.describe() + why);
    }
}
