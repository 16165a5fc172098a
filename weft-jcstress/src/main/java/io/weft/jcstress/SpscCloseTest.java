package io.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.weft.sync.ChannelClosedException;
import io.weft.sync.SpscChannel;
import io.weft.sync.SpscForJcstress;
import io.weft.task.Budget;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * {@link SpscChannel}: a send racing the receiver's close and the drain
 * after it (the package comment of io.weft.sync, protocol 7). A send that
 * looked at the ring while it was open must not land after the drain called
 * the end: its value would be neither received nor given back. Either the
 * send is refused with its value, or the drain gets it (at once, or once the
 * send's poll ended, having waited while the send was under way).
 *
 * <p>Result: (the send: 1 went out, 0 refused; the drain's first tryRecv
 * after the close: 42, -1 = nothing yet (a send under way), -2 = the end;
 * a tryRecv once both are done: the same codes).
 */
public final class SpscCloseTest {
    private SpscCloseTest() {
    }

    static int send(SpscChannel<Integer> ch, Budget poll) {
        try {
            boolean out = poll == null ? ch.sender().trySend(SyncPolls.VALUE)
                    : SpscForJcstress.trySendDeferringFence(ch, SyncPolls.VALUE, poll);
            return out ? 1 : 2;
        } catch (ChannelClosedException refused) {
            return Integer.valueOf(SyncPolls.VALUE).equals(refused.value()) ? 0 : 3;
        } finally {
            if (poll != null) {
                poll.pollEnded();
            }
        }
    }

    /** The consumer: closes, then drains once; its tryRecv, encoded. */
    static int closeThenDrain(SpscChannel<Integer> ch) {
        ch.receiver().close();
        return SyncPolls.tryRecv(ch.receiver());
    }

    static void outcome(III_Result r, int sent, int drained, SpscChannel<Integer> ch) {
        r.r1 = sent;
        r.r2 = drained;
        r.r3 = SyncPolls.tryRecv(ch.receiver());
    }

    /** The send on a task's fast road: its look at the close marked once a poll, its fence at the poll's end. */
    @JCStressTest
    @Description("SpscChannel: a fast-road send racing the receiver's close and drain; the value is received or given back, never stranded.")
    @Outcome(id = "1, 42, -2", expect = ACCEPTABLE, desc = "Out before the drain: received, then the end.")
    @Outcome(id = "1, -1, 42", expect = ACCEPTABLE, desc = "Under way at the drain: nothing yet; received once its poll ended.")
    @Outcome(id = "0, -2, -2", expect = ACCEPTABLE, desc = "The close first: refused with its value; the end.")
    @Outcome(id = "0, -1, -2", expect = ACCEPTABLE_INTERESTING, desc = "Marked under way, then saw the close and was refused; the drain waited for it, then the end.")
    @Outcome(id = "1, -2, .*", expect = FORBIDDEN, desc = "STRANDED: sent, yet the drain called the end.")
    @Outcome(id = "1, -1, -2", expect = FORBIDDEN, desc = "LOST: sent, never received.")
    @Outcome(expect = FORBIDDEN, desc = "Anything else is a bug.")
    @State
    public static class DeferredSendVsClose {
        final SpscChannel<Integer> ch = SpscWakeTest.channel(3);
        final Budget poll = new Budget();
        int sent;
        int drained;

        @Actor
        public void producer() {
            sent = send(ch, poll);
        }

        @Actor
        public void consumer() {
            drained = closeThenDrain(ch);
        }

        @Arbiter
        public void arbiter(III_Result r) {
            outcome(r, sent, drained, ch);
        }
    }

    /** The same with the fenced send of a plain thread (the ordinary road). */
    @JCStressTest
    @Description("SpscChannel: a fenced send racing the receiver's close and drain; the value is received or given back, never stranded.")
    @Outcome(id = "1, 42, -2", expect = ACCEPTABLE, desc = "Out before the drain: received, then the end.")
    @Outcome(id = "1, -1, 42", expect = ACCEPTABLE, desc = "Under way at the drain: nothing yet; received after.")
    @Outcome(id = "0, -2, -2", expect = ACCEPTABLE, desc = "The close first: refused with its value; the end.")
    @Outcome(id = "0, -1, -2", expect = ACCEPTABLE_INTERESTING, desc = "Marked under way, then saw the close and was refused; the drain waited for it, then the end.")
    @Outcome(id = "1, -2, .*", expect = FORBIDDEN, desc = "STRANDED: sent, yet the drain called the end.")
    @Outcome(id = "1, -1, -2", expect = FORBIDDEN, desc = "LOST: sent, never received.")
    @Outcome(expect = FORBIDDEN, desc = "Anything else is a bug.")
    @State
    public static class SendVsClose {
        final SpscChannel<Integer> ch = SpscWakeTest.channel(3);
        int sent;
        int drained;

        @Actor
        public void producer() {
            sent = send(ch, null);
        }

        @Actor
        public void consumer() {
            drained = closeThenDrain(ch);
        }

        @Arbiter
        public void arbiter(III_Result r) {
            outcome(r, sent, drained, ch);
        }
    }
}
