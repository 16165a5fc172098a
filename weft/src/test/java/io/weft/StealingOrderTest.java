package io.weft;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.sync.Notify;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The order in which a StealingExecutor's worker runs what is ready: yields, the LIFO slot and its cap. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StealingOrderTest {

    /**
     * One yield lets a ready child run, on one worker as on a LocalExecutor
     * (found by the sync suites on STEALING_1: the yielder came back first
     * in 14 and 16 runs of 20, while the worker alternated between its two
     * queues; passes since yields are deferred).
     */
    @Test
    void oneYieldLetsAReadyChildRun() {
        try (StealingExecutor ex = StealingExecutor.builder().workers(1).name("steal-yield1").build()) {
            for (int i = 0; i < 20; i++) {
                boolean childRan = ex.blockOn(() -> {
                    AtomicBoolean ran = new AtomicBoolean();
                    var child = Weft.spawn(() -> ran.set(true));
                    Weft.yieldNow().await();
                    boolean seen = ran.get();
                    child.await();
                    return seen;
                });
                assertThat(childRan).as("run %d: the child ran while its parent yielded", i).isTrue();
            }
        }
    }

    /**
     * As on a LocalExecutor: a task that yields runs again after the tasks
     * that were ready when it yielded, wherever they are queued (spawned and
     * not yet run, or living here and woken). Before, a worker alternated
     * between its two queues, and the yielder could come back first.
     */
    @Test
    void aYieldLetsEveryTaskThatWasReadyRunFirst() {
        try (StealingExecutor ex = StealingExecutor.builder().workers(1).name("steal-yield").build()) {
            List<String> order = ex.blockOn(() -> {
                List<String> log = new ArrayList<>();
                var gate = new Probes.Gate<Integer>();
                JoinHandle<Void> woken = Weft.spawn(() -> {
                    gate.await();
                    log.add("woken");
                    return null;
                });
                Weft.yieldNow().await(); // woken runs once and waits on the gate
                gate.open(0);
                for (int i = 0; i < 3; i++) {
                    int n = i;
                    Weft.spawn(() -> log.add("spawned " + n));
                }
                Weft.yieldNow().await();
                log.add("yielder");
                woken.await();
                return log;
            });
            assertThat(order).hasSize(5).endsWith("yielder");
        }
    }

    /**
     * Two tasks that wake each other run through the LIFO slot, at most 3
     * polls in a row: a task waiting in the worker's queue meanwhile is
     * polled within a few exchanges, not after the pair is done.
     */
    @Test
    void aPingPongPairThroughTheLifoSlotCannotStarveTheQueue() {
        try (StealingExecutor ex = StealingExecutor.builder().workers(1).name("steal-lifo").build()) {
            long exchangesBeforeC = ex.blockOn(() -> {
                Notify toA = Notify.create();
                Notify toB = Notify.create();
                AtomicLong exchanges = new AtomicLong();
                AtomicLong seenByC = new AtomicLong(-1);
                JoinHandle<Void> b = Weft.spawn(() -> {
                    while (seenByC.get() < 0) {
                        toB.notified().await();
                        toA.notifyOne();
                    }
                    return null;
                });
                JoinHandle<Void> a = Weft.spawn(() -> {
                    for (long i = 0; i < 1_000_000 && seenByC.get() < 0; i++) {
                        if (i == 100) {
                            Weft.spawn(() -> seenByC.set(exchanges.get())); // queued behind the pair
                        }
                        toB.notifyOne();
                        toA.notified().await();
                        exchanges.incrementAndGet();
                    }
                    toB.notifyOne(); // let b see the end
                    return null;
                });
                a.await();
                b.await();
                return seenByC.get() - 100;
            });
            assertThat(exchangesBeforeC).as("exchanges between C's spawn and its poll").isBetween(0L, 8L);
        }
    }

    /**
     * A task that joins its children one by one is resumed about once per
     * batch of finished children, as on a LocalExecutor, not once per child.
     * Before, the joiner woken by a child's end took the LIFO slot (or, once
     * it lived on the worker, ran every other poll), ran before the next
     * child, found it unfinished and suspended again: 10,000 children cost
     * 10,000 resumptions, each a continuation's thaw and freeze.
     */
    @Test
    void aTaskJoiningItsChildrenInTurnIsResumedPerBatchNotPerChild() {
        int n = 10_000;
        try (StealingExecutor ex = StealingExecutor.builder().workers(1).name("steal-fanin").build()) {
            long sum = ex.blockOn(() -> {
                List<JoinHandle<Integer>> children = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    int v = i;
                    children.add(Weft.spawn(() -> v));
                }
                long s = 0;
                for (JoinHandle<Integer> c : children) {
                    s += c.await();
                }
                return s;
            });
            assertThat(sum).isEqualTo((long) n * (n - 1) / 2);
            long polls = ex.stats().workers().get(0).polls();
            long joinerPolls = polls - n;
            assertThat(joinerPolls).as("polls of the joining task (%d polls in all)", polls)
                    .isBetween(1L, (long) n / 10);
        }
    }

    /**
     * A joiner woken by a child's end is queued as a wake from elsewhere
     * would be: behind the tasks that were queued before it (here, those
     * the child spawned), not in the LIFO slot ahead of them.
     */
    @Test
    void aJoinerWokenByAChildsEndRunsAfterTheTasksQueuedBeforeTheWake() {
        try (StealingExecutor ex = StealingExecutor.builder().workers(1).name("steal-joinwake").build()) {
            List<String> order = ex.blockOn(() -> {
                List<String> log = new ArrayList<>();
                JoinHandle<Void> child = Weft.spawn(() -> {
                    for (int i = 1; i <= 4; i++) {
                        int n = i;
                        Weft.spawn(() -> log.add("x" + n));
                    }
                    log.add("child");
                    return null;
                });
                JoinHandle<Void> joiner = Weft.spawn(() -> {
                    child.await();
                    log.add("joiner");
                    return null;
                });
                joiner.await();
                return log;
            });
            assertThat(order).hasSize(6).startsWith("child").endsWith("joiner");
        }
    }

    /**
     * A task woken by another thread while it is being polled (an abort
     * from another worker, a value sent from outside) is queued as that
     * wake: before what is woken after it. Before, its worker took it for a
     * yield and ran every other task first: an operation forwarded to a
     * file's worker and given up while that worker polled it had its
     * cancellation run after the caller's next write to the same place,
     * which then did not wait for the cancelled write still in flight.
     */
    @ParameterizedTest(name = "it also wakes itself in that poll: {0}")
    @ValueSource(booleans = {false, true})
    void aTaskWokenFromElsewhereDuringItsPollRunsBeforeWhatIsWokenAfter(boolean alsoWakesItself) throws Exception {
        try (StealingExecutor ex = StealingExecutor.builder().workers(1).name("steal-wokeinpoll").build()) {
            List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
            var later = new Probes.Gate<Integer>();
            java.util.concurrent.CountDownLatch inPoll = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch woken = new java.util.concurrent.CountDownLatch(1);
            Waker[] wakerOfT = new Waker[1];
            JoinHandle<Void> u = ex.spawn(() -> { // taken first off the shared queue: it runs, then waits
                later.await(); // living on the worker, idle until the outside thread opens the gate
                log.add("u");
                return null;
            });
            JoinHandle<Void> t = ex.spawn(() -> {
                new Future<Void>() {
                    boolean first = true;

                    @Override
                    public Poll<Void> poll(Context cx) {
                        if (!first) {
                            return Poll.ready(null);
                        }
                        first = false;
                        wakerOfT[0] = cx.waker();
                        inPoll.countDown();
                        try { // the outside thread wakes this task, then u, meanwhile
                            assertThat(woken.await(10, TimeUnit.SECONDS)).as("woken from outside").isTrue();
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                        if (alsoWakesItself) {
                            cx.waker().wake(); // as a yield does: alone, it would go behind u
                        }
                        return Poll.pending();
                    }
                }.await();
                log.add("t");
                return null;
            });
            try {
                assertThat(inPoll.await(10, TimeUnit.SECONDS)).isTrue();
                wakerOfT[0].wake(); // while its poll runs
                later.open(1); // then u, which waits on the worker
            } finally {
                woken.countDown(); // never leave the worker held in t's poll
            }
            ex.blockOn(() -> {
                t.await();
                return u.await();
            });
            assertThat(log).containsExactly("t", "u");
        }
    }
}
