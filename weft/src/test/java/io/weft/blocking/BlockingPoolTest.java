package io.weft.blocking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The threads of the blocking pool: on demand up to the cap, FIFO beyond it, reused, ended after the keep-alive. */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BlockingPoolTest {

    /** Waits up to 30 s for {@code condition}; false if it never held. */
    static boolean within30s(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(1); // a bounded wait for a condition, not an ordering
        }
        return true;
    }

    /** A job that says it started, then holds its thread until {@code release}. */
    private static Runnable holding(CountDownLatch started, CountDownLatch release, List<Thread> ranOn) {
        return () -> {
            ranOn.add(Thread.currentThread());
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new AssertionError("a held job was interrupted", e);
            }
        };
    }

    @Test
    void threadsStartOnDemandUpToTheCapThenJobsWaitInOrder() throws Exception {
        BlockingPool pool = new BlockingPool(2, TimeUnit.SECONDS.toNanos(10), "test-cap-");
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> ranOn = new CopyOnWriteArrayList<>();
        CountDownLatch first = new CountDownLatch(1);
        pool.execute(holding(first, release, ranOn));
        assertThat(first.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(pool.threads()).as("one job, one thread").isEqualTo(1);
        CountDownLatch second = new CountDownLatch(1);
        pool.execute(holding(second, release, ranOn));
        assertThat(second.await(30, TimeUnit.SECONDS)).as("a second job while the first holds its thread").isTrue();
        assertThat(pool.threads()).isEqualTo(2);

        List<Integer> order = new CopyOnWriteArrayList<>();
        CountDownLatch queuedDone = new CountDownLatch(3);
        for (int i = 0; i < 3; i++) {
            int n = i;
            pool.execute(() -> {
                order.add(n);
                queuedDone.countDown();
            });
        }
        assertThat(pool.threads()).as("the cap holds").isEqualTo(2);
        assertThat(pool.queued()).isEqualTo(3);
        release.countDown();
        assertThat(queuedDone.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(pool.threads()).isEqualTo(2);
        assertThat(ranOn).extracting(Thread::getName).containsExactlyInAnyOrder("test-cap-1", "test-cap-2");
        assertThat(ranOn).allMatch(Thread::isDaemon);
        // Two threads take from one FIFO queue: each takes the oldest job; a single thread would keep the order.
        assertThat(order).containsExactlyInAnyOrder(0, 1, 2);
    }

    @Test
    void aSingleThreadRunsQueuedJobsInSubmitOrder() throws Exception {
        BlockingPool pool = new BlockingPool(1, TimeUnit.SECONDS.toNanos(10), "test-fifo-");
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        pool.execute(holding(started, release, new CopyOnWriteArrayList<>()));
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
        List<Integer> order = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(10);
        for (int i = 0; i < 10; i++) {
            int n = i;
            pool.execute(() -> {
                order.add(n);
                done.countDown();
            });
        }
        release.countDown();
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(order).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    }

    @Test
    void anIdleThreadTakesTheNextJobAndTwoJobsAtOnceGetTwoThreads() throws Exception {
        BlockingPool pool = new BlockingPool(4, TimeUnit.SECONDS.toNanos(10), "test-reuse-");
        AtomicReference<Thread> firstThread = new AtomicReference<>();
        CountDownLatch ran = new CountDownLatch(1);
        pool.execute(() -> {
            firstThread.set(Thread.currentThread());
            ran.countDown();
        });
        assertThat(ran.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(within30s(() -> pool.idleThreads() == 1)).as("the thread waits for work").isTrue();

        // One idle thread, two jobs that each hold their thread: the second must not wait for the first
        // (a pool that signalled its one sleeper twice would leave it queued).
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch bothStarted = new CountDownLatch(2);
        List<Thread> ranOn = new CopyOnWriteArrayList<>();
        pool.execute(holding(bothStarted, release, ranOn));
        pool.execute(holding(bothStarted, release, ranOn));
        assertThat(bothStarted.await(30, TimeUnit.SECONDS)).as("both jobs run at once").isTrue();
        release.countDown();
        assertThat(ranOn).contains(firstThread.get()).hasSize(2).doesNotHaveDuplicates();
        assertThat(pool.threads()).as("the idle thread was reused: one new thread, not two").isEqualTo(2);
    }

    @Test
    void threadsEndAfterTheKeepAlive() throws Exception {
        BlockingPool pool = new BlockingPool(3, TimeUnit.MILLISECONDS.toNanos(50), "test-keepalive-");
        CountDownLatch started = new CountDownLatch(3);
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> ranOn = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 3; i++) {
            pool.execute(holding(started, release, ranOn));
        }
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(pool.threads()).isEqualTo(3);
        release.countDown();
        assertThat(within30s(() -> pool.threads() == 0)).as("idle threads end after 50 ms: " + pool).isTrue();
        for (Thread t : ranOn) {
            t.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(t.isAlive()).as(t.getName() + " ended").isFalse();
        }
        // An emptied pool starts again on demand.
        AtomicReference<String> name = new AtomicReference<>();
        CountDownLatch ran = new CountDownLatch(1);
        pool.execute(() -> {
            name.set(Thread.currentThread().getName());
            ran.countDown();
        });
        assertThat(ran.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(name.get()).isEqualTo("test-keepalive-4");
    }

    @Test
    void aJobThatThrowsOrInterruptsItselfLeavesTheThreadCleanForTheNext() throws Exception {
        BlockingPool pool = new BlockingPool(1, TimeUnit.SECONDS.toNanos(10), "test-clean-");
        pool.execute(() -> {
            throw new IllegalStateException("a job that throws (logged by the pool)");
        });
        pool.execute(() -> Thread.currentThread().interrupt());
        AtomicBoolean interrupted = new AtomicBoolean(true);
        AtomicReference<String> name = new AtomicReference<>();
        CountDownLatch ran = new CountDownLatch(1);
        pool.execute(() -> {
            interrupted.set(Thread.currentThread().isInterrupted());
            name.set(Thread.currentThread().getName());
            ran.countDown();
        });
        assertThat(ran.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(name.get()).as("the same thread went on").isEqualTo("test-clean-1");
        assertThat(interrupted.get()).as("the interrupt of the job before").isFalse();
    }

    @Test
    void theSharedPoolIsNamedWeftBlockingAndItsThreadsAreDaemons() throws Exception {
        AtomicReference<Thread> t = new AtomicReference<>();
        CountDownLatch ran = new CountDownLatch(1);
        BlockingPool.shared().execute(() -> {
            t.set(Thread.currentThread());
            ran.countDown();
        });
        assertThat(ran.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(t.get().getName()).matches("weft-blocking-\\d+");
        assertThat(t.get().isDaemon()).isTrue();
        assertThat(BlockingPool.shared().maxThreads()).isEqualTo(Integer.getInteger(BlockingPool.THREADS_PROPERTY, 64));
    }

    @Test
    void propertiesSetTheCapAndTheKeepAliveAndABadValueSaysWhich() {
        BlockingPool dflt = BlockingPool.fromProperties(Map.<String, String>of()::get, "p-");
        assertThat(dflt.maxThreads()).isEqualTo(64);
        assertThat(dflt.keepAliveNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(10));
        BlockingPool set = BlockingPool.fromProperties(
                Map.of(BlockingPool.THREADS_PROPERTY, "3", BlockingPool.KEEP_ALIVE_PROPERTY, "250")::get, "p-");
        assertThat(set.maxThreads()).isEqualTo(3);
        assertThat(set.keepAliveNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(250));
        List<Map<String, String>> bad = new ArrayList<>();
        bad.add(Map.of(BlockingPool.THREADS_PROPERTY, "0"));
        bad.add(Map.of(BlockingPool.THREADS_PROPERTY, "many"));
        bad.add(Map.of(BlockingPool.KEEP_ALIVE_PROPERTY, "-1"));
        bad.add(Map.of(BlockingPool.KEEP_ALIVE_PROPERTY, "10s"));
        for (Map<String, String> m : bad) {
            Map.Entry<String, String> e = m.entrySet().iterator().next();
            assertThatThrownBy(() -> BlockingPool.fromProperties(m::get, "p-"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(e.getKey() + "=" + e.getValue());
        }
    }
}
