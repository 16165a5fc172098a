package io.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIIII_Result;

/**
 * abort() racing the final turn: the task either completes with its value or
 * is cancelled, exactly once, and abort never schedules it (it is queued or
 * running the whole time, then complete). A poll that returned the value
 * wins over an abort that came during it: the value may be a lock or a
 * connection its body took, which nobody else would give back.
 *
 * <p>Result: (join in the arbiter: 42 = value, -3 = TaskCancelledException;
 * schedule() calls; state word after both actors; completed() calls; 10 * polls + cancels
 * of the body).
 */
@JCStressTest
@Description("abort() racing turn() that completes the task: value or cancelled, never both, never scheduled.")
@Outcome(id = "42, 0, 2, 1, 10", expect = ACCEPTABLE, desc = "Completed before the abort: the abort saw COMPLETE and did nothing.")
@Outcome(id = "-3, 0, 10, 1, 1", expect = ACCEPTABLE, desc = "Aborted before the turn: toRunning returned CANCELLED, only the cancellation path ran.")
@Outcome(id = "42, 0, 10, 1, 10", expect = ACCEPTABLE_INTERESTING, desc = "Aborted during the poll that returned the value: the task completes with it (what the poll took is never dropped); CANCELLED records a request that came too late.")
@Outcome(id = "-3, 0, 10, 1, 10", expect = FORBIDDEN, desc = "VALUE DROPPED: the poll returned the value and the abort threw it away.")
@Outcome(id = ".*, [1-9], .*", expect = FORBIDDEN, desc = "abort() scheduled a task that was queued or running (double queue / queue of a complete task).")
@Outcome(expect = FORBIDDEN, desc = "Anything else (both paths ran, completed twice, NOTIFIED left set, wrong output) is a protocol bug.")
@State
public class AbortVsCompletionTest {
    final CountingOwner owner = new CountingOwner();
    final DrivenTask task = new DrivenTask(owner, DrivenTask.VALUE);

    @Actor
    public void executor() {
        task.turn();
    }

    @Actor
    public void aborter() {
        task.abort();
    }

    @Arbiter
    public void arbiter(IIIII_Result r) {
        r.r3 = task.state(); // before the join poll, which sets JOIN_INTEREST
        r.r1 = task.join(new DrivenTask.CountingWaker());
        r.r2 = owner.schedules.get();
        r.r4 = owner.completions.get();
        r.r5 = 10 * task.polls + task.cancels;
    }
}
