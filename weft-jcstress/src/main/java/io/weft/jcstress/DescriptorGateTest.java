package io.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.weft.io.DescriptorGate;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * A call of another thread on a descriptor ({@link DescriptorGate#enter},
 * a look at whether the number was closed under it,
 * {@link DescriptorGate#exit}) racing the loop's close: the number is
 * closed exactly once, by the loop or by the last call out, and never
 * while a call that got in runs.
 */
public class DescriptorGateTest {

    /** What the tests share: the gate, the closes, the calls running, and those that saw the number closed under them. */
    abstract static class Base {
        final DescriptorGate gate = new DescriptorGate();
        final AtomicInteger closes = new AtomicInteger();
        final AtomicInteger closedUnderCall = new AtomicInteger();
        final AtomicInteger running = new AtomicInteger();

        /** A whole call: 1 if it got in (and ran), 0 if it was refused. */
        int call() {
            if (!gate.enter()) {
                return 0;
            }
            running.incrementAndGet();
            inAndOut();
            return 1;
        }

        /**
         * The rest of a call that got in: its look, then its exit (closing
         * the number if it is the last one out).
         */
        void inAndOut() {
            if (closes.get() != 0) {
                closedUnderCall.incrementAndGet();
            }
            running.decrementAndGet();
            if (gate.exit()) {
                closes.incrementAndGet();
            }
        }

        void loopCloses() {
            if (gate.close()) {
                closes.incrementAndGet();
            }
        }
    }

    /** Result: (the call got in; closes; calls that saw the number closed while in). */
    @JCStressTest
    @Description("A call from another thread vs the loop's close: one close, never under the call.")
    @Outcome(id = "1, 1, 0", expect = ACCEPTABLE, desc = "The call got in before the close: closed once, after it.")
    @Outcome(id = "0, 1, 0", expect = ACCEPTABLE, desc = "The call was refused: the loop closed.")
    @Outcome(id = ".*, [02-9], .*", expect = FORBIDDEN, desc = "NUMBER LEAKED OR CLOSED TWICE.")
    @Outcome(id = ".*, .*, [1-9]", expect = FORBIDDEN, desc = "CLOSED UNDER A CALL: a reused number would have taken it.")
    @State
    public static class CallVsClose extends Base {
        @Actor
        public void call(III_Result r) {
            r.r1 = call();
        }

        @Actor
        public void close() {
            loopCloses();
        }

        @Arbiter
        public void arbiter(III_Result r) {
            r.r2 = closes.get();
            r.r3 = closedUnderCall.get();
        }
    }

    /**
     * A call against a detach ({@link DescriptorGate#shutAndWait}): once the
     * detach returns, no call is running and none gets in; nothing is
     * closed. Result: (the call got in; calls running when the detach
     * returned; closes).
     */
    @JCStressTest
    @Description("A call from another thread vs a detach: none runs once the detach returns, nothing closed.")
    @Outcome(id = "[01], 0, 0", expect = ACCEPTABLE, desc = "The call ran before the detach returned, or was refused.")
    @Outcome(id = ".*, [1-9], .*", expect = FORBIDDEN, desc = "A CALL RAN ON AFTER THE DESCRIPTOR MOVED.")
    @Outcome(id = ".*, .*, [1-9]", expect = FORBIDDEN, desc = "A MOVED DESCRIPTOR WAS CLOSED.")
    @State
    public static class CallVsDetach extends Base {
        @Actor
        public void call(III_Result r) {
            r.r1 = call();
        }

        @Actor
        public void detach(III_Result r) {
            gate.shutAndWait();
            r.r2 = running.get();
        }

        @Arbiter
        public void arbiter(III_Result r) {
            r.r3 = closes.get();
        }
    }

    /**
     * A call already in (and a second one trying to get in, on the same
     * thread, after it) against the close. Result: (closes; calls that saw
     * the number closed while in).
     */
    @JCStressTest
    @Description("A running call ending (then another trying) vs the loop's close: one close, never under a call.")
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "Closed once: by the loop, or by the last call out.")
    @Outcome(id = "[02-9], .*", expect = FORBIDDEN, desc = "NUMBER LEAKED OR CLOSED TWICE.")
    @Outcome(id = ".*, [1-9]", expect = FORBIDDEN, desc = "CLOSED UNDER A CALL: a reused number would have taken it.")
    @State
    public static class ExitVsClose extends Base {
        public ExitVsClose() {
            if (!gate.enter()) {
                throw new AssertionError("a fresh gate refused a call");
            }
            running.incrementAndGet();
        }

        @Actor
        public void calls() {
            inAndOut(); // the call that was in ends
            call();
        }

        @Actor
        public void close() {
            loopCloses();
        }

        @Arbiter
        public void arbiter(II_Result r) {
            r.r1 = closes.get();
            r.r2 = closedUnderCall.get();
        }
    }
}
