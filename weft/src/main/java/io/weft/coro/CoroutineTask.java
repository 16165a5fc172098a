package io.weft.coro;

import io.weft.Context;
import io.weft.Future;
import io.weft.Futures;
import io.weft.Poll;
import io.weft.TaskCancelledException;
import io.weft.compose.Sneaky;
import io.weft.task.Budget;
import io.weft.task.Outcome.Cancelled;
import io.weft.task.Task;
import io.weft.task.TaskOwner;
import java.util.concurrent.Callable;

/**
 * A task whose body is an ordinary lambda, run on a continuation. A poll runs
 * the continuation until the body suspends in {@link #await} or ends. The
 * continuation is created on the first poll, so a task aborted before it
 * starts never allocates one.
 *
 * <p>Thread contract: every method here runs on the owner thread, except
 * what {@link Task} allows from any thread.
 */
public final class CoroutineTask<T> extends Task<T> implements Runnable {
    private TaskContinuation cont;
    /**
     * The task's context, made on the first await of a poll of a future
     * that is not one of weft's own ({@link #contextFor}; a body that awaits
     * none never needs one) and dropped when the poll ends pending, unless
     * it carries {@link io.weft.TaskLocal} bindings: a suspended task holds
     * no context of its own (see {@link #endPending}).
     */
    private Context cx;
    /**
     * One slot for what the task holds between polls, told apart by
     * {@link #held} (one field less per task than a field each):
     * <ul>
     *   <li>{@code AWAITING}: the future the body is suspended on in
     *       {@link #await}, re-polled by {@link #pollTask};</li>
     *   <li>{@code VALUE} / {@code THROW}: what the resumed await returns
     *       or throws;</li>
     *   <li>{@code RETURNED} / {@code THREW}: what the body returned or
     *       threw when it ended;</li>
     *   <li>{@code NOTHING}: not started (the slot holds the body, until
     *       {@link #run} takes it), or running (a null slot);
     *       {@code IN_BLOCK_IN_PLACE}: running a {@code Weft.blockInPlace}
     *       body, where an await may not suspend; {@code CANCEL_THROWN}:
     *       running after an await threw the task's cancellation (then
     *       {@code THREW_AFTER_CANCEL} when the body throws).</li>
     * </ul>
     */
    private Object slot;
    private byte held;
    private static final byte NOTHING = 0;
    private static final byte AWAITING = 1;
    private static final byte VALUE = 2;
    private static final byte THROW = 3;
    private static final byte RETURNED = 4;
    private static final byte THREW = 5;
    /** Running a {@code Weft.blockInPlace} body (a state of the running body, as NOTHING): it may not suspend. */
    private static final byte IN_BLOCK_IN_PLACE = 6;
    /** Running (as NOTHING) after an await threw this task's cancellation: what the body throws now is the abort's. */
    private static final byte CANCEL_THROWN = 7;
    /** As THREW, after an await threw the cancellation ({@link #thrownByAbort}). */
    private static final byte THREW_AFTER_CANCEL = 8;
    /** An await polls its future (over the running states above, restored after): an await in there is refused. */
    private static final byte IN_POLL = 9;

    public CoroutineTask(TaskOwner owner, String name, Callable<T> body) {
        super(owner, name);
        if (body == null) {
            throw new NullPointerException("task body");
        }
        this.slot = body; // until the first run takes it: a field less per task
    }

    /** The continuation's entry point: runs the body once. Only the continuation calls it. */
    @Override
    @SuppressWarnings("unchecked")
    public void run() {
        Callable<T> body = (Callable<T>) slot;
        slot = null;
        try {
            slot = body.call();
            held = RETURNED;
        } catch (Throwable t) {
            slot = t;
            held = held == CANCEL_THROWN ? THREW_AFTER_CANCEL : THREW;
        }
    }

    @Override
    protected Object pollTask() throws Throwable {
        TaskContinuation c = cont;
        if (c == null) {
            c = cont = new TaskContinuation(this);
        } else if (held == AWAITING && !pollAwaited()) {
            return endPending(); // woken, but what it awaits is not ready: the continuation stays frozen
        }
        c.run();
        if (!c.isDone()) {
            return endPending();
        }
        Object out = slot;
        slot = null;
        if (held == THREW || held == THREW_AFTER_CANCEL) {
            throw (Throwable) out;
        }
        return out;
    }

    /**
     * Polls the future the body is suspended on, here in the executor's
     * code rather than in the body's frozen frames (see {@link #await}):
     * true if it is ready (or threw), with what the body's await is to
     * return (or throw) in {@link #slot}.
     */
    private boolean pollAwaited() {
        Poll<?> p;
        Future<?> f = (Future<?>) slot;
        boolean users = !(f instanceof io.weft.task.LeafFuture); // may run the user's code (a map function)
        if (users) {
            owner.outsideItsFrames(this); // what it runs is this task's
        }
        try {
            p = f.poll(users ? context() : scratchContext());
        } catch (Throwable t) {
            if (users) {
                owner.outsideItsFrames(null);
            }
            slot = t;
            held = THROW;
            return true;
        }
        if (users) {
            owner.outsideItsFrames(null);
        }
        if (!p.isReady()) {
            return false;
        }
        slot = p.get();
        held = VALUE;
        return true;
    }

    /** An await threw this task's cancellation during the poll: a throw after it (a finally's) is the abort's. */
    @Override
    protected boolean thrownByAbort(Throwable t) {
        return held == THREW_AFTER_CANCEL || super.thrownByAbort(t);
    }

    @Override
    protected Object cancelTask() throws Throwable {
        TaskContinuation c = cont;
        if (c == null) {
            return Cancelled.PLAIN; // never started: the body never runs
        }
        if (held == AWAITING) {
            // Suspended in await: the future it polled goes first (the CancellableFuture contract), so what
            // it was handed goes on to the next waiter before the body's finally blocks run.
            Future<?> f = (Future<?>) slot;
            TaskCancelledException e = new TaskCancelledException("task " + this + " was cancelled");
            owner.outsideItsFrames(this);
            try {
                cancelKeeping(f, e);
            } finally {
                owner.outsideItsFrames(null);
            }
            slot = e;
            held = THROW;
        }
        c.run(); // the pending await() throws TaskCancelledException
        if (!c.isDone()) {
            if (held == AWAITING && slot == AFTER_CANCEL) {
                return endPending(); // it awaits again after its cancellation: it yielded, and is queued again
            }
            throw new IllegalStateException("cancelled task " + this + " suspended again");
        }
        Throwable thrown = held == THREW || held == THREW_AFTER_CANCEL ? (Throwable) slot : null;
        slot = null;
        return new Cancelled(thrown);
    }

    @Override
    protected void released() {
        cont = null;
        cx = null;
        slot = null;
        held = NOTHING;
    }

    /**
     * The body's frames where it is suspended in {@link #await}, innermost
     * first, from the await the body called (the runtime's own frames above
     * it and the continuation's entry below the body are cut). Empty if it
     * is not suspended there. Only on the thread that runs the task, while
     * it is not being polled (see {@link Task#suspendedStack}).
     */
    @Override
    public StackTraceElement[] suspendedStack() {
        TaskContinuation c = cont;
        if (c == null || held != AWAITING) {
            return NO_FRAMES;
        }
        return StackFrames.ofTask(c.getStackTrace());
    }

    /**
     * A poll of this task ends pending: it drops its context, unless task
     * locals are bound in it (they live as long as their binding). A
     * suspended task then holds no context: 24 bytes less per suspended
     * task, for one context made per poll that awaits a future other than
     * weft's own (BENCHMARKS.md, "Memory per suspended task").
     */
    private Object endPending() {
        Context c = cx;
        if (c != null && LOCALS.get(c) == null) {
            cx = null;
        }
        return PENDING;
    }

    /**
     * The context to poll {@code f} with: for one of weft's own leaf
     * futures (a join, a yield, a sleep, a sync primitive's wait, an I/O
     * operation), whose poll keeps only the waker and runs no user code, the
     * scratch context of this thread's budget pointed at this task, so that
     * such a poll allocates nothing; for any other future (a user's poll, a
     * map function, which may keep the context or read task locals through
     * it), the task's own ({@link #context()}). The task's own thread.
     */
    private Context contextFor(Future<?> f) {
        return f instanceof io.weft.task.LeafFuture ? scratchContext() : context();
    }

    /** The scratch context of this thread's budget, pointed at this task (see {@link #contextFor}). */
    private Context scratchContext() {
        Budget b = owner.budget();
        Context s = b.scratch;
        if (s == null) {
            return b.scratch = new Context(this, b);
        }
        WAKER.set(s, this);
        return s;
    }

    /** {@code Context.locals}, package-private in {@code io.weft}: read here only to keep a context that has them. */
    private static final java.lang.invoke.VarHandle LOCALS;
    /** {@code Context.waker}: set here only in a budget's scratch context ({@link #contextFor}). */
    private static final java.lang.invoke.VarHandle WAKER;

    static {
        try {
            java.lang.invoke.MethodHandles.Lookup l = java.lang.invoke.MethodHandles.privateLookupIn(Context.class,
                    java.lang.invoke.MethodHandles.lookup());
            LOCALS = l.findVarHandle(Context.class, "locals", Object[].class);
            WAKER = l.findVarHandle(Context.class, "waker", io.weft.Waker.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * The task's context of this poll, made on first use (an await, a
     * {@code TaskLocal}); the task's own thread.
     */
    Context context() {
        Context c = cx;
        if (c == null) {
            c = cx = new Context(this, owner.budget());
        }
        return c;
    }

    /** In its own frames (the caller checked): whether an await may suspend it (not in a poll, nor a blockInPlace body). */
    boolean maySuspend() {
        return held != IN_POLL && held != IN_BLOCK_IN_PLACE;
    }

    /** {@link Await#spendInTaskBudget}: not cancelled, and one unit of the budget spent: that budget; else null. */
    Budget spendForFastAwait() {
        if (isCancelRequested() || held == IN_POLL) {
            return null;
        }
        Budget b = owner.budget();
        return b.tryConsume() ? b : null;
    }

    /**
     * Marks this task (the one the calling worker polls) as in a
     * {@code Weft.blockInPlace} body, until {@link #exitBlockInPlace} with
     * what this returns (what it held: the body may run inside an await's
     * poll, or a re-poll of what it awaits); its thread only. A body is a
     * blocking call on the worker's thread, which is marked blocking
     * meanwhile: a suspension there would leave the worker so marked for as
     * long as the task waited.
     */
    public byte enterBlockInPlace() {
        byte before = held; // NOTHING in the body; IN_POLL in an await's poll; AWAITING in a re-poll of it
        held = IN_BLOCK_IN_PLACE;
        return before;
    }

    /** The blockInPlace body ended: the task holds what it held before ({@link #enterBlockInPlace}'s answer). */
    public void exitBlockInPlace(byte before) {
        held = before;
    }

    /**
     * Why an await throws before it polls: it is inside a future's poll,
     * awaits its own task, or the task is cancelled (then, once it caught
     * its cancellation and awaits again, it yields first).
     */
    private RuntimeException refusedBeforePoll(Future<?> future) {
        if (held == IN_POLL) {
            return awaitInsidePoll(this);
        }
        if (future == this) {
            return new IllegalStateException("task " + this + " awaits its own JoinHandle: it would wait for itself"
                    + " for ever");
        }
        if (held == CANCEL_THROWN) {
            yieldAfterCancel(); // it caught its cancellation and awaits again: the others run first
        }
        if (held == NOTHING) {
            held = CANCEL_THROWN; // what the body throws from here on is this cancellation's (thrownByAbort)
        }
        return new TaskCancelledException("task " + this + " was cancelled");
    }

    /** A pending await in a blockInPlace body, or refused by the debug checks: its future cancelled, then a throw. */
    private void checkMaySuspend(Future<?> future) {
        if (held == IN_BLOCK_IN_PLACE) {
            refuseSuspensionInBlockInPlace(future);
        }
        try {
            AwaitChecks.beforeSuspend(this); // debug: throws here rather than suspend holding a lock
        } catch (IllegalStateException refused) {
            cancelKeeping(future, refused); // it took nothing: a waiter it queued as goes
            throw refused;
        }
    }

    /**
     * The coroutine task whose own code runs in the loop's frames on this
     * thread (a re-poll or a cancel of what it awaits), or null; a finished
     * task's completion wakers run in no task's name.
     */
    static CoroutineTask<?> outsideItsFramesHere() {
        return io.weft.task.CurrentLoop.taskInTurn() instanceof CoroutineTask<?> t && !t.isFinished() ? t : null;
    }

    /** The refusal of an await inside a future's poll in {@code task}: the poll's caller is to throw it. */
    static IllegalStateException awaitInsidePoll(CoroutineTask<?> task) {
        return new IllegalStateException("await() inside a future's poll in task " + task + " (a map or then"
                + " function, a hand-written Future.poll): the task cannot suspend in the middle of a poll. Await"
                + " the future before or after it (f.await() then the function), or chain it with then(...)");
    }

    /** What a task that yields after its cancellation waits on: ready at once (its next turn resumes it). */
    private static final Future<Object> AFTER_CANCEL = cx -> Poll.ready(null);

    /**
     * The body caught its cancellation and awaits again (a catch-all around
     * an await, in a loop): every await throws the cancellation, so such a
     * loop would never give the thread back. This one suspends first, woken
     * by itself to the back of the queue, so the executor's other tasks, its
     * timers and its I/O run before the body gets the thread again; then the
     * await throws as before. The task ends once the body lets it.
     */
    private void yieldAfterCancel() {
        slot = AFTER_CANCEL;
        held = AWAITING;
        wake(); // its own wake during its poll: queued again after this poll
        TaskContinuation.suspend();
        slot = null; // resumed by cancelTask, which put its cancellation there: it is thrown by the caller
        held = CANCEL_THROWN;
    }

    /** A pending await inside a blockInPlace body: its future is cancelled (it took nothing), then this throws. */
    private void refuseSuspensionInBlockInPlace(Future<?> future) {
        IllegalStateException e = new IllegalStateException("await() inside Weft.blockInPlace in task " + this
                + " would suspend: the body is a blocking call on the worker's thread. Await before or after it,"
                + " or use Weft.spawnBlocking(body).await() for work that blocks and awaits");
        cancelKeeping(future, e);
        throw e;
    }

    /** Cancels {@code f}; what its cancel throws (e.g. a local primitive used from the wrong thread) goes on {@code e}. */
    private static void cancelKeeping(Future<?> f, Throwable e) {
        try {
            Futures.cancel(f);
        } catch (RuntimeException again) {
            e.addSuppressed(again);
        }
    }

    /**
     * {@code future.await()} inside this task: poll with the task's context;
     * if pending, suspend. From then on each wake of the task polls the
     * future again in {@link #pollTask}, in the executor's frames, and
     * resumes the body only once it is ready (a wake that finds it still
     * pending costs no thaw and no freeze). Once the task is aborted, every
     * await throws {@link TaskCancelledException}; one suspended here
     * cancels its future first ({@link #cancelTask}, the
     * {@link io.weft.CancellableFuture} contract), so what the future was
     * handed goes on to the next waiter before the task's finally blocks run.
     * An await inside that poll (in a map function) is refused: the task
     * cannot suspend in the middle of a poll, and a re-poll runs in the
     * executor's frames, where it has no frames of its own to suspend.
     */
    @SuppressWarnings("unchecked")
    <R> R await(Future<R> future) {
        byte running = held;
        if (running == IN_POLL || future == this || isCancelRequested()) {
            throw refusedBeforePoll(future); // out of line: the common road stays small
        }
        Context cx = contextFor(future);
        held = IN_POLL;
        Poll<R> p;
        try {
            p = future.poll(cx);
        } catch (Throwable t) {
            held = running;
            throw t;
        }
        held = running;
        if (p.isReady()) {
            return p.get();
        }
        if (running == IN_BLOCK_IN_PLACE || AwaitChecks.enabled()) {
            checkMaySuspend(future);
        }
        slot = future;
        held = AWAITING;
        try {
            TaskContinuation.suspend();
        } catch (IllegalStateException pinned) { // onPinned: the continuation cannot yield here
            if (held == AWAITING && slot == future) {
                slot = null;
                held = NOTHING;
                cancelKeeping(future, pinned); // it took nothing: a waiter it queued as goes
            }
            throw pinned;
        }
        // Resumed by pollTask (a value or a throw) or cancelTask (a throw), which re-polled the future in
        // the executor's frames, not in these (see the package comment, "Resumed frames and the JIT").
        Object out = slot;
        slot = null;
        byte h = held;
        held = NOTHING;
        if (h == THROW) {
            throw Sneaky.rethrow((Throwable) out);
        }
        return (R) out;
    }
}
