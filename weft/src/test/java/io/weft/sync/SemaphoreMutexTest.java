package io.weft.sync;

import static io.weft.sync.ChannelTest.run;
import static io.weft.sync.ChannelTest.yieldUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.JoinHandle;
import io.weft.TaskCancelledException;
import io.weft.Weft;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Semaphore, Mutex and Oneshot inside one executor, for both families. */
class SemaphoreMutexTest {

    static Semaphore semaphore(boolean local, long permits) {
        return local ? Semaphore.local(permits) : Semaphore.create(permits);
    }

    @ParameterizedTest(name = "local={0}")
    @ValueSource(booleans = {true, false})
    void waitersAreServedInArrivalOrderAndABigRequestHoldsBackSmallOnes(boolean local) {
        run(() -> {
            var sem = semaphore(local, 0);
            List<String> order = new ArrayList<>();
            List<Semaphore.Permit> held = new ArrayList<>();
            for (long n : new long[] {3, 1, 2}) {
                Weft.spawn(() -> {
                    var p = sem.acquire(n).await();
                    order.add("got " + n);
                    held.add(p);
                });
                Weft.yieldNow().await();
            }
            sem.release(2);
            for (int i = 0; i < 10; i++) {
                Weft.yieldNow().await();
            }
            assertThat(order).as("the head wants 3: nobody behind it may pass").isEmpty();
            assertThat(sem.tryAcquire(1)).as("tryAcquire does not barge past waiters").isNull();
            sem.release(1);
            yieldUntil(() -> order.size() == 1);
            assertThat(order).containsExactly("got 3");
            held.get(0).close();
            held.get(0).close(); // once only
            yieldUntil(() -> order.size() == 3);
            assertThat(order).containsExactly("got 3", "got 1", "got 2");
            assertThat(sem.availablePermits()).isZero();
            held.forEach(Semaphore.Permit::close);
            assertThat(sem.availablePermits()).isEqualTo(3);
            try (var p = sem.tryAcquire(3)) {
                assertThat(p).isNotNull();
                assertThat(sem.availablePermits()).isZero();
            }
            assertThat(sem.availablePermits()).isEqualTo(3);
            return null;
        });
    }

    @ParameterizedTest(name = "local={0}")
    @ValueSource(booleans = {true, false})
    void abortedWaiterThatWasGrantedGivesItsPermitsToTheNext(boolean local) {
        run(() -> {
            var sem = semaphore(local, 0);
            JoinHandle<Long> a = Weft.spawn(() -> sem.acquire(2).await().count());
            JoinHandle<Long> b = Weft.spawn(() -> {
                try (var p = sem.acquire(2).await()) {
                    return p.count();
                }
            });
            Weft.yieldNow().await();
            sem.release(2); // moved to a, a is woken
            assertThat(sem.availablePermits()).isZero();
            a.abort();
            assertThatThrownBy(a::await).isInstanceOf(TaskCancelledException.class);
            yieldUntil(b::isFinished);
            assertThat(b.await()).isEqualTo(2);
            assertThat(sem.availablePermits()).as("a's permits went to b, b gave them back").isEqualTo(2);
            return null;
        });
    }

    @ParameterizedTest(name = "local={0}")
    @ValueSource(booleans = {true, false})
    void abortedHeadWaiterLetsTheOnesBehindIt(boolean local) {
        run(() -> {
            var sem = semaphore(local, 1);
            JoinHandle<Long> big = Weft.spawn(() -> sem.acquire(5).await().count());
            Weft.yieldNow().await();
            JoinHandle<Long> small = Weft.spawn(() -> sem.acquire(1).await().count());
            Weft.yieldNow().await();
            assertThat(small.isFinished()).isFalse();
            big.abort();
            assertThatThrownBy(big::await).isInstanceOf(TaskCancelledException.class);
            yieldUntil(small::isFinished);
            assertThat(small.await()).isEqualTo(1);
            return null;
        });
    }

    @ParameterizedTest(name = "local={0}")
    @ValueSource(booleans = {true, false})
    void mutexHeldAcrossAwaitsExcludesTheOtherThousandTasks(boolean local) {
        run(() -> {
            var mutex = local ? Mutex.local(0) : Mutex.create(0);
            AtomicInteger inside = new AtomicInteger();
            AtomicInteger maxInside = new AtomicInteger();
            List<JoinHandle<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                tasks.add(Weft.spawn(() -> {
                    try (var g = mutex.lock().await()) {
                        maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        int v = g.get();
                        Weft.yieldNow().await(); // others run and queue on the lock meanwhile
                        g.set(v + 1);
                        inside.decrementAndGet();
                    }
                }));
            }
            for (var t : tasks) {
                t.await();
            }
            assertThat(maxInside).hasValue(1);
            try (var g = mutex.tryLock()) {
                assertThat(g).isNotNull();
                assertThat(g.get()).isEqualTo(1_000);
                assertThat(mutex.tryLock()).as("held").isNull();
            }
            var g = mutex.tryLock();
            g.close();
            assertThatThrownBy(g::get).isInstanceOf(IllegalStateException.class);
            return null;
        });
    }

    @ParameterizedTest(name = "local={0}")
    @ValueSource(booleans = {true, false})
    void oneshotDeliversOnceAndReportsASenderThatGaveUp(boolean local) {
        run(() -> {
            Oneshot<String> o = local ? Oneshot.local() : Oneshot.create();
            JoinHandle<String> r = Weft.spawn(() -> o.recv().await());
            Weft.yieldNow().await();
            o.send("x");
            assertThatThrownBy(() -> o.send("y")).isInstanceOf(ChannelClosedException.class)
                    .extracting(e -> ((ChannelClosedException) e).value()).isEqualTo("y");
            assertThat(r.await()).isEqualTo("x");

            Oneshot<String> empty = local ? Oneshot.local() : Oneshot.create();
            JoinHandle<String> r2 = Weft.spawn(() -> empty.recv().await());
            Weft.yieldNow().await();
            empty.closeSender();
            assertThatThrownBy(r2::await).hasRootCauseInstanceOf(ChannelClosedException.class);

            Oneshot<String> refused = local ? Oneshot.local() : Oneshot.create();
            refused.closeReceiver();
            assertThatThrownBy(() -> refused.send("z")).isInstanceOf(ChannelClosedException.class)
                    .extracting(e -> ((ChannelClosedException) e).value()).isEqualTo("z");
            return null;
        });
    }
}
