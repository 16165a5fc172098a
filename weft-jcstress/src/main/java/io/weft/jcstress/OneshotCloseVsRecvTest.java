package io.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.weft.sync.Oneshot;
import io.weft.sync.WaitFuture;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * A shared {@link Oneshot}: {@code closeSender()} (no value) racing the
 * receiver's first {@code recv()} poll. A recv reports a sender that closed
 * without sending by failing with {@code ChannelClosedException} (the poll
 * throws it). The receiver either sees that at once, or queues its waker in
 * time for the close to wake it, and its next poll sees it.
 *
 * <p>Result: (first recv poll: -1 = pending, -2 = closed, 42/other = a value
 * or error from nowhere; wakes of its waker; what the receiver ends up with:
 * the first poll's answer if it was not pending, else a second poll in the
 * arbiter; {@code tryRecv()} afterwards: -2 = closed).
 */
@JCStressTest
@Description("Oneshot.create(): closeSender() racing the first recv() poll; closed at once, or pending, woken exactly once, then closed.")
@Outcome(id = "-2, 0, -2, -2", expect = ACCEPTABLE, desc = "The close came first: the poll failed with ChannelClosedException at once, no wake.")
@Outcome(id = "-1, 1, -2, -2", expect = ACCEPTABLE, desc = "The poll queued first: pending, the close woke it once, the next poll failed with ChannelClosedException.")
@Outcome(id = "-1, 0, .*", expect = FORBIDDEN, desc = "LOST WAKEUP: the receiver is pending on a closed oneshot and was never woken.")
@Outcome(expect = FORBIDDEN, desc = "Anything else (woken twice, a spurious wake, a value or an error other than closed, still open afterwards) is a bug.")
@State
public class OneshotCloseVsRecvTest {
    final Oneshot<Integer> oneshot = Oneshot.create();
    final WaitFuture<Integer> rx = oneshot.recv(); // IDLE: not polled yet
    final DrivenTask.CountingWaker waker = new DrivenTask.CountingWaker();
    int first;

    @Actor
    public void closer() {
        oneshot.closeSender();
    }

    @Actor
    public void receiver() {
        first = SyncPolls.recv(rx, waker);
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        r.r1 = first;
        r.r2 = waker.wakes.get();
        r.r3 = first == SyncPolls.PENDING ? SyncPolls.recv(rx, new DrivenTask.CountingWaker()) : first;
        r.r4 = SyncPolls.tryRecv(oneshot);
    }
}
