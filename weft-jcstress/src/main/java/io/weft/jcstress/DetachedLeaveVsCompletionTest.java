package io.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.weft.CancellableFuture;
import io.weft.Context;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * A wait through {@code detached()} registered on a task (counted in its
 * state word) gives up while the task's final turn completes it with a
 * failure. Nobody else waits, so the failure must be reported exactly
 * once: by the completer if the wait's count left first, else by the wait
 * that leaves after the completion.
 *
 * <p>Result: (failures reported to the owner, completed() calls).
 */
@JCStressTest
@Description("A detached wait's give-up racing the task's failing completion: the failure reported exactly once.")
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "Reported once, by the completer or by the wait that left after it.")
@Outcome(id = "0, .*", expect = FORBIDDEN, desc = "LOST: the completer saw the wait counted, and the wait left without reporting.")
@Outcome(id = "2, .*", expect = FORBIDDEN, desc = "DUPLICATED: both reported it.")
@Outcome(expect = FORBIDDEN, desc = "Anything else is a protocol bug.")
@State
public class DetachedLeaveVsCompletionTest {
    final CountingOwner owner = new CountingOwner();
    final DrivenTask task = new DrivenTask(owner, new io.weft.task.Outcome.Failure(new IllegalStateException("late")));
    final CancellableFuture<Integer> wait;

    @SuppressWarnings("unchecked")
    public DetachedLeaveVsCompletionTest() {
        wait = (CancellableFuture<Integer>) task.detached();
        if (wait.poll(new Context(new DrivenTask.CountingWaker())).isReady()) {
            throw new AssertionError("the task had not run: the wait must be pending");
        }
    }

    @Actor
    public void executor() {
        task.turn(); // completes it with the failure
    }

    @Actor
    public void givesUp() {
        wait.cancel();
    }

    @Arbiter
    public void arbiter(II_Result r) {
        r.r1 = owner.failures.get();
        r.r2 = owner.completions.get();
    }
}
