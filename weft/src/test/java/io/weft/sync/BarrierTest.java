package io.weft.sync;

import static io.weft.sync.Kinds.run;
import static io.weft.sync.Kinds.yieldUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.ExecutorKind;
import io.weft.JoinHandle;
import io.weft.TaskCancelledException;
import io.weft.Weft;
import io.weft.sync.NotifyTest.Counting;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Timeout;

/** Barrier for both families: one trip and one leader per generation, reuse, cancelled waiters, threads. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BarrierTest {

    static Barrier barrier(boolean local, int n) {
        return local ? Barrier.local(n) : Barrier.create(n);
    }

    @Kinds.Every
    void nTasksTripOncePerGenerationWithOneLeaderForThreeGenerations(ExecutorKind kind, boolean local) {
        final int n = 4;
        final int generations = 3;
        run(kind, () -> {
            var b = barrier(local, n);
            // atomic: on STEALING_2 the parties run on two workers at once
            AtomicIntegerArray before = new AtomicIntegerArray(generations); // arrivals started in generation g
            AtomicIntegerArray leaders = new AtomicIntegerArray(generations);
            AtomicIntegerArray passed = new AtomicIntegerArray(generations);
            List<JoinHandle<Void>> hs = new ArrayList<>();
            for (int t = 0; t < n; t++) {
                hs.add(Weft.spawn(() -> {
                    for (int g = 0; g < generations; g++) {
                        before.incrementAndGet(g);
                        boolean leader = b.arrive().await();
                        assertThat(before.get(g)).as("nobody passes generation %d before all arrived", g).isEqualTo(n);
                        if (leader) {
                            leaders.incrementAndGet(g);
                        }
                        passed.incrementAndGet(g);
                    }
                }));
            }
            for (var h : hs) {
                h.await();
            }
            assertThat(b.generation()).as("one trip per generation").isEqualTo(generations);
            for (int g = 0; g < generations; g++) {
                assertThat(leaders.get(g)).as("leaders of generation %d", g).isEqualTo(1);
                assertThat(passed.get(g)).as("passed generation %d", g).isEqualTo(n);
            }
            assertThat(b.arrived()).isZero();
            return null;
        });
    }

    @Kinds.Every
    void theLastArrivalLeadsAndEveryWaiterIsWokenOnce(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            var b = barrier(local, 3);
            var c1 = new Counting();
            var c2 = new Counting();
            var f1 = b.arrive();
            var f2 = b.arrive();
            assertThat(f1.poll(c1.cx).isReady()).isFalse();
            assertThat(f2.poll(c2.cx).isReady()).isFalse();
            assertThat(f1.poll(c1.cx).isReady()).as("a second poll does not count again").isFalse();
            assertThat(b.arrived()).isEqualTo(2);
            var c3 = new Counting();
            var p3 = b.arrive().poll(c3.cx);
            assertThat(p3.isReady()).isTrue();
            assertThat(p3.get()).as("the last one leads").isTrue();
            assertThat(c1.wakes).hasValue(1);
            assertThat(c2.wakes).hasValue(1);
            assertThat(c3.wakes).hasValue(0);
            // an arrival now belongs to the next generation, before the woken ones ran
            var c4 = new Counting();
            var f4 = b.arrive();
            assertThat(f4.poll(c4.cx).isReady()).isFalse();
            var r1 = f1.poll(c1.cx);
            var r2 = f2.poll(c2.cx);
            assertThat(r1.isReady() && r2.isReady()).isTrue();
            assertThat(r1.get()).isFalse();
            assertThat(r2.get()).isFalse();
            assertThat(b.generation()).isEqualTo(1);
            assertThat(b.arrived()).isEqualTo(1);
            f4.cancel();
            assertThat(b.arrived()).isZero();
            assertThat(c4.wakes).hasValue(0);
            return null;
        });
    }

    @Kinds.Every
    void aWaiterCancelledBeforeTheTripDoesNotCount(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            var b = barrier(local, 2);
            var gone = new Counting();
            var fg = b.arrive();
            assertThat(fg.poll(gone.cx).isReady()).isFalse();
            fg.cancel();
            fg.cancel(); // idempotent
            assertThat(b.arrived()).isZero();

            var c1 = new Counting();
            var f1 = b.arrive();
            assertThat(f1.poll(c1.cx).isReady()).as("the cancelled one does not count: still one short").isFalse();
            var c2 = new Counting();
            var p2 = b.arrive().poll(c2.cx);
            assertThat(p2.isReady()).isTrue();
            assertThat(p2.get()).isTrue();
            assertThat(c1.wakes).hasValue(1);
            assertThat(gone.wakes).hasValue(0);
            assertThat(f1.poll(c1.cx).get()).isFalse();
            assertThat(b.generation()).isEqualTo(1);
            assertThatThrownBy(() -> fg.poll(gone.cx)).isInstanceOf(IllegalStateException.class);

            // an aborted task's arrival is withdrawn as well
            JoinHandle<Boolean> aborted = Weft.spawn(() -> b.arrive().await());
            yieldUntil(() -> b.arrived() == 1);
            aborted.abort();
            assertThatThrownBy(aborted::await).isInstanceOf(TaskCancelledException.class);
            assertThat(b.arrived()).isZero();
            var c3 = new Counting();
            var f3 = b.arrive();
            assertThat(f3.poll(c3.cx).isReady()).isFalse();
            assertThat(b.generation()).isEqualTo(1);
            f3.cancel();

            // cancelled after the trip woke it: the generation stays complete
            var c5 = new Counting();
            var f5 = b.arrive();
            assertThat(f5.poll(c5.cx).isReady()).isFalse();
            assertThat(b.arrive().poll(new Counting().cx).get()).isTrue();
            f5.cancel();
            assertThat(b.generation()).isEqualTo(2);
            assertThat(b.arrived()).isZero();
            assertThat(c5.wakes).hasValue(1);
            return null;
        });
    }

    @Kinds.Every
    void oneParty(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            var b = barrier(local, 1);
            for (int i = 0; i < 3; i++) {
                assertThat(b.arrive().await()).isTrue();
            }
            assertThat(b.generation()).isEqualTo(3);
            assertThatThrownBy(() -> barrier(local, 0)).isInstanceOf(IllegalArgumentException.class);
            return null;
        });
    }

    @Kinds.Shared
    void aSharedBarrierBetweenPlainThreadsAndATask(ExecutorKind kind) throws Exception {
        final int threads = 2;
        final int n = threads + 1;
        final int generations = 3;
        var b = Barrier.create(n);
        AtomicIntegerArray leaders = new AtomicIntegerArray(generations);
        AtomicIntegerArray before = new AtomicIntegerArray(generations);
        AtomicReference<Throwable> error = new AtomicReference<>();
        Runnable party = () -> {
            for (int g = 0; g < generations; g++) {
                before.incrementAndGet(g);
                if (b.arrive().await()) {
                    leaders.incrementAndGet(g);
                }
                if (before.get(g) != n) {
                    error.compareAndSet(null, new AssertionError("passed generation " + g + " early"));
                }
            }
        };
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                try {
                    party.run(); // await parks this thread
                } catch (Throwable e) {
                    error.compareAndSet(null, e);
                }
            });
            ts.add(t);
            t.start();
        }
        run(kind, () -> {
            Weft.spawn(party::run).await();
            return null;
        });
        for (Thread t : ts) {
            t.join();
        }
        assertThat(error.get()).isNull();
        assertThat(b.generation()).isEqualTo(generations);
        for (int g = 0; g < generations; g++) {
            assertThat(leaders.get(g)).as("leaders of generation %d", g).isEqualTo(1);
        }
    }

    @Kinds.Local
    void aLocalBarrierRefusesOtherThreads(ExecutorKind kind) {
        AtomicReference<Throwable> fromOther = new AtomicReference<>();
        run(kind, () -> {
            var b = Barrier.local(2);
            Thread t = new Thread(() -> {
                try {
                    b.arrive().poll(new Counting().cx);
                } catch (Throwable e) {
                    fromOther.set(e);
                }
            });
            t.start();
            t.join();
            assertThat(b.arrived()).isZero();
            return null;
        });
        assertThat(fromOther.get()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Barrier.local").hasMessageContaining("used from thread");
    }

    /**
     * The n-th arrival trips the barrier at its first poll, budget or not
     * (it answers at its next poll): a party queued before it that is then
     * cancelled changes nothing. Without it the trip waited for a budget,
     * the cancelled party no longer counted, and the last one waited for ever.
     */
    @Kinds.Every
    void theLastArrivalTripsTheBarrierAtItsFirstPollEvenWithoutBudget(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            var b = barrier(local, 2);
            var c = new Counting();
            var first = b.arrive();
            assertThat(first.poll(c.cx).isReady()).isFalse();
            var last = b.arrive();
            assertThat(last.poll(NotifyTest.spentBudget()).isReady()).isFalse();
            assertThat(b.generation()).as("tripped at the last one's first poll").isEqualTo(1);
            first.cancel();
            var p = last.poll(c.cx);
            assertThat(p.isReady()).isTrue();
            assertThat(p.get()).as("the leader").isTrue();
            return null;
        });
    }
}
