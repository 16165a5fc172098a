package io.weft.sync;

import static io.weft.sync.Kinds.run;
import static io.weft.sync.Kinds.settle;
import static io.weft.sync.Kinds.yieldUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.Context;
import io.weft.ExecutorKind;
import io.weft.JoinHandle;
import io.weft.TaskCancelledException;
import io.weft.Weft;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Notify for both families: permits, FIFO, notifyWaiters, cancellation,
 * mostly with futures polled by hand with counting wakers; tasks waking each
 * other on every kind (see {@link Kinds} for which family runs where).
 */
// SEPARATE_THREAD: a lost wake leaves the loop waiting for ever; the test then fails instead of blocking the run
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class NotifyTest {

    static Notify notify(boolean local) {
        return local ? Notify.local() : Notify.create();
    }

    /** A context whose waker counts its wakes. */
    static final class Counting {
        final AtomicInteger wakes = new AtomicInteger();
        final Context cx = new Context(wakes::incrementAndGet);
    }

    @Kinds.Every
    void notifyOneWithoutWaitersStoresOnePermitOnly(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            var n = notify(local);
            n.notifyOne();
            n.notifyOne();
            var c = new Counting();
            assertThat(n.notified().poll(c.cx).isReady()).as("the stored permit").isTrue();
            var second = n.notified();
            assertThat(second.poll(c.cx).isReady()).as("at most one permit is stored").isFalse();
            second.cancel();
            assertThat(c.wakes).hasValue(0);
            return null;
        });
    }

    @Kinds.Every
    void notifyOneWakesTheFirstWaiterOnly(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            var n = notify(local);
            var a = new Counting();
            var b = new Counting();
            var fa = n.notified();
            var fb = n.notified();
            assertThat(fa.poll(a.cx).isReady()).isFalse();
            assertThat(fb.poll(b.cx).isReady()).isFalse();
            n.notifyOne();
            assertThat(a.wakes).hasValue(1);
            assertThat(b.wakes).hasValue(0);
            assertThat(fa.poll(a.cx).isReady()).isTrue();
            assertThat(fb.poll(b.cx).isReady()).isFalse();
            n.notifyOne();
            assertThat(b.wakes).hasValue(1);
            assertThat(fb.poll(b.cx).isReady()).isTrue();
            return null;
        });
    }

    @Kinds.Every
    void notifyWaitersWakesEveryQueuedWaiterAndStoresNothing(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            var n = notify(local);
            var cs = new Counting[3];
            var fs = new WaitFuture[3];
            for (int i = 0; i < 3; i++) {
                cs[i] = new Counting();
                fs[i] = n.notified();
                assertThat(fs[i].poll(cs[i].cx).isReady()).isFalse();
            }
            n.notifyWaiters();
            for (int i = 0; i < 3; i++) {
                assertThat(cs[i].wakes).hasValue(1);
                assertThat(fs[i].poll(cs[i].cx).isReady()).isTrue();
            }
            var late = new Counting();
            assertThat(n.notified().poll(late.cx).isReady()).as("no permit stored").isFalse();
            return null;
        });
    }

    /** SameThread: a and b must be queued in that order, and a aborted after its wake and before it runs again. */
    @Kinds.SameThread
    void abortedTaskThatWasNotifiedPassesTheNotificationOn(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            var n = notify(local);
            AtomicInteger done = new AtomicInteger();
            JoinHandle<Void> a = Weft.spawn(() -> {
                n.notified().await();
                done.incrementAndGet();
            });
            JoinHandle<Void> b = Weft.spawn(() -> {
                n.notified().await();
                done.incrementAndGet();
            });
            settle();
            n.notifyOne(); // handed to a
            a.abort();
            assertThatThrownBy(a::await).isInstanceOf(TaskCancelledException.class);
            yieldUntil(b::isFinished);
            b.await();
            assertThat(done).as("b got a's notification, a did not finish").hasValue(1);

            JoinHandle<Void> c = Weft.spawn(() -> n.notified().await());
            settle();
            n.notifyOne();
            c.abort();
            assertThatThrownBy(c::await).isInstanceOf(TaskCancelledException.class);
            var probe = new Counting();
            assertThat(n.notified().poll(probe.cx).isReady()).as("with nobody else waiting it is stored").isTrue();
            return null;
        });
    }

    @Kinds.Every
    void twoTasksTakeTurnsAThousandTimesAndNoWakeIsLost(ExecutorKind kind, boolean local) {
        int rounds = run(kind, () -> {
            var ping = notify(local);
            var pong = notify(local);
            AtomicInteger turn = new AtomicInteger(); // even: the root's turn, odd: the echo's
            JoinHandle<Void> echo = Weft.spawn(() -> {
                for (int i = 0; i < 1_000; i++) {
                    ping.notified().await();
                    assertThat(turn.getAndIncrement() % 2).as("the echo's turn").isEqualTo(1);
                    pong.notifyOne();
                }
            });
            for (int i = 0; i < 1_000; i++) {
                assertThat(turn.getAndIncrement() % 2).as("the root's turn").isZero();
                ping.notifyOne(); // stored if the echo is not waiting yet
                pong.notified().await();
            }
            echo.await();
            return turn.get();
        });
        assertThat(rounds).isEqualTo(2_000);
    }

    @Kinds.Every
    void cancelledWaiterOfNotifyWaitersPassesNothingOn(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            var n = notify(local);
            var a = new Counting();
            var fa = n.notified();
            assertThat(fa.poll(a.cx).isReady()).isFalse();
            n.notifyWaiters();
            fa.cancel();
            var b = new Counting();
            var fb = n.notified();
            assertThat(fb.poll(b.cx).isReady()).isFalse();
            assertThatThrownBy(() -> fa.poll(a.cx)).isInstanceOf(IllegalStateException.class);
            return null;
        });
    }

    /** A context whose task has spent its cooperative budget: a ready leaf future must answer pending. */
    static Context spentBudget() {
        io.weft.task.Budget spent = new io.weft.task.Budget();
        while (spent.tryConsume()) {
            // spend it all
        }
        return new Context(() -> { }, spent);
    }

    /**
     * A first poll refused for budget still takes the stored permit (it
     * counts as a waiter from its first poll): a notifyOne that comes
     * meanwhile is stored for the next waiter, not merged into the first.
     * Without it the second waiter waited for ever.
     */
    @Kinds.Every
    void aFirstPollWithoutBudgetTakesThePermitSoNoNotifyOneIsLost(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            var n = notify(local);
            var c = new Counting();
            n.notifyOne();
            var a = n.notified();
            assertThat(a.poll(spentBudget()).isReady()).as("no budget: pending").isFalse();
            n.notifyOne();
            assertThat(a.poll(c.cx).isReady()).isTrue();
            assertThat(n.notified().poll(c.cx).isReady()).as("the second notifyOne").isTrue();
            return null;
        });
    }

    /** The same, cancelled before its next poll: the permit it took goes on, as a chosen waiter's does. */
    @Kinds.Every
    void aWaiterCancelledAfterAFirstPollWithoutBudgetGivesThePermitBack(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            var n = notify(local);
            var c = new Counting();
            n.notifyOne();
            var a = n.notified();
            assertThat(a.poll(spentBudget()).isReady()).isFalse();
            a.cancel();
            assertThat(n.notified().poll(c.cx).isReady()).as("the permit, given back").isTrue();
            return null;
        });
    }
}
