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
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * The first join poll racing the task's completion: the joiner either sees
 * the output, or registers its waker in time for the completer to wake it.
 *
 * <p>Result: (join poll: 42 = ready with the value, -1 = pending, other
 * negatives = null/cancelled/failed; wakes of the join waker; join poll again
 * in the arbiter; completed() calls).
 */
@JCStressTest
@Description("JoinHandle.poll racing the final turn(): ready, or pending and woken exactly once.")
@Outcome(id = "42, 0, 42, 1", expect = ACCEPTABLE, desc = "The join poll saw the output (completed before, or its JOIN_WAKER CAS found COMPLETE).")
@Outcome(id = "-1, 1, 42, 1", expect = ACCEPTABLE, desc = "The join poll registered its waker first: pending, and the completer woke it once.")
@Outcome(id = "42, 1, 42, 1", expect = ACCEPTABLE_INTERESTING, desc = "Ready and also woken: a spurious wake (harmless, but the protocol should not produce it).")
@Outcome(id = "-1, 0, .*", expect = FORBIDDEN, desc = "LOST JOIN WAKEUP: pending and never woken.")
@Outcome(id = "-2, .*", expect = FORBIDDEN, desc = "The joiner saw COMPLETE but read no output (publication race).")
@Outcome(expect = FORBIDDEN, desc = "Anything else (woken twice, wrong output, not completed once) is a protocol bug.")
@State
public class JoinVsCompletionTest {
    final CountingOwner owner = new CountingOwner();
    final DrivenTask task = new DrivenTask(owner, DrivenTask.VALUE); // polls ready with 42
    final DrivenTask.CountingWaker joinWaker = new DrivenTask.CountingWaker();

    @Actor
    public void executor() {
        task.turn(); // a new task is NOTIFIED: toRunning, poll -> 42, toComplete, wake joiners
    }

    @Actor
    public void joiner(IIII_Result r) {
        r.r1 = task.join(joinWaker);
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        r.r2 = joinWaker.wakes.get();
        r.r3 = task.join(new DrivenTask.CountingWaker());
        r.r4 = owner.completions.get();
    }
}
