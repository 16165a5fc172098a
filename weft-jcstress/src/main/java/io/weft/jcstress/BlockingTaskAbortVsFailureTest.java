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
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * {@link BlockingTask}: a body that throws a failure of its own, racing
 * {@code abort()} from another thread. The failure is the task's unless the
 * abort's interrupt reached the body (then whatever the body threw is the
 * abort's): an abort that comes once the body has ended (run word ENDED, no
 * interrupt) must not turn the failure into a cancellation, which a
 * TaskScope does not report.
 *
 * <p>Result: (join in the arbiter: -3 = TaskCancelledException, -4 = the
 * failure (another exception), -1 = pending; body calls; the run word the
 * aborter saw just before its abort: 0 = QUEUED, 1 = STARTED, 4 = ENDED,
 * 5 = TAKEN).
 */
@JCStressTest
@Description("BlockingTask: abort vs a body that throws; the failure is kept unless the abort interrupted the body.")
@Outcome(id = "-4, 1, [014]", expect = ACCEPTABLE, desc = "The body's own failure is kept (the abort came after it, or its interrupt did not reach the body).")
@Outcome(id = "-3, 1, [01]", expect = ACCEPTABLE_INTERESTING, desc = "The abort's interrupt landed in the body: what it threw is the abort's.")
@Outcome(id = "-3, 0, [015]", expect = ACCEPTABLE, desc = "Aborted before the body ran: cancelled, the body never ran.")
@Outcome(id = "-3, 1, 4", expect = FORBIDDEN, desc = "FAILURE LOST: the body had ended when the abort came, and its failure became a cancellation.")
@Outcome(id = "-1, .*", expect = FORBIDDEN, desc = "NEVER FINISHED.")
@Outcome(expect = FORBIDDEN, desc = "Anything else is a protocol bug.")
@State
public class BlockingTaskAbortVsFailureTest {
    int calls;
    final BlockingTask<Integer> task = BlockingTask.unqueued("jcstress", () -> {
        calls++;
        throw new IllegalStateException("the body's own failure");
    }, null);

    public BlockingTaskAbortVsFailureTest() {
        DrivenTask.join(task, new DrivenTask.CountingWaker()); // a joiner: the failure is looked at, not reported
    }

    @Actor
    public void pool() {
        task.run();
        Thread.interrupted();
    }

    @Actor
    public void aborter(III_Result r) {
        r.r3 = task.runState();
        task.abort();
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r1 = DrivenTask.join(task, new DrivenTask.CountingWaker());
        r.r2 = calls;
    }
}
