package io.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.weft.executor.RemoteQueue;
import io.weft.task.Task;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * The executor's remote queue, two actors at a time (this machine has two
 * CPUs; jcstress silently skips a test with more actors than CPUs).
 */
public final class RemoteQueueTest {
    private RemoteQueueTest() {
    }

    static int drain(RemoteQueue q, DrivenTask a, DrivenTask b, int[] seen) {
        int bad = 0;
        Task<?> t;
        while ((t = q.poll()) != null || !q.isEmpty()) {
            if (t == a) {
                seen[0]++;
            } else if (t == b) {
                seen[1]++;
            } else if (t != null) {
                bad = -1;
            }
        }
        return bad;
    }

    /** Result: (stub or stranger seen: -1, else 0; times a came out; times b came out). */
    @JCStressTest
    @Description("RemoteQueue: two producers offer at once; the consumer then gets each task exactly once.")
    @Outcome(id = "0, 1, 1", expect = ACCEPTABLE, desc = "Both tasks came out once.")
    @Outcome(expect = FORBIDDEN, desc = "A task lost or duplicated, or the stub came out.")
    @State
    public static class TwoProducers {
        final RemoteQueue q = new RemoteQueue();
        final CountingOwner owner = new CountingOwner();
        final DrivenTask a = new DrivenTask(owner, 1);
        final DrivenTask b = new DrivenTask(owner, 2);

        @Actor
        public void producerA() {
            q.offer(a);
        }

        @Actor
        public void producerB() {
            q.offer(b);
        }

        @Arbiter
        public void arbiter(III_Result r) {
            int[] seen = new int[2];
            r.r1 = drain(q, a, b, seen);
            r.r2 = seen[0];
            r.r3 = seen[1];
        }
    }

    /**
     * Result: (what the consumer's two racing polls got, as digits: 0 nothing,
     * 1 a, 2 b — e.g. 12 is a then b; times a came out in all; times b in all).
     */
    @JCStressTest
    @Description("RemoteQueue: a producer offers a then b while the consumer polls twice; FIFO, exactly once.")
    @Outcome(id = {"0, 1, 1", "10, 1, 1", "1, 1, 1", "12, 1, 1", "2, 1, 1"}, expect = ACCEPTABLE,
            desc = "The racing polls got a prefix of (a, b), possibly with empty polls between; the drain got the rest.")
    @Outcome(id = "21, .*", expect = FORBIDDEN, desc = "b came out before a: not FIFO.")
    @Outcome(expect = FORBIDDEN, desc = "A task lost or duplicated, or the stub came out.")
    @State
    public static class ProducerVsConsumer {
        final RemoteQueue q = new RemoteQueue();
        final CountingOwner owner = new CountingOwner();
        final DrivenTask a = new DrivenTask(owner, 1);
        final DrivenTask b = new DrivenTask(owner, 2);
        int first;
        int second;

        @Actor
        public void producer() {
            q.offer(a);
            q.offer(b);
        }

        @Actor
        public void consumer() {
            first = code(q.poll());
            second = code(q.poll());
        }

        private int code(Task<?> t) {
            return t == null ? 0 : t == a ? 1 : t == b ? 2 : 9;
        }

        @Arbiter
        public void arbiter(III_Result r) {
            int[] seen = new int[2];
            seen[0] += (first == 1 ? 1 : 0) + (second == 1 ? 1 : 0);
            seen[1] += (first == 2 ? 1 : 0) + (second == 2 ? 1 : 0);
            int bad = drain(q, a, b, seen);
            // Digits of the racing polls, leading empties dropped: 0, 1, 2, 10, 12, 20, 21 ...
            int got = first == 0 ? second : first * 10 + second;
            r.r1 = (bad != 0 || first == 9 || second == 9) ? -1 : got;
            r.r2 = seen[0];
            r.r3 = seen[1];
        }
    }
}
