package io.weft.task;

import io.weft.Context;
import io.weft.JoinHandle;
import io.weft.Poll;
import io.weft.TaskCancelledException;
import io.weft.TaskFailedException;
import io.weft.task.Outcome.Cancelled;
import io.weft.task.Outcome.Failure;
import io.weft.Waker;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A unit of work owned by one executor: a state word, an output slot, the
 * waiters of its join handle, and the owner's bookkeeping links. A task is its
 * own {@link Waker} and its own {@link JoinHandle}, so spawning allocates one
 * object for the three roles.
 *
 * <p>The protocol (state bits, transitions, join waiters, who owns the task
 * after each step) is written down in {@code package-info.java}; each method
 * below names the step it implements.
 */
public abstract class Task<T> extends TaskIdentity implements JoinHandle<T>, Waker, LeafFuture {

    // ---- the state word (see package-info for the table) ----
    /** Being polled by the owner. Set and cleared only by the owner thread. */
    public static final int RUNNING = 1;
    /** Finished: output stored. Once set, never unset. */
    public static final int COMPLETE = 1 << 1;
    /** Scheduled: on a run queue, or will be put on one when the current poll ends. */
    public static final int NOTIFIED = 1 << 2;
    /** Abort requested. Once set, never unset. */
    public static final int CANCELLED = 1 << 3;
    /** The join handle has been polled: its output is looked at. Once set, never unset. */
    public static final int JOIN_INTEREST = 1 << 4;
    /** At least one join waker is registered in {@link #joiners}. */
    public static final int JOIN_WAKER = 1 << 5;
    /**
     * A join poll threw the task's {@link TaskFailedException} to its caller
     * (not {@link #peek()}): somebody has received the failure. Once set,
     * never unset.
     */
    public static final int FAILURE_RECEIVED = 1 << 6;
    /** Its failure was offered as left behind ({@link #failureLeftBehind}): once only. Once set, never unset. */
    static final int LEFT_BEHIND = 1 << 7;
    /**
     * Bits 16 to 30 count the waits through {@link #detached()} that
     * registered and have not ended ({@link DetachedJoin}): an interest that
     * leaves when such a wait gives up, unlike JOIN_INTEREST's.
     */
    static final int DETACHED_ONE = 1 << 16;
    static final int DETACHED_ALL = 0x7FFF << 16;

    /** The state word and the join stack; package-private for {@link DetachedJoin}, which keeps to the table above. */
    static final VarHandle STATE;
    static final VarHandle JOINERS;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATE = l.findVarHandle(Task.class, "state", int.class);
            JOINERS = l.findVarHandle(Task.class, "joiners", Joiners.Node.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Accessed only through {@link #STATE}. Starts NOTIFIED, written plainly
     * in the constructor (a volatile initializer costs a full fence per
     * spawn): the task reaches other threads through a queue or a handle
     * published with release semantics, and a racy publication could only
     * show a stale 0, which every read-modify-write of the word corrects.
     */
    @SuppressWarnings("unused")
    private volatile int state;

    /** Join waiters, a Treiber stack ({@link Joiners}); accessed only through {@link #JOINERS}. */
    @SuppressWarnings("unused")
    private volatile Joiners.Node joiners;

    /**
     * The output: the value, a {@link Failure} or a {@link Cancelled}. Written
     * by the owner before the COMPLETE bit is published (release), read by
     * joiners after they see COMPLETE (acquire).
     */
    private Object output;

    protected final TaskOwner owner;
    /** Woken by its own poll (owner thread only): queue it again after the poll, still RUNNING. */
    private boolean selfWoken;

    // ---- the owner's bookkeeping: touched only by the owner thread ----
    /** The owner's run queue for this task. */
    public Object queue;
    /** Next task on a local run queue (intrusive list). */
    public Task<?> nextInQueue;
    /**
     * Links of the owner's registry of tasks that have waited at least once
     * (so that close() finds tasks that are on no run queue): a {@link TaskList}'s.
     */
    Task<?> prevLive;
    Task<?> nextLive;
    boolean registered;

    /**
     * True while the owner polls this task (set and cleared by the owner in
     * {@link #turn()}). Other threads may read a stale value; it only counts
     * together with {@link TaskOwner#pollsHere}, which is false for them.
     */
    private boolean polling;

    protected Task(TaskOwner owner, String name) {
        super(name);
        STATE.set(this, NOTIFIED);
        this.owner = owner;
        if (SpawnSites.ON) {
            SpawnSites.record(this);
        }
    }

    public final TaskOwner owner() {
        return owner;
    }

    // =====================================================================
    // Running: called by the owner thread only.
    // =====================================================================

    /** Result of {@link #transitionToRunning()}. */
    public enum ToRunning {
        /** RUNNING set, NOTIFIED cleared: poll the task. */
        SUCCESS,
        /** As SUCCESS, but CANCELLED is set: run the cancellation path instead of a poll. */
        CANCELLED
    }

    /** Result of {@link #transitionToIdle()}. */
    public enum ToIdle {
        /** RUNNING cleared; nobody woke the task during the poll: the task waits for a waker. */
        OK,
        /** RUNNING cleared, NOTIFIED kept: the task was woken (or aborted) during the poll; the owner must queue it again. */
        OK_NOTIFIED
    }

    /**
     * Step 2 of the table: a task taken off a run queue starts its poll.
     * NOTIFIED must be set and RUNNING, COMPLETE clear; anything else is a bug
     * and throws with the state word.
     */
    public final ToRunning transitionToRunning() {
        int s = (int) STATE.getVolatile(this);
        for (;;) {
            if ((s & NOTIFIED) == 0 || (s & (RUNNING | COMPLETE)) != 0) {
                throw new IllegalStateException("transitionToRunning from " + TaskWords.describe(s) + " in task " + this);
            }
            int next = (s & ~NOTIFIED) | RUNNING;
            int witness = (int) STATE.compareAndExchange(this, s, next);
            if (witness == s) {
                return (s & CANCELLED) != 0 ? ToRunning.CANCELLED : ToRunning.SUCCESS;
            }
            s = witness;
        }
    }

    /** Step 3: the poll returned pending. */
    public final ToIdle transitionToIdle() {
        int s = (int) STATE.getVolatile(this);
        for (;;) {
            if ((s & RUNNING) == 0 || (s & COMPLETE) != 0) {
                throw new IllegalStateException("transitionToIdle from " + TaskWords.describe(s) + " in task " + this);
            }
            int next = s & ~RUNNING;
            int witness = (int) STATE.compareAndExchange(this, s, next);
            if (witness == s) {
                return (s & NOTIFIED) != 0 ? ToIdle.OK_NOTIFIED : ToIdle.OK;
            }
            s = witness;
        }
    }

    /**
     * Step 4: store the output and publish COMPLETE (clearing RUNNING and
     * NOTIFIED); returns the state before. The CAS is the release that pairs
     * with the acquire in {@link #poll}'s read of the state.
     */
    private int transitionToComplete(Object out) {
        output = out;
        int s = (int) STATE.getVolatile(this);
        for (;;) {
            if ((s & RUNNING) == 0 || (s & COMPLETE) != 0) {
                throw new IllegalStateException("transitionToComplete from " + TaskWords.describe(s) + " in task " + this);
            }
            int next = (s & ~(RUNNING | NOTIFIED)) | COMPLETE;
            int witness = (int) STATE.compareAndExchange(this, s, next);
            if (witness == s) {
                return s;
            }
            s = witness;
        }
    }

    /**
     * One turn of the task, on the owner thread, after the owner took it off a
     * run queue: poll (or cancel), then complete it, park it until a wake, or
     * queue it again. The task never escapes: whatever the body throws becomes
     * its output.
     */
    public final void turn() {
        ToRunning r;
        int s = (int) STATE.getVolatile(this);
        if ((s & RUNNING) != 0) {
            // Queued again by its own wake (see wake()): still RUNNING, still the owner's.
            if ((s & NOTIFIED) != 0) {
                s = (int) STATE.getAndBitwiseAnd(this, ~NOTIFIED); // a wake while queued: this poll serves it
            }
            r = (s & CANCELLED) != 0 ? ToRunning.CANCELLED : ToRunning.SUCCESS;
        } else {
            r = transitionToRunning();
        }
        selfWoken = false;
        polling = true;
        countPoll();
        Object out;
        try {
            out = (r == ToRunning.SUCCESS) ? pollTask() : cancelTask();
        } catch (Throwable t) {
            out = r == ToRunning.CANCELLED || (isCancelRequested() && thrownByAbort(t)) ? new Cancelled(t) : new Failure(t);
        }
        polling = false;
        if (out == PENDING) {
            if (selfWoken) {
                owner.schedule(this); // stays RUNNING: no transition, no atomic
            } else if (transitionToIdle() == ToIdle.OK_NOTIFIED) {
                owner.schedule(this);
            } else {
                owner.suspended(this); // now waits for a waker: on no run queue
            }
            return;
        }
        // Aborted while it was running: a throw that came from the cancellation (an await's
        // TaskCancelledException) is a cancellation; a value, or a failure of the body's own, is kept, as
        // tokio keeps a panic: the abort came too late, and a value may hold a lock or a connection that
        // nobody else could give back, a failure is a child's failure that a scope must report.
        complete(out);
    }

    /**
     * Owner thread, as its poll ends: whether only the task itself woke it
     * during that poll (a yield, a spent budget). False if another thread
     * woke or aborted it meanwhile, also when it woke itself too: that wake
     * is not a yield, and the next poll serves both.
     */
    public final boolean wokeItself() {
        return selfWoken && ((int) STATE.getVolatile(this) & NOTIFIED) == 0;
    }

    private void complete(Object out) {
        int before = transitionToComplete(out);
        if (out instanceof Failure f && (before & (JOIN_INTEREST | DETACHED_ALL)) == 0) {
            owner.failedUnobserved(this, f.error());
        }
        released();
        // The owner counts it out before any joiner hears of it: a joiner on another thread (a StealingExecutor's
        // other worker, a blockOn caller) that sees it complete never sees it still counted as live, and a close
        // that waits for no live task finds its unobserved failure already reported.
        owner.completed(this);
        if ((before & JOIN_WAKER) != 0) {
            Joiners.wakeAll(JOINERS, this);
        }
    }

    /** Marker for "the poll returned pending" from {@link #pollTask()}. */
    protected static final Object PENDING = new Object() {
        @Override
        public String toString() {
            return "PENDING";
        }
    };

    /**
     * Polls the task's body once. Returns {@link #PENDING}, or the output
     * value (which may be null). Throwing completes the task as failed.
     */
    protected abstract Object pollTask() throws Throwable;

    /**
     * The cancellation path: the body is given a chance to clean up (a
     * coroutine is resumed with {@link TaskCancelledException}); must not
     * return {@link #PENDING}. Returns the output, normally {@link Cancelled}.
     */
    protected abstract Object cancelTask() throws Throwable;

    /**
     * Whether {@code t}, thrown by a poll during which an abort came, is
     * that abort's doing (an await's TaskCancelledException, and what its
     * unwinding threw) rather than a failure of the body's own.
     */
    protected boolean thrownByAbort(Throwable t) {
        return TaskWords.cancelledIn(t);
    }

    /** Drops what the body holds once the task is complete. */
    protected void released() {
    }

    /** Whether abort has been requested. */
    public final boolean isCancelRequested() {
        return ((int) STATE.getVolatile(this) & CANCELLED) != 0;
    }

    /** The state word now, for tests and diagnostics. */
    public final int state() {
        return (int) STATE.getVolatile(this);
    }

    // =====================================================================
    // Waking and aborting: any thread.
    // =====================================================================

    /** Step 5: a wake. Sets NOTIFIED; the caller that set it on an idle task schedules it. */
    @Override
    public final void wake() {
        if (polling && owner.pollsHere(this)) {
            // Road 0: the task wakes itself during its own poll (yieldNow, a spent budget).
            // Only the owner thread gets here; it queues the task again after the poll.
            selfWoken = true;
            return;
        }
        int s = (int) STATE.getVolatile(this);
        for (;;) {
            if ((s & (COMPLETE | NOTIFIED)) != 0) {
                return; // finished, or already going to run
            }
            int witness = (int) STATE.compareAndExchange(this, s, s | NOTIFIED);
            if (witness == s) {
                if ((s & RUNNING) == 0) {
                    owner.schedule(this); // we set NOTIFIED on an idle task: we hand it to the owner
                }
                return; // running: the poller sees NOTIFIED in transitionToIdle and queues it
            }
            s = witness;
        }
    }

    /** Step 6: abort. Sets CANCELLED and NOTIFIED so the task runs its cancellation path. */
    @Override
    public final void abort() {
        int s = (int) STATE.getVolatile(this);
        for (;;) {
            if ((s & (COMPLETE | CANCELLED)) != 0) {
                return;
            }
            int witness = (int) STATE.compareAndExchange(this, s, s | CANCELLED | NOTIFIED);
            if (witness == s) {
                if ((s & (RUNNING | NOTIFIED)) == 0) {
                    owner.schedule(this);
                }
                aborted(s);
                return;
            }
            s = witness;
        }
    }

    /**
     * Called once, by the thread whose {@link #abort()} set CANCELLED, right
     * after that CAS; {@code before} is the state word before it. A task of
     * an executor needs nothing here: its owner runs the cancellation path
     * when it takes the task off a run queue. A task whose body runs
     * elsewhere (a blocking task, on a pool thread) stops that body here.
     */
    protected void aborted(int before) {
    }

    @Override
    public final boolean isFinished() {
        return ((int) STATE.getVolatile(this) & COMPLETE) != 0;
    }

    /** A wait whose giving up leaves the task running and takes its interest away ({@link DetachedJoin}). */
    @Override
    public final io.weft.Future<T> detached() {
        return new DetachedJoin<>(this);
    }

    // =====================================================================
    // Joining: any thread, any number of waiters.
    // =====================================================================

    /**
     * Steps 7-8: the join handle as a future. A ready handle spends one unit of
     * the caller's budget.
     */
    @Override
    public final Poll<T> poll(Context cx) {
        return pollOutput(cx, true);
    }

    /**
     * As {@link #poll}, but a failure thrown is not yet received (a
     * combinator that may give it up undecided: {@code firstSuccessful});
     * {@link #receiveFailure} marks it once the combinator hands it on.
     */
    public final Poll<T> pollUnreceived(Context cx) {
        return pollOutput(cx, false);
    }

    /** A join poll: {@code receive}, a failure it throws counts as received ({@link #received}), else not ({@link #peek}). */
    private Poll<T> pollOutput(Context cx, boolean receive) {
        int s = (int) STATE.getVolatile(this); // acquire: pairs with the CAS in transitionToComplete
        if ((s & COMPLETE) == 0) {
            if (wakeOnCompletion(cx.waker())) {
                return Poll.pending();
            }
            s = (int) STATE.getVolatile(this);
        }
        if (!cx.consumeBudget()) {
            return Poll.pending();
        }
        return Poll.ready(receive ? received(s) : peek());
    }

    /** Marks this complete task's failure, if it failed, as received (see {@link #FAILURE_RECEIVED}). */
    public final void receiveFailure() {
        markReceived(completeState("receiveFailure on"));
    }

    /**
     * This complete task's failure, seen by a combinator that was then given
     * up undecided ({@code firstSuccessful}, through {@link #pollUnreceived}),
     * reached nobody: the unobserved-failure handler gets it, unless a later
     * join receives it first (or a scope throws it). Once, however many
     * waiters (combinators, detached waits, a scope's close) give it up.
     */
    public final void failureLeftBehind() {
        int s = completeState("failureLeftBehind on");
        if ((s & (FAILURE_RECEIVED | LEFT_BEHIND)) == 0 && output instanceof Failure f
                && ((int) STATE.getAndBitwiseOr(this, LEFT_BEHIND) & LEFT_BEHIND) == 0) {
            owner.failedLeftBehind(this, f.error()); // one report however many waiters gave it up
        }
    }

    /**
     * A blocking join's fast road ({@code Await.blockOn}, a plain thread,
     * whose budget has no limit): what a join poll of this complete task
     * returns or throws, with no context and no {@link Poll}. Throws
     * {@link IllegalStateException} if it has not completed.
     */
    public final T joinCompleted() {
        return received(completeState("joinCompleted on"));
    }

    /** This complete task's state, read with acquire (pairs with the CAS in transitionToComplete); else throws. */
    private int completeState(String what) {
        int s = (int) STATE.getVolatile(this);
        if ((s & COMPLETE) == 0) {
            throw new IllegalStateException(what + " unfinished task " + this + ": " + TaskWords.describe(s));
        }
        return s;
    }

    /** The output of a complete task ({@code s}: its state, read with acquire), handed to a joiner. */
    private T received(int s) {
        markReceived(s); // thrown to our caller just below: looked at (not "unobserved"), and received
        return outputValue();
    }

    private void markReceived(int s) {
        if ((s & FAILURE_RECEIVED) == 0 && output instanceof Failure) {
            STATE.getAndBitwiseOr(this, JOIN_INTEREST | FAILURE_RECEIVED);
        }
    }

    /**
     * Registers {@code w} to be woken when this task completes, as a pending
     * join poll does (and sets JOIN_INTEREST); false, registering nothing
     * that matters, if it has completed: then nothing is read, spent or
     * received (a {@code Completions} set adds a handle this way, so that a
     * child that fails on another thread meanwhile is not taken as received).
     */
    public final boolean wakeOnCompletion(Waker w) {
        return wakeOnCompletion(w, true);
    }

    /**
     * As {@link #wakeOnCompletion(Waker)}; with {@code interest} false it
     * does not count as awaiting the task (JOIN_INTEREST stays as it is), so
     * a failure nobody awaits is still reported as unobserved: for a
     * bystander that only needs to know when the task ends.
     */
    public final boolean wakeOnCompletion(Waker w, boolean interest) {
        Joiners.push(JOINERS, this, w);
        // Read the state after the push: a completer that took the join stack before our push
        // had set COMPLETE before that, so we see it here. Then publish JOIN_WAKER (and
        // JOIN_INTEREST) unless the task completed meanwhile.
        int s = (int) STATE.getVolatile(this);
        for (;;) {
            if ((s & COMPLETE) != 0) {
                return false;
            }
            int next = s | JOIN_WAKER | (interest ? JOIN_INTEREST : 0);
            if (next == s) {
                return true;
            }
            int witness = (int) STATE.compareAndExchange(this, s, next);
            if (witness == s) {
                return true;
            }
            s = witness;
        }
    }

    /**
     * The output of a complete task as a join poll returns or throws it, but
     * without spending budget and without setting {@link #FAILURE_RECEIVED}:
     * for a {@code TaskScope}, which looks at every child's outcome when it
     * completes and must later tell whether somebody else received a
     * failure. Sets JOIN_INTEREST (the scope reports the failure, the
     * executor does not). Throws {@link IllegalStateException} if the task is
     * not complete.
     */
    public final T peek() {
        int s = completeState("peek at");
        if ((s & JOIN_INTEREST) == 0 && output instanceof Failure) {
            STATE.getAndBitwiseOr(this, JOIN_INTEREST);
        }
        return outputValue();
    }

    /** Whether a join poll has thrown this task's failure to a caller (see {@link #FAILURE_RECEIVED}). */
    public final boolean isFailureReceived() {
        return ((int) STATE.getVolatile(this) & FAILURE_RECEIVED) != 0;
    }

    /** The output as stored (a value, a {@link Failure}, a {@link Cancelled}); read after an acquire that saw COMPLETE. */
    final Object rawOutput() {
        return output;
    }

    /** The output of a complete task, or the exception it stands for ({@link Outcome#of}). */
    T outputValue() {
        return Outcome.of(this, output);
    }
}
