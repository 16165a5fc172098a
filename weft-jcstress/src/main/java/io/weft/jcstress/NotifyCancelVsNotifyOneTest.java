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
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * A shared {@link Notify}: a queued {@code notified()} waiter is cancelled
 * ({@code WaitFuture.cancel()}, what {@code await()} does when its task is
 * aborted) while {@code notifyOne()} runs. The documented protocol
 * ({@code Notify}, {@code io.weft.sync} package-info): a cancel in QUEUED
 * just unlinks the waiter, so the notify goes to the next waiter or is
 * stored; a cancel in NOTIFIED (the notify came first and handed it the
 * notification, its poll has not returned it) passes the {@code notifyOne}
 * on to the next waiter, or stores it. So the notification is never lost
 * and never doubled, whichever came first.
 */
public final class NotifyCancelVsNotifyOneTest {
    private NotifyCancelVsNotifyOneTest() {
    }

    /**
     * The only waiter is cancelled: the notification must end up as the
     * stored permit.
     *
     * <p>Result: (wakes of the cancelled waiter: 0 = cancel came first, 1 =
     * notify came first; a fresh {@code notified()} polled in the arbiter:
     * 1 = ready, the permit was stored; a second fresh one: -1 = pending,
     * the permit was consumed once).
     */
    @JCStressTest
    @Description("Notify.create(): cancel() of the only queued waiter racing notifyOne(); the notification is stored as the permit either way.")
    @Outcome(id = "0, 1, -1", expect = ACCEPTABLE, desc = "The cancel came first (unlinked); the notify found nobody and stored the permit; a fresh notified() takes it, once.")
    @Outcome(id = "1, 1, -1", expect = ACCEPTABLE, desc = "The notify came first (waiter NOTIFIED, woken once); the cancel passed the notification on to the permit; a fresh notified() takes it, once.")
    @Outcome(id = ".*, -1, .*", expect = FORBIDDEN, desc = "LOST NOTIFICATION: the cancelled waiter swallowed the notifyOne (not passed on).")
    @Outcome(id = ".*, .*, 1", expect = FORBIDDEN, desc = "DUPLICATED: the permit served two fresh notified() futures.")
    @Outcome(expect = FORBIDDEN, desc = "Anything else (woken twice, an error) is a bug.")
    @State
    public static class Alone {
        final Notify notify = Notify.create();
        final WaitFuture<Void> waiter = notify.notified();
        final DrivenTask.CountingWaker waker = new DrivenTask.CountingWaker();

        public Alone() {
            SyncPolls.notified(waiter, waker); // no permit: QUEUED
        }

        @Actor
        public void notifier() {
            notify.notifyOne();
        }

        @Actor
        public void canceller() {
            waiter.cancel();
        }

        @Arbiter
        public void arbiter(III_Result r) {
            r.r1 = waker.wakes.get();
            WaitFuture<Void> fresh = notify.notified();
            r.r2 = SyncPolls.notified(fresh, new DrivenTask.CountingWaker());
            fresh.cancel();
            WaitFuture<Void> again = notify.notified();
            r.r3 = SyncPolls.notified(again, new DrivenTask.CountingWaker());
            again.cancel();
        }
    }

    /**
     * A second waiter is queued behind the cancelled one: the notification
     * must reach it (woken once, ready), and nothing may be stored.
     *
     * <p>Result: (wakes of the cancelled waiter: 0 = cancel came first, 1 =
     * notify came first; wakes of the next waiter; the next waiter polled in
     * the arbiter: 1 = ready, -1 = pending; a fresh {@code notified()} polled
     * in the arbiter: -1 = pending, nothing was stored).
     */
    @JCStressTest
    @Description("Notify.create(): cancel() of the first queued waiter racing notifyOne(); the next waiter gets the notification either way.")
    @Outcome(id = "0, 1, 1, -1", expect = ACCEPTABLE, desc = "The cancel came first (unlinked); the notify went to the next waiter: woken once, ready; nothing stored.")
    @Outcome(id = "1, 1, 1, -1", expect = ACCEPTABLE, desc = "The notify came first (first waiter NOTIFIED, woken); its cancel passed it on to the next waiter: woken once, ready; nothing stored.")
    @Outcome(id = ".*, 0, .*", expect = FORBIDDEN, desc = "LOST NOTIFICATION: the next waiter was never woken.")
    @Outcome(id = ".*, .*, .*, 1", expect = FORBIDDEN, desc = "DUPLICATED: the notification reached the next waiter and also left a permit.")
    @Outcome(expect = FORBIDDEN, desc = "Anything else (woken twice, a woken waiter not ready, an error) is a bug.")
    @State
    public static class BeforeNextWaiter {
        final Notify notify = Notify.create();
        final WaitFuture<Void> first = notify.notified();
        final WaitFuture<Void> next = notify.notified();
        final DrivenTask.CountingWaker firstWaker = new DrivenTask.CountingWaker();
        final DrivenTask.CountingWaker nextWaker = new DrivenTask.CountingWaker();

        public BeforeNextWaiter() {
            SyncPolls.notified(first, firstWaker); // QUEUED, head
            SyncPolls.notified(next, nextWaker); // QUEUED behind it
        }

        @Actor
        public void notifier() {
            notify.notifyOne();
        }

        @Actor
        public void canceller() {
            first.cancel();
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            r.r1 = firstWaker.wakes.get();
            r.r2 = nextWaker.wakes.get();
            r.r3 = SyncPolls.notified(next, new DrivenTask.CountingWaker());
            WaitFuture<Void> fresh = notify.notified();
            r.r4 = SyncPolls.notified(fresh, new DrivenTask.CountingWaker());
            fresh.cancel();
            next.cancel();
        }
    }
}
