package io.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.weft.Context;
import io.weft.Poll;
import io.weft.blocking.BlockingJob;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * {@link BlockingJob}'s discard: the pool thread finishing a job that
 * opened something (store the value, store {@code done}, read
 * {@code cancelled}) racing the loop, which polls once and, if the value is
 * not there, cancels (store {@code cancelled}, read {@code done}). The value
 * must end in exactly one place: returned by the poll, or given to the
 * discard action once, whichever thread sees both flags first.
 *
 * <p>Result: (the poll returned the value: 1, else 0; discards).
 */
@JCStressTest
@Description("BlockingJob: completion racing a cancel; what the job opened is taken or discarded exactly once.")
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "The job finished before the poll: the poll took the value.")
@Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "Cancelled first: the value was discarded once.")
@Outcome(id = "0, 0", expect = FORBIDDEN, desc = "LEAK: cancelled, and the value went nowhere.")
@Outcome(expect = FORBIDDEN, desc = "DOUBLE: the value was discarded twice, or taken and discarded.")
@State
public class BlockingJobCancelTest {
    final AtomicInteger discards = new AtomicInteger();
    final BlockingJob<Integer> job = new BlockingJob<>(() -> 42, v -> discards.incrementAndGet());
    int taken;

    @Actor
    public void pool() {
        job.run();
    }

    @Actor
    public void loop() {
        Poll<Integer> p = job.poll(new Context(new DrivenTask.CountingWaker()));
        if (p.isReady()) {
            taken = 1;
        }
        job.cancel(); // a no-op once a poll returned the value
    }

    @Arbiter
    public void arbiter(II_Result r) {
        r.r1 = taken;
        r.r2 = discards.get();
    }
}
