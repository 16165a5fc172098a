package io.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.weft.sync.Notify;
import io.weft.sync.WaitFuture;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * A shared {@link Notify}: {@code notifyOne()} racing the first poll of a
 * {@code notified()} future. Either the notify stores the permit and the
 * poll consumes it at once, or the poll queues its waker and the notify
 * hands the notification to it (NOTIFIED, woken) and stores nothing. Either
 * way the one notification is consumed exactly once.
 *
 * <p>Result: (first poll: 1 = ready, -1 = pending; wakes of its waker; what
 * the future ends up with: the first poll's answer if ready, else a second
 * poll in the arbiter; a fresh {@code notified()} polled in the arbiter:
 * -1 = pending, as no permit may be left, 1 = a permit was left over).
 */
@JCStressTest
@Description("Notify.create(): notifyOne() racing the first notified() poll; ready, or pending and woken exactly once; the permit is consumed once.")
@Outcome(id = "1, 0, 1, -1", expect = ACCEPTABLE, desc = "The notify came first and stored the permit; the poll consumed it at once, no wake; nothing left over.")
@Outcome(id = "-1, 1, 1, -1", expect = ACCEPTABLE, desc = "The poll queued first: pending, the notify handed it the notification and woke it once; its next poll is ready; nothing stored.")
@Outcome(id = "-1, 0, .*", expect = FORBIDDEN, desc = "LOST WAKEUP: the waiter is pending and was never woken.")
@Outcome(id = ".*, .*, .*, 1", expect = FORBIDDEN, desc = "DUPLICATED: one notifyOne served the waiter and also left a permit for a fresh notified().")
@Outcome(expect = FORBIDDEN, desc = "Anything else (woken twice, a spurious wake of a ready poll, the notification lost, an error) is a bug.")
@State
public class NotifyOneVsNotifiedTest {
    final Notify notify = Notify.create();
    final WaitFuture<Void> waiter = notify.notified(); // IDLE: counts as a waiter from its first poll
    final DrivenTask.CountingWaker waker = new DrivenTask.CountingWaker();
    int first;

    @Actor
    public void notifier() {
        notify.notifyOne();
    }

    @Actor
    public void poller() {
        first = SyncPolls.notified(waiter, waker);
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        r.r1 = first;
        r.r2 = waker.wakes.get();
        r.r3 = first == SyncPolls.PENDING ? SyncPolls.notified(waiter, new DrivenTask.CountingWaker()) : first;
        WaitFuture<Void> fresh = notify.notified();
        r.r4 = SyncPolls.notified(fresh, new DrivenTask.CountingWaker());
        fresh.cancel();
    }
}
