package io.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.weft.Context;
import io.weft.Poll;
import io.weft.blocking.BlockingJob;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * {@link BlockingJob}: the pool thread finishing a job (store the
 * value, store {@code done}, read the waker, wake it) racing the loop's
 * first poll (store the waker, read {@code done}). A Dekker pair on two
 * volatiles: either the poll sees the job done, or the job sees the waker.
 *
 * <p>Result: (first poll: 1 = ready with the value, 0 = pending; wakes;
 * the value a second poll in the arbiter returns).
 */
@JCStressTest
@Description("BlockingJob: completion on a pool thread racing the first poll; never pending without a wake.")
@Outcome(id = "1, 0, 42", expect = ACCEPTABLE, desc = "The job finished first: the poll was ready, nobody to wake.")
@Outcome(id = "0, 1, 42", expect = ACCEPTABLE, desc = "The poll came first: pending, and the job woke it once.")
@Outcome(id = "1, 1, 42", expect = ACCEPTABLE_INTERESTING, desc = "Both saw each other: ready, plus one harmless extra wake.")
@Outcome(id = "0, 0, .*", expect = FORBIDDEN, desc = "LOST WAKEUP: pending and never woken.")
@Outcome(expect = FORBIDDEN, desc = "Anything else (two wakes, a missing value) is a bug.")
@State
public class BlockingJobVsPollTest {
    final BlockingJob<Integer> job = new BlockingJob<>(() -> 42);
    final DrivenTask.CountingWaker waker = new DrivenTask.CountingWaker();
    int first;

    @Actor
    public void pool() {
        job.run();
    }

    @Actor
    public void loop() {
        Poll<Integer> p = job.poll(new Context(waker));
        first = p.isReady() && p.get() == 42 ? 1 : p.isReady() ? 2 : 0;
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r1 = first;
        r.r2 = waker.wakes.get();
        Poll<Integer> p = job.poll(new Context(new DrivenTask.CountingWaker()));
        r.r3 = p.isReady() ? p.get() : -1;
    }
}
