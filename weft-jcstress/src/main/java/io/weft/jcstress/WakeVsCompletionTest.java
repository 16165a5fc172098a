package io.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * wake() racing the final turn. A wake before the turn finds NOTIFIED (the
 * new task is queued) and does nothing; a wake during the poll sets NOTIFIED
 * on a RUNNING task, which toComplete clears; a wake after completion finds
 * COMPLETE. In no order may the waker schedule the task: a complete task must
 * never be queued (the owner would throw in toRunning).
 *
 * <p>Result: (schedule() calls, final state word, completed() calls, polls of the body).
 */
@JCStressTest
@Description("wake() racing turn() that completes the task: the task is never scheduled, completes exactly once.")
@Outcome(id = "0, 2, 1, 1", expect = ACCEPTABLE, desc = "The wake saw NOTIFIED (before the turn), set NOTIFIED on RUNNING (cleared by completion), or saw COMPLETE: no schedule; state COMPLETE.")
@Outcome(id = "[1-9], .*", expect = FORBIDDEN, desc = "A wake scheduled the task: a completed task would be queued (or an already-queued one queued twice).")
@Outcome(expect = FORBIDDEN, desc = "Anything else (NOTIFIED left on a complete task, not completed exactly once, polled twice) is a protocol bug.")
@State
public class WakeVsCompletionTest {
    final CountingOwner owner = new CountingOwner();
    final DrivenTask task = new DrivenTask(owner, DrivenTask.VALUE);

    @Actor
    public void executor() {
        task.turn();
    }

    @Actor
    public void waker() {
        task.wake();
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        r.r1 = owner.schedules.get();
        r.r2 = task.state();
        r.r3 = owner.completions.get();
        r.r4 = task.polls;
    }
}
