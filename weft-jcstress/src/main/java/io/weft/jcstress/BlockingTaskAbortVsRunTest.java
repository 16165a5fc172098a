package io.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.weft.blocking.BlockingTask;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIIII_Result;

/**
 * {@link BlockingTask}'s run word: a pool thread taking the task (claim,
 * body, completion) racing {@code abort()} from another thread, with a body
 * that returns 42 at once. A join waiter registered before both must be
 * woken once, on whichever thread completes the task.
 *
 * <p>Result: (join in the arbiter: 42 = value, -3 = TaskCancelledException,
 * -1 = pending; body calls; final run word: 4 = ENDED, 5 = TAKEN; interrupt
 * left over: 1 = the pool thread's flag was set when run() returned, 2 = set
 * on it when both actors had ended, 0 = none; wakes of the early joiner).
 */
@JCStressTest
@Description("BlockingTask: abort vs claim, body and completion on a pool thread; one outcome, no stray interrupt.")
@Outcome(id = "42, 1, 4, 0, 1", expect = ACCEPTABLE, desc = "The body returned before the abort looked, or while it interrupted: the value is kept.")
@Outcome(id = "-3, 0, 5, 0, 1", expect = ACCEPTABLE, desc = "Aborted while queued: the abort took the turn and completed it; the body never ran.")
@Outcome(id = "-3, 0, 4, 0, 1", expect = ACCEPTABLE_INTERESTING, desc = "The pool thread claimed first, the abort came before the body: cancellation path on the pool thread.")
@Outcome(id = "-3, 1, .*", expect = FORBIDDEN, desc = "VALUE DROPPED: the body returned its value and the handle says cancelled.")
@Outcome(id = ".*, [12], .*", expect = FORBIDDEN, desc = "STRAY INTERRUPT: the abort's interrupt outlived the body (it would hit the pool's next job).")
@Outcome(id = "-1, .*", expect = FORBIDDEN, desc = "NEVER FINISHED: both actors ended and the handle is pending.")
@Outcome(id = ".*, 0", expect = FORBIDDEN, desc = "LOST JOIN WAKEUP: the waiter registered before both was never woken.")
@Outcome(expect = FORBIDDEN, desc = "Anything else (body twice, woken twice, run word not final) is a protocol bug.")
@State
public class BlockingTaskAbortVsRunTest {
    int calls;
    final BlockingTask<Integer> task = BlockingTask.unqueued("jcstress", () -> {
        calls++;
        return DrivenTask.VALUE;
    }, null);
    final DrivenTask.CountingWaker early = new DrivenTask.CountingWaker();
    Thread poolThread;
    int strayAfterRun;

    public BlockingTaskAbortVsRunTest() {
        DrivenTask.join(task, early); // pending: the waiter is on the join stack before either actor runs
    }

    @Actor
    public void pool() {
        poolThread = Thread.currentThread();
        task.run();
        strayAfterRun = Thread.interrupted() ? 1 : 0;
    }

    @Actor
    public void aborter() {
        task.abort();
    }

    @Arbiter
    public void arbiter(IIIII_Result r) {
        r.r1 = DrivenTask.join(task, new DrivenTask.CountingWaker());
        r.r2 = calls;
        r.r3 = task.runState();
        r.r4 = strayAfterRun != 0 ? 1 : (poolThread.isInterrupted() ? 2 : 0);
        r.r5 = early.wakes.get();
    }
}
