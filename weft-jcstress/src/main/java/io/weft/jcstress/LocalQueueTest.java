package io.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.weft.steal.LocalQueue;
import io.weft.steal.LocalQueueForJcstress;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * A worker's local run queue (the work-stealing executor's), with a capacity
 * of 4 and indices starting just below the int wrap, so every test crosses
 * both the end of the ring and the wrap of the indices. Two actors at a time
 * (this machine has two CPUs): the owner against a thief, and two thieves.
 * Each test's tasks are the numbers 1 to n; the arbiter collects every task
 * wherever it ended (taken by an actor, left in a queue, sent to the
 * overflow) and reports (a bit per task seen, how many were seen): each
 * exactly once is (2^n - 1, n).
 */
public final class LocalQueueTest {
    private LocalQueueTest() {
    }

    static final int CAPACITY = 4;

    /** The tasks an actor or the arbiter came across. */
    static final class Seen {
        final List<Integer> tasks = new ArrayList<>();

        void add(Integer t) {
            if (t != null) {
                tasks.add(t);
            }
        }

        void drain(LocalQueue<Integer> q) {
            Integer t;
            while ((t = q.pop()) != null) {
                tasks.add(t);
            }
        }
    }

    /** The overflow: what a full queue sent to the executor's shared queue. */
    static final class Overflow implements LocalQueue.Overflow<Integer> {
        final List<Integer> tasks = new ArrayList<>();

        @Override
        public void pushBatch(Object[] batch, int n) {
            for (int i = 0; i < n; i++) {
                tasks.add((Integer) batch[i]);
            }
        }
    }

    static void report(II_Result r, List<?>... lists) {
        int mask = 0;
        int count = 0;
        for (List<?> l : lists) {
            for (Object o : l) {
                mask |= 1 << ((Integer) o - 1);
                count++;
            }
        }
        r.r1 = mask;
        r.r2 = count;
    }

    static LocalQueue<Integer> filled(int n, Overflow overflow) {
        LocalQueue<Integer> q = LocalQueueForJcstress.nearWrap(CAPACITY);
        for (int i = 1; i <= n; i++) {
            q.push(i, overflow);
        }
        return q;
    }

    @JCStressTest
    @Description("LocalQueue: the owner pops, pushes and pops while a thief steals half; each task exactly once.")
    @Outcome(id = "31, 5", expect = ACCEPTABLE, desc = "Each of the 5 tasks came out exactly once.")
    @Outcome(expect = FORBIDDEN, desc = "A task lost or duplicated.")
    @State
    public static class OwnerVsThief {
        final Overflow overflow = new Overflow();
        final LocalQueue<Integer> q = filled(3, overflow);
        final LocalQueue<Integer> thiefQueue = LocalQueueForJcstress.nearWrap(CAPACITY);
        final Seen owner = new Seen();
        final Seen thief = new Seen();

        @Actor
        public void owner() {
            owner.add(q.pop());
            q.push(4, overflow);
            q.push(5, overflow);
            owner.add(q.pop());
        }

        @Actor
        public void thief() {
            thief.add(q.stealInto(thiefQueue));
        }

        @Arbiter
        public void arbiter(II_Result r) {
            thief.drain(thiefQueue);
            owner.drain(q);
            report(r, owner.tasks, thief.tasks, overflow.tasks);
        }
    }

    @JCStressTest
    @Description("LocalQueue: the owner pushes into a full queue (half of it moves to the overflow) while a thief steals.")
    @Outcome(id = "63, 6", expect = ACCEPTABLE, desc = "Each of the 6 tasks came out exactly once.")
    @Outcome(expect = FORBIDDEN, desc = "A task lost or duplicated.")
    @State
    public static class FullPushVsThief {
        final Overflow overflow = new Overflow();
        final LocalQueue<Integer> q = filled(4, overflow);
        final LocalQueue<Integer> thiefQueue = LocalQueueForJcstress.nearWrap(CAPACITY);
        final Seen thief = new Seen();

        @Actor
        public void owner() {
            q.push(5, overflow);
            q.push(6, overflow);
        }

        @Actor
        public void thief() {
            thief.add(q.stealInto(thiefQueue));
        }

        @Arbiter
        public void arbiter(II_Result r) {
            Seen rest = new Seen();
            thief.drain(thiefQueue);
            rest.drain(q);
            report(r, rest.tasks, thief.tasks, overflow.tasks);
        }
    }

    /** Result as the others, and whether both thieves got something: at most one may be refused while the other works. */
    @JCStressTest
    @Description("LocalQueue: two thieves steal from one queue at once; each task exactly once.")
    @Outcome(id = "15, 4", expect = ACCEPTABLE, desc = "Each of the 4 tasks came out exactly once.")
    @Outcome(expect = FORBIDDEN, desc = "A task lost or duplicated.")
    @State
    public static class TwoThieves {
        final Overflow overflow = new Overflow();
        final LocalQueue<Integer> q = filled(4, overflow);
        final LocalQueue<Integer> queueA = LocalQueueForJcstress.nearWrap(CAPACITY);
        final LocalQueue<Integer> queueB = LocalQueueForJcstress.nearWrap(CAPACITY);
        final Seen a = new Seen();
        final Seen b = new Seen();

        @Actor
        public void thiefA() {
            a.add(q.stealInto(queueA));
        }

        @Actor
        public void thiefB() {
            b.add(q.stealInto(queueB));
        }

        @Arbiter
        public void arbiter(II_Result r) {
            Seen rest = new Seen();
            a.drain(queueA);
            b.drain(queueB);
            rest.drain(q);
            report(r, a.tasks, b.tasks, rest.tasks, overflow.tasks);
        }
    }
}
