package io.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * A task that wakes itself during its poll (yieldNow) is queued again by the
 * owner, possibly still RUNNING; a wake from another thread lands anywhere in
 * the two turns. Every wake must be served by a later poll, and the task is
 * never queued twice at once nor left NOTIFIED without being queued.
 *
 * <p>Result: (schedule() calls, final state word, polls of the body).
 */
@JCStressTest
@Description("Self-wake during a poll, then a second turn, racing a remote wake(): queued once per needed poll.")
@Outcome(id = "1, 0, 2", expect = ACCEPTABLE, desc = "The remote wake landed before the second poll began (or before the first): served by a poll already due; idle at the end.")
@Outcome(id = "2, 4, 2", expect = ACCEPTABLE, desc = "The remote wake landed during or after the second poll: the task is queued once more and NOTIFIED.")
@Outcome(id = "1, 4, .*", expect = FORBIDDEN, desc = "LOST WAKEUP: NOTIFIED but nobody queued the task for it.")
@Outcome(id = "2, 0, .*", expect = FORBIDDEN, desc = "Queued without NOTIFIED: the owner's next turn would find an idle task.")
@Outcome(expect = FORBIDDEN, desc = "Anything else (queued three times, still RUNNING, polled a wrong number of times) is a protocol bug.")
@State
public class SelfWakeVsRemoteWakeTest {
    final CountingOwner owner = new CountingOwner();
    final DrivenTask task = new DrivenTask(owner, DrivenTask.pending());

    public SelfWakeVsRemoteWakeTest() {
        task.selfWakeOnNextPoll = true;
    }

    @Actor
    public void executor() {
        task.turn(); // polls, wakes itself, returns pending: schedule() #1
        task.turn(); // the owner runs it again (as it would after popping it): pending
    }

    @Actor
    public void waker() {
        task.wake();
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r1 = owner.schedules.get();
        r.r2 = task.state();
        r.r3 = task.polls;
    }
}
