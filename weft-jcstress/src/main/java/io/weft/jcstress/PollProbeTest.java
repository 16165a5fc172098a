package io.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.weft.diag.PollProbe;
import io.weft.task.Task;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The stall watchdog's read of an executor thread's poll probe while the
 * loop ends one poll (of task 1, begun at time 1) and begins the next (task
 * 2 at time 2). The watchdog reads the task, the start, the task again, and
 * trusts the start only when it read the same task twice; it must never
 * pair task 2 with task 1's older start (it would report a stall that is
 * not there). Result: (1 if it read the same task twice, else 0; then
 * task x 10 + start for such a trusted pair, else 0).
 */
@JCStressTest
@Description("PollProbe: a consistent (task, start) pair never gives a later task an earlier poll's start.")
@Outcome(id = "1, 11", expect = ACCEPTABLE, desc = "Task 1's poll, its start.")
@Outcome(id = "1, 22", expect = ACCEPTABLE, desc = "Task 2's poll, its start.")
@Outcome(id = "1, 12", expect = ACCEPTABLE_INTERESTING, desc = "Task 1 with task 2's later start: a shorter time, never a false stall.")
@Outcome(id = "1, 21", expect = FORBIDDEN, desc = "Task 2 with task 1's earlier start: a false stall.")
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "Between polls, or the task changed between the reads: not trusted.")
@Outcome(expect = FORBIDDEN, desc = "Anything else.")
@State
public class PollProbeTest {
    final PollProbe probe = new PollProbe("jcstress", 1_000_000L, s -> { });
    final CountingOwner owner = new CountingOwner();
    final Task<?> one = new DrivenTask(owner, DrivenTask.pending());
    final Task<?> two = new DrivenTask(owner, DrivenTask.pending());

    public PollProbeTest() {
        probe.beginTimedAt(one, 1);
    }

    @Actor
    public void loop() {
        probe.end();
        probe.beginTimedAt(two, 2);
    }

    @Actor
    public void watchdog(II_Result r) {
        Task<?> t = probe.polling();
        long start = probe.start();
        boolean trusted = t != null && probe.polling() == t; // as StallWatchdog.look
        r.r1 = trusted ? 1 : 0;
        r.r2 = trusted ? id(t) * 10 + (int) start : 0;
    }

    private int id(Task<?> t) {
        return t == one ? 1 : t == two ? 2 : 0;
    }
}
