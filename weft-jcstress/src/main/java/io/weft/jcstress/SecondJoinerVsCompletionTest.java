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
 * Like {@link JoinVsCompletionTest}, but a first waiter has already
 * registered its waker (JOIN_WAKER is set) when a second waiter, with another
 * waker, polls the join handle while the task completes. The join handle
 * promises any number of waiters: the second must get the output or be woken.
 *
 * <p>Result: (second join poll: 42 = ready, -1 = pending; wakes of the second
 * waker; wakes of the first waker; completed() calls).
 */
@JCStressTest
@Description("A second join waiter (JOIN_WAKER already set) racing the final turn(): ready, or pending and woken exactly once.")
@Outcome(id = "42, 0, 1, 1", expect = ACCEPTABLE, desc = "The second waiter saw the output; the first was woken by the completer.")
@Outcome(id = "-1, 1, 1, 1", expect = ACCEPTABLE, desc = "The second waiter registered before the completer took the join stack: pending, and woken once.")
@Outcome(id = "42, 1, 1, 1", expect = ACCEPTABLE_INTERESTING, desc = "Ready and also woken: a spurious wake (harmless).")
@Outcome(id = "-1, 0, .*", expect = FORBIDDEN, desc = "LOST JOIN WAKEUP: the second waiter pushed its waker after the completer took the join stack, and returned pending without seeing COMPLETE.")
@Outcome(expect = FORBIDDEN, desc = "Anything else is a protocol bug.")
@State
public class SecondJoinerVsCompletionTest {
    final CountingOwner owner = new CountingOwner();
    final DrivenTask task = new DrivenTask(owner, DrivenTask.VALUE);
    final DrivenTask.CountingWaker first = new DrivenTask.CountingWaker();
    final DrivenTask.CountingWaker second = new DrivenTask.CountingWaker();

    public SecondJoinerVsCompletionTest() {
        task.join(first); // pending: registers the first waker, sets JOIN_WAKER | JOIN_INTEREST
    }

    @Actor
    public void executor() {
        task.turn();
    }

    @Actor
    public void secondJoiner(IIII_Result r) {
        r.r1 = task.join(second);
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        r.r2 = second.wakes.get();
        r.r3 = first.wakes.get();
        r.r4 = owner.completions.get();
    }
}
