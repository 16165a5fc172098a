package io.weft.sync;

import static io.weft.sync.Kinds.run;
import static io.weft.sync.Kinds.settle;
import static io.weft.sync.Kinds.yieldUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.ExecutorKind;
import io.weft.JoinHandle;
import io.weft.TaskCancelledException;
import io.weft.Weft;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Semaphore, Mutex and Oneshot inside one executor, for both families, on
 * the kinds of {@link Kinds}: FIFO order and aborts of granted waiters on the
 * kinds whose tasks' children share their thread, exclusion and permit counts
 * on every kind.
 */
// SEPARATE_THREAD: a lost wake leaves the loop waiting for ever; the test then fails instead of blocking the run
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SemaphoreMutexTest {

    static Semaphore semaphore(boolean local, long permits) {
        return local ? Semaphore.local(permits) : Semaphore.create(permits);
    }

    /** SameThread: the three waiters queue in the order they were spawned, one yield apart. */
    @Kinds.SameThread
    void waitersAreServedInArrivalOrderAndABigRequestHoldsBackSmallOnes(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            var sem = semaphore(local, 0);
            List<String> order = new ArrayList<>();
            List<Semaphore.Permit> held = new ArrayList<>();
            for (long n : new long[] {3, 1, 2}) {
                Weft.spawn(() -> {
                    var p = sem.acquire(n).await();
                    order.add("got " + n);
                    held.add(p);
                });
                settle();
            }
            sem.release(2);
            settle();
            assertThat(order).as("the head wants 3: nobody behind it may pass").isEmpty();
            assertThat(sem.tryAcquire(1)).as("tryAcquire does not barge past waiters").isNull();
            sem.release(1);
            yieldUntil(() -> order.size() == 1);
            assertThat(order).containsExactly("got 3");
            held.get(0).close();
            held.get(0).close(); // once only
            yieldUntil(() -> order.size() == 3);
            // 1 and 2 are both granted by that one release, in arrival order; the order they then run in is the
            // executor's (a StealingExecutor's LIFO slot runs the last woken first)
            assertThat(order).hasSize(3).startsWith("got 3");
            assertThat(order.subList(1, 3)).containsExactlyInAnyOrder("got 1", "got 2");
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

    /** SameThread: a is queued before b, and aborted after its grant and before it runs again. */
    @Kinds.SameThread
    void abortedWaiterThatWasGrantedGivesItsPermitsToTheNext(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            var sem = semaphore(local, 0);
            JoinHandle<Long> a = Weft.spawn(() -> sem.acquire(2).await().count());
            JoinHandle<Long> b = Weft.spawn(() -> {
                try (var p = sem.acquire(2).await()) {
                    return p.count();
                }
            });
            settle();
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

    /** SameThread: big queues before small is spawned (else small would take the one permit at once). */
    @Kinds.SameThread
    void abortedHeadWaiterLetsTheOnesBehindIt(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            var sem = semaphore(local, 1);
            JoinHandle<Long> big = Weft.spawn(() -> sem.acquire(5).await().count());
            settle();
            JoinHandle<Long> small = Weft.spawn(() -> sem.acquire(1).await().count());
            settle();
            assertThat(small.isFinished()).isFalse();
            big.abort();
            assertThatThrownBy(big::await).isInstanceOf(TaskCancelledException.class);
            yieldUntil(small::isFinished);
            assertThat(small.await()).isEqualTo(1);
            return null;
        });
    }

    @Kinds.Every
    void mutexHeldAcrossAwaitsExcludesTheOtherThousandTasks(ExecutorKind kind, boolean local) {
        run(kind, () -> {
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

    @Kinds.Every
    void aCountingSemaphoreNeverLendsMoreThanItHasAcrossAwaits(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            var sem = semaphore(local, 3);
            AtomicInteger inUse = new AtomicInteger();
            AtomicInteger maxInUse = new AtomicInteger();
            List<JoinHandle<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                long n = 1 + i % 2;
                tasks.add(Weft.spawn(() -> {
                    for (int k = 0; k < 5; k++) {
                        try (var p = sem.acquire(n).await()) {
                            assertThat(p.count()).isEqualTo(n);
                            maxInUse.accumulateAndGet(inUse.addAndGet((int) n), Math::max);
                            Weft.yieldNow().await(); // the others run and queue meanwhile
                            inUse.addAndGet((int) -n);
                        }
                    }
                }));
            }
            for (var t : tasks) {
                t.await();
            }
            assertThat(maxInUse.get()).as("never more than the three permits out").isBetween(2, 3);
            assertThat(sem.availablePermits()).as("every permit came back").isEqualTo(3);
            return null;
        });
    }

    @Kinds.Every
    void oneshotDeliversOnceAndReportsASenderThatGaveUp(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            Oneshot<String> o = local ? Oneshot.local() : Oneshot.create();
            JoinHandle<String> r = Weft.spawn(() -> o.recv().await());
            settle();
            o.send("x");
            assertThatThrownBy(() -> o.send("y")).isInstanceOf(ChannelClosedException.class)
                    .extracting(e -> ((ChannelClosedException) e).value()).isEqualTo("y");
            assertThat(r.await()).isEqualTo("x");

            Oneshot<String> empty = local ? Oneshot.local() : Oneshot.create();
            JoinHandle<String> r2 = Weft.spawn(() -> empty.recv().await());
            settle();
            empty.closeSender();
            assertThatThrownBy(r2::await).hasRootCauseInstanceOf(ChannelClosedException.class);

            Oneshot<String> refused = local ? Oneshot.local() : Oneshot.create();
            refused.closeReceiver();
            assertThatThrownBy(() -> refused.send("z")).isInstanceOf(ChannelClosedException.class)
                    .extracting(e -> ((ChannelClosedException) e).value()).isEqualTo("z");
            return null;
        });
    }

    /**
     * An acquire whose first poll finds the permits free but no budget
     * takes them then (arrival order), and answers at its next poll; a
     * tryAcquire meanwhile finds none. Cancelled instead, it gives them back.
     */
    @Kinds.Every
    void anAcquireWithoutBudgetTakesItsPermitsAtItsFirstPoll(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            var s = local ? Semaphore.local(1) : Semaphore.create(1);
            var c = new NotifyTest.Counting();
            var a = s.acquire(1);
            assertThat(a.poll(NotifyTest.spentBudget()).isReady()).isFalse();
            assertThat(s.tryAcquire()).as("taken by the first poll").isNull();
            var p = a.poll(c.cx);
            assertThat(p.isReady()).isTrue();
            p.get().close();
            var b = s.acquire(1);
            assertThat(b.poll(NotifyTest.spentBudget()).isReady()).isFalse();
            b.cancel();
            assertThat(s.availablePermits()).as("given back").isEqualTo(1);
            return null;
        });
    }

    /**
     * A guard closed from the wrong thread is refused and stays open: its
     * holder closes it after, and the lock is free. Without it the failed
     * close marked the guard closed, and the lock was held for ever.
     */
    @Kinds.Local
    void aGuardCloseRefusedOnAnotherThreadLeavesTheGuardToItsHolder(ExecutorKind kind) {
        run(kind, () -> {
            var m = Mutex.local(0);
            var g = m.tryLock();
            var rw = RwLock.local(0);
            var r = rw.tryRead();
            java.util.concurrent.atomic.AtomicReference<Throwable> mutexClose = new java.util.concurrent.atomic.AtomicReference<>();
            java.util.concurrent.atomic.AtomicReference<Throwable> readClose = new java.util.concurrent.atomic.AtomicReference<>();
            Thread other = Thread.ofPlatform().start(() -> {
                try {
                    g.close();
                } catch (Throwable t) {
                    mutexClose.set(t);
                }
                try {
                    r.close();
                } catch (Throwable t) {
                    readClose.set(t);
                }
            });
            other.join();
            assertThat(mutexClose.get()).isInstanceOf(IllegalStateException.class);
            assertThat(readClose.get()).isInstanceOf(IllegalStateException.class);
            assertThat(g.get()).as("still the holder's").isEqualTo(0);
            g.close();
            r.close();
            assertThat(m.tryLock()).as("the lock, released by its holder").isNotNull();
            assertThat(rw.tryWrite()).isNotNull();
            return null;
        });
    }

    /** Permits beyond Long.MAX_VALUE are refused loudly wherever they come back, never wrapped negative. */
    @Kinds.Every
    void permitsComingBackBeyondLongMaxAreRefusedNotWrapped(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            var s = local ? Semaphore.local(Long.MAX_VALUE) : Semaphore.create(Long.MAX_VALUE);
            var p = s.tryAcquire(1);
            s.release(1);
            assertThatThrownBy(p::close).isInstanceOf(IllegalStateException.class).hasMessageContaining("Long.MAX_VALUE");
            assertThat(s.availablePermits()).isEqualTo(Long.MAX_VALUE);
            var q = s.tryAcquire(1); // room for one: p, still open, closes now
            assertThat(q).isNotNull();
            p.close();
            assertThat(s.availablePermits()).isEqualTo(Long.MAX_VALUE);
            return null;
        });
    }
}
