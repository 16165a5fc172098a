package io.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Two threads wake the same idle task: only the one whose CAS set NOTIFIED
 * hands it to the owner.
 *
 * <p>Result: (schedule() calls, final state word).
 */
@JCStressTest
@Description("Two concurrent wake() calls on an idle task: schedule() is called exactly once.")
@Outcome(id = "1, 4", expect = ACCEPTABLE, desc = "One wake set NOTIFIED and scheduled the task; the other saw NOTIFIED and did nothing.")
@Outcome(id = "0, .*", expect = FORBIDDEN, desc = "LOST WAKEUP: the task is never scheduled.")
@Outcome(id = "2, .*", expect = FORBIDDEN, desc = "DOUBLE QUEUE: both wakes scheduled the task.")
@Outcome(expect = FORBIDDEN, desc = "Anything else is a protocol bug.")
@State
public class TwoWakesTest {
    final CountingOwner owner = new CountingOwner();
    final DrivenTask task = new DrivenTask(owner, DrivenTask.pending());

    public TwoWakesTest() {
        task.transitionToRunning();
        task.transitionToIdle(); // polled once, returned pending: idle (state 0), waiting for a waker
    }

    @Actor
    public void waker1() {
        task.wake();
    }

    @Actor
    public void waker2() {
        task.wake();
    }

    @Arbiter
    public void arbiter(II_Result r) {
        r.r1 = owner.schedules.get();
        r.r2 = task.state();
    }
}
