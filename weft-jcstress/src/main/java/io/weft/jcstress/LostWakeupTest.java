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
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * The lost-wakeup race: the owner ends a poll that returned pending
 * ({@code transitionToIdle}) while another thread wakes the task. Whoever sees
 * the other's step must queue the task: exactly one of "toIdle says
 * OK_NOTIFIED" and "wake calls schedule".
 *
 * <p>Result: (toIdle returned OK_NOTIFIED ? 1 : 0, schedule() calls, final state word).
 */
@JCStressTest
@Description("transitionToIdle() racing wake() on a RUNNING task: the task is queued again exactly once.")
@Outcome(id = "1, 0, 4", expect = ACCEPTABLE, desc = "Wake landed during the poll: toIdle returns OK_NOTIFIED, the executor re-queues; state NOTIFIED.")
@Outcome(id = "0, 1, 4", expect = ACCEPTABLE, desc = "Wake landed after toIdle: the waker calls schedule(); state NOTIFIED.")
@Outcome(id = "0, 0, .*", expect = FORBIDDEN, desc = "LOST WAKEUP: nobody queues the task.")
@Outcome(id = "1, 1, .*", expect = FORBIDDEN, desc = "DOUBLE QUEUE: both the executor and the waker queue the task.")
@Outcome(expect = FORBIDDEN, desc = "Anything else (wrong state word, several schedules) is a protocol bug.")
@State
public class LostWakeupTest {
    final CountingOwner owner = new CountingOwner();
    final DrivenTask task = new DrivenTask(owner, DrivenTask.pending());

    public LostWakeupTest() {
        task.transitionToRunning(); // a new task is NOTIFIED (as if queued): the owner takes it
    }

    @Actor
    public void executor(III_Result r) {
        r.r1 = task.transitionToIdle() == Task.ToIdle.OK_NOTIFIED ? 1 : 0;
    }

    @Actor
    public void waker() {
        task.wake();
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r2 = owner.schedules.get();
        r.r3 = task.state();
    }
}
