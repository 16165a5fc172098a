package io.weft;

import static io.weft.FuturesTest.thrown;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;

/** JoinSet: completion order, failures and cancellations, emptiness. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard, not a speed limit
class JoinSetTest {

    @SameThreadKinds
    void yieldsResultsInCompletionOrderNotSpawnOrder(ExecutorKind kind) {
        try (var ex = kind.open()) {
            List<Integer> completed = new ArrayList<>();
            List<Integer> order = ex.run(() -> {
                List<Probes.Gate<Integer>> gates = new ArrayList<>();
                List<JoinHandle<Integer>> hs = new ArrayList<>();
                try (var set = new JoinSet<Integer>()) {
                    for (int i = 0; i < 4; i++) {
                        var g = new Probes.Gate<Integer>();
                        gates.add(g);
                        int n = i;
                        hs.add(set.spawn(() -> {
                            int v = g.await() + n;
                            completed.add(v);
                            return v;
                        }));
                    }
                    assertThat(set.size()).isEqualTo(4);
                    Weft.yieldNow().await(); // all four wait on their gates
                    for (int i : new int[] {2, 0, 3, 1}) {
                        gates.get(i).open(0); // they finish in the order they are run (FIFO, or LIFO first)
                    }
                    Weft.yieldNow().await();
                    assertThat(hs).as("all finished before the first next()").allMatch(JoinHandle::isFinished);
                    List<Integer> rs = new ArrayList<>();
                    while (!set.isEmpty()) {
                        rs.add(set.next().await());
                    }
                    assertThat(set.next().await()).as("empty: ready with null").isNull();
                    assertThat(set.nextHandle().await()).isNull();
                    assertThat(rs).as("in completion order").isEqualTo(completed);
                    return rs;
                }
            });
            assertThat(order).containsExactlyInAnyOrder(0, 1, 2, 3).isNotEqualTo(List.of(0, 1, 2, 3));
        }
    }

    @SameThreadKinds
    void nextWaitsForTheNextCompletionAndWakesOncePerTask(ExecutorKind kind) {
        try (var ex = kind.open()) {
            ex.run(() -> {
                var set = new JoinSet<String>();
                var first = new Probes.Gate<String>();
                var second = new Probes.Gate<String>();
                set.spawn(() -> first.await());
                set.spawn(() -> second.await());
                AtomicInteger wakes = new AtomicInteger();
                Context cx = new Context(wakes::incrementAndGet);
                Future<String> next = set.next();
                assertThat(next.poll(cx).isReady()).isFalse();
                Weft.yieldNow().await();
                second.open("two");
                Weft.yieldNow().await();
                assertThat(wakes.get()).as("woken once by the completion").isEqualTo(1);
                assertThat(next.poll(cx).get()).isEqualTo("two");
                Weft.spawn(() -> first.open("one"));
                assertThat(set.next().await()).isEqualTo("one");
                assertThat(wakes.get()).as("a taken waiter is not woken again").isEqualTo(1);
                assertThat(set.isEmpty()).isTrue();
                return null;
            });
        }
    }

    @SameThreadKinds
    void aFailureOrACancellationIsThrownByNextAndTheTaskLeavesTheSet(ExecutorKind kind) {
        try (var ex = kind.open()) {
            ex.run(() -> {
                AtomicInteger finallies = new AtomicInteger();
                RuntimeException boom = new RuntimeException("boom");
                var set = new JoinSet<Integer>();
                set.spawn(() -> {
                    throw boom;
                });
                Weft.yieldNow().await();
                for (int i = 0; i < 2; i++) {
                    set.spawn(() -> {
                        try {
                            return new Probes.Gate<Integer>().await();
                        } finally {
                            finallies.incrementAndGet();
                        }
                    });
                }
                Weft.yieldNow().await();
                assertThat(thrown(() -> set.next().await())).isInstanceOf(TaskFailedException.class).hasCause(boom);
                assertThat(set.size()).isEqualTo(2);
                set.abortAll();
                assertThat(set.size()).as("aborted tasks stay until next() takes them").isEqualTo(2);
                assertThat(thrown(() -> set.next().await())).isInstanceOf(TaskCancelledException.class);
                JoinHandle<Integer> h = set.nextHandle().await();
                assertThat(h.isFinished()).isTrue();
                assertThat(thrown(h::await)).isInstanceOf(TaskCancelledException.class);
                assertThat(set.isEmpty()).isTrue();
                assertThat(finallies.get()).isEqualTo(2);
                return null;
            });
        }
    }
}
