package io.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.weft.steal.InjectForJcstress;
import io.weft.steal.LocalQueue;
import io.weft.task.Task;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.L_Result;

/**
 * The StealingExecutor's shared queue ({@code io.weft.steal.Inject}): pushes
 * onto a stack by compare-and-set, one taker at a time reversing it. Two
 * actors at a time (this machine has two CPUs). Tasks are numbered; the
 * arbiter drains what is left.
 */
public final class InjectTest {
    private InjectTest() {
    }

    static DrivenTask task(int n) {
        return new DrivenTask(new CountingOwner(), n);
    }

    static int number(Task<?> t) {
        return (Integer) ((DrivenTask) t).result;
    }

    /** Pops until empty, appending the numbers. */
    static void drain(InjectForJcstress q, List<Integer> into) {
        for (Task<?> t; (t = q.pop()) != null; ) {
            into.add(number(t));
        }
    }

    /** Pops {@code times} times, appending the numbers of the tasks it got. */
    static void pop(InjectForJcstress q, int times, List<Integer> into) {
        for (int i = 0; i < times; i++) {
            Task<?> t = q.pop();
            if (t != null) {
                into.add(number(t));
            }
        }
    }

    /** (a bit per task seen, how many were seen). */
    static void report(II_Result r, List<Integer> seen) {
        int mask = 0;
        for (int n : seen) {
            mask |= 1 << (n - 1);
        }
        r.r1 = mask;
        r.r2 = seen.size();
    }

    @JCStressTest
    @Description("Inject: a push and a batch push against a taker popping twice; FIFO per pusher, each task once.")
    @Outcome(id = "in order", expect = ACCEPTABLE, desc = "Each task exactly once; 1 before 2, 3 before 4 before 5.")
    @Outcome(expect = FORBIDDEN, desc = "A task lost, duplicated, or taken out of its pusher's order.")
    @State
    public static class PushersVsTaker {
        final InjectForJcstress q = new InjectForJcstress();
        final DrivenTask one = task(1);
        final DrivenTask two = task(2);
        final DrivenTask three = task(3);
        final DrivenTask four = task(4);
        final DrivenTask five = task(5);
        final List<Integer> taken = new ArrayList<>();

        @Actor
        public void pushers() {
            q.push(one);
            q.pushBatch(three, four);
            q.push(two);
            q.push(five);
        }

        @Actor
        public void taker() {
            pop(q, 3, taken);
        }

        @Arbiter
        public void arbiter(L_Result r) {
            drain(q, taken);
            r.r1 = taken.equals(List.of(1, 3, 4, 2, 5)) ? "in order" : taken.toString();
        }
    }

    @JCStressTest
    @Description("Inject: two takers pop from a queue a pusher fills; each task exactly once.")
    @Outcome(id = "15, 4", expect = ACCEPTABLE, desc = "Each of the 4 tasks came out exactly once.")
    @Outcome(expect = FORBIDDEN, desc = "A task lost or duplicated.")
    @State
    public static class TwoTakers {
        final InjectForJcstress q = new InjectForJcstress();
        final List<Integer> first = new ArrayList<>();
        final List<Integer> second = new ArrayList<>();

        {
            q.push(task(1));
            q.pushBatch(task(2), task(3));
            q.push(task(4));
        }

        @Actor
        public void taker1() {
            pop(q, 2, first);
        }

        @Actor
        public void taker2() {
            pop(q, 2, second);
        }

        @Arbiter
        public void arbiter(II_Result r) {
            List<Integer> all = new ArrayList<>(first);
            all.addAll(second);
            drain(q, all);
            report(r, all);
        }
    }

    @JCStressTest
    @Description("Inject: two workers each take a batch onto their local queue while a pusher pushes; each task once.")
    @Outcome(id = "31, 5", expect = ACCEPTABLE, desc = "Each of the 5 tasks came out exactly once.")
    @Outcome(expect = FORBIDDEN, desc = "A task lost or duplicated.")
    @State
    public static class TwoBatchTakersVsPush {
        final InjectForJcstress q = new InjectForJcstress();
        final LocalQueue<Task<?>> local1 = new LocalQueue<>(4);
        final LocalQueue<Task<?>> local2 = new LocalQueue<>(4);
        final List<Integer> first = new ArrayList<>();
        final List<Integer> second = new ArrayList<>();

        {
            q.push(task(1));
            q.pushBatch(task(2), task(3));
        }

        @Actor
        public void taker1() {
            Task<?> t = q.popInto(local1, 3);
            if (t != null) {
                first.add(number(t));
            }
            q.push(task(4));
            q.push(task(5));
        }

        @Actor
        public void taker2() {
            Task<?> t = q.popInto(local2, 3);
            if (t != null) {
                second.add(number(t));
            }
        }

        @Arbiter
        public void arbiter(II_Result r) {
            List<Integer> all = new ArrayList<>(first);
            all.addAll(second);
            for (Task<?> t; (t = local1.pop()) != null; ) {
                all.add(number(t));
            }
            for (Task<?> t; (t = local2.pop()) != null; ) {
                all.add(number(t));
            }
            drain(q, all);
            report(r, all);
        }
    }

    @JCStressTest
    @Description("Inject: a taker pops while a pusher pushes onto the stack it takes whole; each task once, in order.")
    @Outcome(id = "in order", expect = ACCEPTABLE, desc = "1, 2, 3, 4 in their order, each once.")
    @Outcome(expect = FORBIDDEN, desc = "A task lost, duplicated or reordered.")
    @State
    public static class TakeWholeVsPush {
        final InjectForJcstress q = new InjectForJcstress();
        final List<Integer> taken = new ArrayList<>();

        {
            q.push(task(1));
            q.push(task(2));
        }

        @Actor
        public void pusher() {
            q.push(task(3));
            q.pushBatch(task(4));
        }

        @Actor
        public void taker() {
            pop(q, 2, taken);
        }

        @Arbiter
        public void arbiter(L_Result r) {
            drain(q, taken);
            r.r1 = taken.equals(List.of(1, 2, 3, 4)) ? "in order" : taken.toString();
        }
    }
}
