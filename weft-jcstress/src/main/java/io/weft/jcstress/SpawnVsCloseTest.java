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
import org.openjdk.jcstress.infra.results.ZII_Result;

/**
 * A StealingExecutor's spawn from outside against its close: the close
 * stops the workers once it counts no live task, so a task it did not count
 * must never be left counted (queued where no worker will take it, and a
 * count that a second close would wait on for ever). Either the spawn is
 * accepted and the close counted it (and waits for it), or it is refused
 * and nothing of it stays.
 */
@JCStressTest
@Description("StealingExecutor: a spawn from outside against the close's first step; no task is stranded.")
@Outcome(id = "true, 1, 1", expect = ACCEPTABLE, desc = "Accepted before the close; the close waits for it.")
@Outcome(id = "false, 0, 0", expect = ACCEPTABLE, desc = "Refused; nothing was counted.")
@Outcome(id = "false, 1, 0", expect = ACCEPTABLE, desc = "Counted, then refused and taken back; the close saw it for a moment.")
@Outcome(id = "false, 0, 1", expect = FORBIDDEN, desc = "Refused, yet left counted and queued after the close saw none: stranded.")
@Outcome(id = "false, 1, 1", expect = FORBIDDEN, desc = "Refused, yet left counted: a second close waits for ever.")
@Outcome(expect = FORBIDDEN, desc = "Anything else.")
@State
public class SpawnVsCloseTest {
    final StealForJcstress executor = StealForJcstress.twoWorkers();

    @Actor
    public void outside(ZII_Result r) {
        r.r1 = executor.spawnFromOutside();
    }

    @Actor
    public void closer(ZII_Result r) {
        r.r2 = executor.startClosingThenCountLive();
    }

    @Arbiter
    public void arbiter(ZII_Result r) {
        r.r3 = executor.liveTasks();
    }
}
