package io.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.weft.blocking.BlockingTask;
import java.util.concurrent.TimeUnit;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * {@link BlockingTask}'s run word with a body that only an interrupt ends
 * (it spins until its thread is interrupted, then throws
 * InterruptedException; after 10 s without one it gives up and returns 42):
 * {@code abort()} on another thread must either take the task before it
 * starts (the body never runs) or interrupt the very thread that runs the
 * body, and the handle ends cancelled either way, with no interrupt left
 * on the pool thread.
 *
 * <p>Result: (join in the arbiter: -3 = TaskCancelledException, 42 = the
 * body was never interrupted, -1 = pending; body calls; final run word: 4 =
 * ENDED, 5 = TAKEN; interrupt left over on the pool thread: 1 after run(),
 * 2 after both actors, 0 none).
 */
@JCStressTest
@Description("BlockingTask: abort vs a body that waits for its interrupt; never runs, or interrupted; always cancelled.")
@Outcome(id = "-3, 0, 5, 0", expect = ACCEPTABLE, desc = "Aborted while queued: the body never ran.")
@Outcome(id = "-3, 1, 4, 0", expect = ACCEPTABLE, desc = "The body ran and the abort interrupted its thread: cancelled.")
@Outcome(id = "-3, 0, 4, 0", expect = ACCEPTABLE, desc = "Claimed by the pool thread, aborted before the body started: cancelled without running it.")
@Outcome(id = "42, .*", expect = FORBIDDEN, desc = "MISSED INTERRUPT: the body ran and no interrupt reached it.")
@Outcome(id = ".*, [12]", expect = FORBIDDEN, desc = "STRAY INTERRUPT: the interrupt outlived the body.")
@Outcome(expect = FORBIDDEN, desc = "Anything else (pending, body twice, run word not final) is a protocol bug.")
@State
public class BlockingTaskAbortInterruptsTest {
    int calls;
    final BlockingTask<Integer> task = BlockingTask.unqueued("jcstress", () -> {
        calls++;
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Thread.currentThread().isInterrupted()) {
            if (System.nanoTime() - giveUp > 0) {
                return DrivenTask.VALUE;
            }
            Thread.onSpinWait();
        }
        throw new InterruptedException("aborted");
    }, null);
    Thread poolThread;
    int strayAfterRun;

    @Actor
    public void pool() {
        poolThread = Thread.currentThread();
        task.run();
        strayAfterRun = Thread.interrupted() ? 1 : 0;
    }

    @Actor
    public void aborter() {
        task.abort();
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        r.r1 = DrivenTask.join(task, new DrivenTask.CountingWaker());
        r.r2 = calls;
        r.r3 = task.runState();
        r.r4 = strayAfterRun != 0 ? 1 : (poolThread.isInterrupted() ? 2 : 0);
    }
}
