package io.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.weft.task.Task;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * abort() racing the end of a pending poll: like a wake, the abort must get
 * the task queued exactly once, and the next turn must take the cancellation
 * path.
 *
 * <p>Result: (toIdle returned OK_NOTIFIED ? 1 : 0, schedule() calls, state
 * word before the next turn, next transitionToRunning(): 1 = CANCELLED,
 * 0 = SUCCESS, -1 = threw).
 */
@JCStressTest
@Description("abort() racing transitionToIdle(): queued exactly once, CANCELLED set, the next turn runs the cancellation path.")
@Outcome(id = "1, 0, 12, 1", expect = ACCEPTABLE, desc = "Abort during the poll: toIdle returns OK_NOTIFIED, the executor re-queues; the next turn is CANCELLED.")
@Outcome(id = "0, 1, 12, 1", expect = ACCEPTABLE, desc = "Abort after toIdle: abort calls schedule(); the next turn is CANCELLED.")
@Outcome(id = "0, 0, .*", expect = FORBIDDEN, desc = "LOST ABORT: nobody queues the task.")
@Outcome(id = "1, 1, .*", expect = FORBIDDEN, desc = "DOUBLE QUEUE: both the executor and abort queue the task.")
@Outcome(expect = FORBIDDEN, desc = "Anything else (CANCELLED or NOTIFIED missing, next turn not CANCELLED) is a protocol bug.")
@State
public class AbortVsIdleTest {
    final CountingOwner owner = new CountingOwner();
    final DrivenTask task = new DrivenTask(owner, DrivenTask.pending());

    public AbortVsIdleTest() {
        task.transitionToRunning();
    }

    @Actor
    public void executor(IIII_Result r) {
        r.r1 = task.transitionToIdle() == Task.ToIdle.OK_NOTIFIED ? 1 : 0;
    }

    @Actor
    public void aborter() {
        task.abort();
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        r.r2 = owner.schedules.get();
        r.r3 = task.state();
        try {
            r.r4 = task.transitionToRunning() == Task.ToRunning.CANCELLED ? 1 : 0;
        } catch (IllegalStateException e) {
            r.r4 = -1;
        }
    }
}
