package io.weft.steal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Lincheck's model checking of the local run queue: the owner's push and pop
 * against a thief's steal. (Run in the build's Lincheck JVM: see the
 * surefire executions in weft/pom.xml.)
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LocalQueueLincheckTest {

    /**
     * The owner's push and pop (one thread: the "owner" group) against a
     * thief's steal into a queue of its own (another: the "thief" group).
     * The capacity is large enough that nothing overflows here, so the
     * sequential specification is a plain deque ({@link Model}).
     */
    @Param(name = "v", gen = IntGen.class, conf = "1:9")
    public static class Spec {
        private final LocalQueue<Integer> q = new LocalQueue<>(16, Integer.MAX_VALUE - 3);
        private final LocalQueueTest.Overflow overflow = new LocalQueueTest.Overflow();

        @Operation(nonParallelGroup = "owner")
        public void push(@Param(name = "v") int v) {
            q.push(v, overflow);
        }

        @Operation(nonParallelGroup = "owner")
        public Integer pop() {
            return q.pop();
        }

        /** What one steal took, in queue order (the task it returned to run is the last). */
        @Operation(nonParallelGroup = "thief")
        public List<Integer> steal() {
            LocalQueue<Integer> mine = new LocalQueue<>(16);
            Integer run = q.stealInto(mine);
            List<Integer> took = LocalQueueTest.drain(mine);
            if (run != null) {
                took.add(run);
            }
            return took;
        }
    }

    /** The sequential specification: a deque; a steal takes the older half, rounded up. */
    public static class Model {
        private final ArrayDeque<Integer> q = new ArrayDeque<>();

        public void push(int v) {
            q.addLast(v);
        }

        public Integer pop() {
            return q.pollFirst();
        }

        public List<Integer> steal() {
            int n = q.size() - q.size() / 2;
            List<Integer> took = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                took.add(q.pollFirst());
            }
            return took;
        }
    }

    @Test
    void ownerAgainstAThiefIsLinearizable() {
        new ModelCheckingOptions().iterations(30).invocationsPerIteration(500)
                .threads(2).actorsPerThread(4).actorsBefore(2).actorsAfter(1)
                .sequentialSpecification(Model.class)
                .check(Spec.class);
    }
}
