package io.weft.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.ExecutorKind;
import io.weft.Weft;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * What running the sync suites on every executor kind found in the runtime,
 * each as a minimal failing test, disabled while it is reported (see each
 * test's reason). The sync suites work around none of them silently: they
 * say where they depend on it.
 */
class KindBugsTest {

    /**
     * On a StealingExecutor of one worker a task that spawns a child and
     * yields once is, in most runs, run again before the
     * child ever ran. {@code StealWorker.next()} alternates (by the parity
     * of its tick) between the tasks that live on the worker ({@code pinned},
     * where a yield puts the yielder) and its stealable queue (where the new
     * child is), so on an even tick the yielder comes back first.
     * {@code Weft.yieldNow} says "sends the task to the back of its queue",
     * and {@code ExecutorKind} says that on STEALING_1 "a test may rely on
     * 'the children ran while I yielded'"; on a LocalExecutor, and in a
     * pool, one yield does let the child run. The sync suites use
     * {@code Kinds.settle()} (ten yields) where they need the children to
     * have run.
     */
    @Disabled("StealWorker.next() may resume a task that yielded before a ready child of its worker: one yield does"
            + " not let the child run on STEALING_1 (14 and 16 of 20 runs in two tries), against Weft.yieldNow's and ExecutorKind's docs")
    @Test
    void oneYieldLetsAReadyChildRunOnAStealingExecutorOfOneWorker() {
        int missed = 0;
        for (int i = 0; i < 20; i++) {
            boolean childRan = Kinds.run(ExecutorKind.STEALING_1, () -> {
                AtomicBoolean ran = new AtomicBoolean();
                var child = Weft.spawn(() -> ran.set(true));
                Weft.yieldNow().await();
                boolean seen = ran.get();
                child.await();
                return seen;
            });
            if (!childRan) {
                missed++;
            }
        }
        assertThat(missed).as("runs of 20 in which the yielder came back before its ready child ran").isZero();
    }
}
