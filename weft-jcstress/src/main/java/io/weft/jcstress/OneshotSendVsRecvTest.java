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
 * A shared {@link Oneshot}: {@code send(42)} racing the receiver's first
 * {@code recv()} poll. The receiver either takes the value at once, or
 * queues its waker in time for the send to wake it.
 *
 * <p>Result: (first recv poll: 42 = ready with the value, -1 = pending,
 * -2 = closed, other negatives = null/other error; wakes of its waker; the
 * value the receiver ends up with: the first poll's if ready, else a second
 * poll in the arbiter; {@code tryRecv()} afterwards: -2 = closed and drained,
 * 42 = the value was still there, i.e. duplicated).
 */
@JCStressTest
@Description("Oneshot.create(): send(v) racing the first recv() poll; ready with v, or pending and woken exactly once; v received exactly once.")
@Outcome(id = "42, 0, 42, -2", expect = ACCEPTABLE, desc = "The send came first: the poll took the value at once, no wake; the oneshot is then drained and closed.")
@Outcome(id = "-1, 1, 42, -2", expect = ACCEPTABLE, desc = "The poll queued first: pending, the send woke it once, the next poll took the value; then drained and closed.")
@Outcome(id = "-1, 0, .*", expect = FORBIDDEN, desc = "LOST WAKEUP: the receiver is pending and was never woken.")
@Outcome(id = ".*, .*, .*, 42", expect = FORBIDDEN, desc = "DUPLICATED: the value is still in the oneshot after the receiver got it.")
@Outcome(expect = FORBIDDEN, desc = "Anything else (woken twice, a spurious wake of a ready poll, the value lost, closed too early) is a bug.")
@State
public class OneshotSendVsRecvTest {
    final Oneshot<Integer> oneshot = Oneshot.create();
    final WaitFuture<Integer> rx = oneshot.recv(); // IDLE: not polled yet
    final DrivenTask.CountingWaker waker = new DrivenTask.CountingWaker();
    int first;

    @Actor
    public void sender() {
        oneshot.send(SyncPolls.VALUE); // trySend (wakes the first recv waiter) then closes the sender
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
