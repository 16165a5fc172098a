package io.weft.sync;

import static io.weft.sync.ChannelTest.run;
import static io.weft.sync.ChannelTest.yieldUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.Context;
import io.weft.JoinHandle;
import io.weft.TaskCancelledException;
import io.weft.Weft;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Notify for both families: permits, FIFO, notifyWaiters, cancellation. Futures polled by hand with counting wakers. */
class NotifyTest {

    static Notify notify(boolean local) {
        return local ? Notify.local() : Notify.create();
    }

    /** A context whose waker counts its wakes. */
    static final class Counting {
        final AtomicInteger wakes = new AtomicInteger();
        final Context cx = new Context(wakes::incrementAndGet);
    }

    @ParameterizedTest(name = "local={0}")
    @ValueSource(booleans = {true, false})
    void notifyOneWithoutWaitersStoresOnePermitOnly(boolean local) {
        run(() -> {
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

    @ParameterizedTest(name = "local={0}")
    @ValueSource(booleans = {true, false})
    void notifyOneWakesTheFirstWaiterOnly(boolean local) {
        run(() -> {
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

    @ParameterizedTest(name = "local={0}")
    @ValueSource(booleans = {true, false})
    void notifyWaitersWakesEveryQueuedWaiterAndStoresNothing(boolean local) {
        run(() -> {
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

    @ParameterizedTest(name = "local={0}")
    @ValueSource(booleans = {true, false})
    void abortedTaskThatWasNotifiedPassesTheNotificationOn(boolean local) {
        run(() -> {
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
            Weft.yieldNow().await();
            n.notifyOne(); // handed to a
            a.abort();
            assertThatThrownBy(a::await).isInstanceOf(TaskCancelledException.class);
            yieldUntil(b::isFinished);
            b.await();
            assertThat(done).as("b got a's notification, a did not finish").hasValue(1);

            JoinHandle<Void> c = Weft.spawn(() -> n.notified().await());
            Weft.yieldNow().await();
            n.notifyOne();
            c.abort();
            assertThatThrownBy(c::await).isInstanceOf(TaskCancelledException.class);
            var probe = new Counting();
            assertThat(n.notified().poll(probe.cx).isReady()).as("with nobody else waiting it is stored").isTrue();
            return null;
        });
    }

    @ParameterizedTest(name = "local={0}")
    @ValueSource(booleans = {true, false})
    void cancelledWaiterOfNotifyWaitersPassesNothingOn(boolean local) {
        run(() -> {
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
}
