package io.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.weft.blocking.BlockingJob;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * {@link BlockingJob#awaitEnd}: a pool thread waits for a cancelled job that
 * another pool thread is in (a file's write waits for a cancelled write,
 * {@code ChannelFile}). The job's thread stores {@code done}, then reads
 * {@code awaited} and notifies; the waiter stores {@code awaited}, then
 * reads {@code done} under the monitor. The waiter must return (a missed
 * notify hangs it: the run does not finish) and then see what the job's
 * body wrote.
 *
 * <p>Result: what the waiter saw of the body's write.
 */
@JCStressTest
@Description("BlockingJob.awaitEnd against the job's end: the waiter returns and sees the body's effects.")
@Outcome(id = "1", expect = ACCEPTABLE, desc = "The waiter returned after the body, and saw its write.")
@Outcome(id = "0", expect = FORBIDDEN, desc = "The waiter returned before the body's write was visible.")
@State
public class BlockingJobAwaitEndTest {
    int written;
    final BlockingJob<Integer> job = new BlockingJob<>(() -> {
        written = 1;
        return 1;
    });

    public BlockingJobAwaitEndTest() {
        job.cancel(); // as a file's write is when a later write waits for it
    }

    @Actor
    public void pool() {
        job.run();
    }

    @Actor
    public void waiter(I_Result r) {
        job.awaitEnd(() -> false);
        r.r1 = written;
    }
}
