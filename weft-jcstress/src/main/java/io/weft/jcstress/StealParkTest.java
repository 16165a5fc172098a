package io.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.weft.steal.StealForJcstress;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZI_Result;

/**
 * The StealingExecutor's idle protocol: a task queued from outside while
 * the last searching worker gives up and parks. Either the worker's last
 * look finds the task, or the queuer sees nobody searching and wakes the
 * worker: the worker is always told to wake, so the task always runs.
 */
@JCStressTest
@Description("StealingExecutor: a spawn from outside against the last searcher going to park; the task is never stranded.")
@Outcome(id = "true, 1", expect = ACCEPTABLE, desc = "The worker was told to wake; the task waits for it in the shared queue.")
@Outcome(id = "false, 1", expect = FORBIDDEN, desc = "The worker parked for good with a task queued: stranded.")
@Outcome(expect = FORBIDDEN, desc = "Anything else.")
@State
public class StealParkTest {
    final StealForJcstress executor = new StealForJcstress();
    final DrivenTask task = new DrivenTask(new CountingOwner(), 1);

    @Actor
    public void worker() {
        executor.parkAsLastSearcher();
    }

    @Actor
    public void outside() {
        executor.scheduleFromOutside(task);
    }

    @Arbiter
    public void arbiter(ZI_Result r) {
        r.r1 = executor.workerNotified();
        r.r2 = executor.queued();
    }
}
