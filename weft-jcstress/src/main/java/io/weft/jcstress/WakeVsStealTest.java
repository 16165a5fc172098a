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
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * A StealingExecutor's task, queued on worker 0 and not yet run, is stolen
 * by worker 1, which becomes its home and polls it (pending), while a
 * thread outside wakes it. The wake is served exactly once: by that first
 * poll (it came before the poll looked), or by the task queued once more on
 * its new home's remote queue (it came during or after the poll), never on
 * a queue another worker could take it from, never twice.
 */
@JCStressTest
@Description("StealingExecutor: a wake from outside against a steal and first run; the wake is served once, at home.")
@Outcome(id = "1, 1, 0, 0", expect = ACCEPTABLE, desc = "Woken before the poll looked: that poll served the wake.")
@Outcome(id = "1, 1, 1, 0", expect = ACCEPTABLE, desc = "Woken during or after the poll: queued once at its new home.")
@Outcome(id = "1, 1, 0, 1", expect = FORBIDDEN, desc = "Queued where another worker may take it: its frames are at home.")
@Outcome(id = "1, 1, 2, 0", expect = FORBIDDEN, desc = "Queued twice for one wake: polled twice.")
@Outcome(expect = FORBIDDEN, desc = "Anything else: not stolen, not polled once, lost or duplicated.")
@State
public class WakeVsStealTest {
    final StealForJcstress executor;
    final DrivenTask task;

    public WakeVsStealTest() {
        executor = StealForJcstress.twoWorkers();
        task = new DrivenTask(executor.owner(), DrivenTask.pending()); // its first poll is pending
        executor.pushOnWorker0(task);
    }

    @Actor
    public void thief(IIII_Result r) {
        r.r1 = executor.stealAndRunOnWorker1() == task ? 1 : 0;
    }

    @Actor
    public void outside() {
        task.wake();
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        r.r2 = task.polls;
        int[] where = executor.whereQueued(task);
        r.r3 = where[0];
        r.r4 = where[1];
    }
}
