package io.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.weft.sync.ChannelClosedException;
import io.weft.sync.Oneshot;
import io.weft.sync.WaitFuture;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The shared {@link Oneshot}'s waiting recvs (a list under a lock bit of its
 * state word) and its closes, against a send: the value is never lost nor
 * duplicated, and a recv that waits is always woken.
 */
public final class OneshotWaitersTest {
    private OneshotWaitersTest() {
    }

    @JCStressTest
    @Description("Oneshot.create(): a waiting recv is cancelled while the value is sent; the value stays for tryRecv.")
    @Outcome(id = {"42, 0", "42, 1"}, expect = ACCEPTABLE, desc = "The value waits for the next receive; the cancelled recv was woken at most once.")
    @Outcome(expect = FORBIDDEN, desc = "The value lost (taken by a cancelled recv), or a wake repeated.")
    @State
    public static class SendVsCancel {
        final Oneshot<Integer> oneshot = Oneshot.create();
        final WaitFuture<Integer> rx = oneshot.recv();
        final DrivenTask.CountingWaker waker = new DrivenTask.CountingWaker();

        {
            if (SyncPolls.recv(rx, waker) != SyncPolls.PENDING) {
                throw new IllegalStateException("the recv did not wait");
            }
        }

        @Actor
        public void sender() {
            oneshot.send(SyncPolls.VALUE);
        }

        @Actor
        public void canceller() {
            rx.cancel();
        }

        @Arbiter
        public void arbiter(II_Result r) {
            r.r1 = SyncPolls.tryRecv(oneshot);
            r.r2 = waker.wakes.get();
        }
    }

    @JCStressTest
    @Description("Oneshot.create(): two recvs wait, one is cancelled while the value is sent; the other is woken and gets it.")
    @Outcome(id = "1, 42, -2", expect = ACCEPTABLE, desc = "The remaining recv was woken once and took the value; the oneshot is then drained.")
    @Outcome(expect = FORBIDDEN, desc = "LOST WAKEUP or value lost: the remaining recv was not woken, or did not get the value.")
    @State
    public static class TwoWaitersOneCancelledVsSend {
        final Oneshot<Integer> oneshot = Oneshot.create();
        final WaitFuture<Integer> first = oneshot.recv();
        final WaitFuture<Integer> second = oneshot.recv();
        final DrivenTask.CountingWaker secondWaker = new DrivenTask.CountingWaker();

        {
            if (SyncPolls.recv(first, new DrivenTask.CountingWaker()) != SyncPolls.PENDING
                    || SyncPolls.recv(second, secondWaker) != SyncPolls.PENDING) {
                throw new IllegalStateException("the recvs did not wait");
            }
        }

        @Actor
        public void sender() {
            oneshot.send(SyncPolls.VALUE);
        }

        @Actor
        public void canceller() {
            first.cancel();
        }

        @Arbiter
        public void arbiter(III_Result r) {
            r.r1 = secondWaker.wakes.get();
            r.r2 = SyncPolls.recv(second, new DrivenTask.CountingWaker());
            r.r3 = SyncPolls.tryRecv(oneshot);
        }
    }

    @JCStressTest
    @Description("Oneshot.create(): a send with nobody waiting (claimed and published before the value lands) against tryRecv.")
    @Outcome(id = {"42, -2", "-1, 42"}, expect = ACCEPTABLE, desc = "The value taken once: by the racing tryRecv, or by the arbiter's.")
    @Outcome(expect = FORBIDDEN, desc = "A null taken (the value not yet landed), the value lost or taken twice.")
    @State
    public static class SendVsTryRecv {
        final Oneshot<Integer> oneshot = Oneshot.create();
        int raced;

        @Actor
        public void sender() {
            oneshot.send(SyncPolls.VALUE);
        }

        @Actor
        public void receiver() {
            raced = SyncPolls.tryRecv(oneshot);
        }

        @Arbiter
        public void arbiter(II_Result r) {
            r.r1 = raced;
            r.r2 = SyncPolls.tryRecv(oneshot);
        }
    }

    @JCStressTest
    @Description("Oneshot.create(): closeReceiver racing send; the send succeeds and the value stays, or it fails and gives the value back.")
    @Outcome(id = "1, 42", expect = ACCEPTABLE, desc = "The send came first: the value stays receivable.")
    @Outcome(id = "0, -2", expect = ACCEPTABLE, desc = "The close came first: the send failed with its value; nothing to receive.")
    @Outcome(expect = FORBIDDEN, desc = "The value lost (send succeeded, nothing to receive) or duplicated (refused, yet received).")
    @State
    public static class CloseReceiverVsSend {
        final Oneshot<Integer> oneshot = Oneshot.create();
        int sent;

        @Actor
        public void sender() {
            try {
                oneshot.send(SyncPolls.VALUE);
                sent = 1;
            } catch (ChannelClosedException e) {
                sent = e.value() == (Integer) SyncPolls.VALUE ? 0 : -1;
            }
        }

        @Actor
        public void closer() {
            oneshot.closeReceiver();
        }

        @Arbiter
        public void arbiter(II_Result r) {
            r.r1 = sent;
            r.r2 = SyncPolls.tryRecv(oneshot);
        }
    }
}
