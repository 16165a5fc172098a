package io.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Weft.blockInPlace: a blocking call on the worker's thread while its queued tasks run elsewhere. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BlockInPlaceTest {

    /**
     * The task that will release the blocking call waits in this worker's
     * LIFO slot, which no other worker can steal from: without the hand-over
     * the call would wait for ever.
     */
    @Test
    void theTasksWaitingOnThisWorkerRunElsewhereWhileItBlocks() {
        try (StealingExecutor ex = StealingExecutor.builder().workers(2).name("bip").build()) {
            for (int round = 0; round < 50; round++) {
                String where = ex.blockOn(() -> {
                    CountDownLatch allRan = new CountDownLatch(11);
                    Set<String> ranOn = ConcurrentHashMap.newKeySet();
                    for (int i = 0; i < 11; i++) { // the last waits in the LIFO slot, the others in the queue
                        Weft.spawn(() -> {
                            ranOn.add(Thread.currentThread().getName());
                            allRan.countDown();
                        });
                    }
                    String me = Thread.currentThread().getName();
                    boolean inTime = Weft.blockInPlace(() -> allRan.await(20, TimeUnit.SECONDS));
                    assertThat(inTime).as("all eleven ran while this worker blocked").isTrue();
                    return ranOn.contains(me) ? "some ran here" : "all elsewhere";
                });
                assertThat(where).isEqualTo("all elsewhere");
            }
        }
    }

    /**
     * While one worker blocks in place, the other takes every new task, and
     * hands none to the blocked one, although it has far fewer tasks living
     * on it (the hand-off before a first run, {@code Spread}): 20 tasks that
     * stay suspended all start while it blocks (without the check, every
     * other one after the eighth went to the blocked worker and waited there).
     */
    @Test
    void noNewTaskIsHandedToAWorkerThatBlocksInPlace() throws Exception {
        try (StealingExecutor ex = StealingExecutor.builder().workers(2).name("bip-handoff").build()) {
            CountDownLatch blocking = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            JoinHandle<Boolean> blocker = ex.spawn(() -> Weft.blockInPlace(() -> {
                blocking.countDown();
                return release.await(60, TimeUnit.SECONDS);
            }));
            assertThat(blocking.await(20, TimeUnit.SECONDS)).isTrue();
            CountDownLatch started = new CountDownLatch(20);
            io.weft.sync.Notify never = io.weft.sync.Notify.create();
            for (int i = 0; i < 20; i++) {
                ex.spawn(() -> {
                    started.countDown();
                    never.notified().await(); // lives on its worker from now on
                    return null;
                });
            }
            boolean all = started.await(20, TimeUnit.SECONDS);
            long left = started.getCount();
            release.countDown();
            assertThat(all).as("all started while a worker blocked in place; not started: " + left).isTrue();
            assertThat(blocker.await()).isTrue();
        }
    }

    /**
     * An await that would suspend inside the body is refused, naming what to
     * do, and its future is cancelled; a ready one is taken. The worker
     * stays a normal worker afterwards: a later body hands its queued tasks
     * over again. It used to suspend the task with the worker still marked
     * blocking, for as long as the task waited: no LIFO slot, no hand-off
     * there, and a later blockInPlace on it handed nothing over.
     */
    @Test
    void anAwaitThatWouldSuspendInsideTheBodyIsRefusedAndTheWorkerStaysWhole() {
        try (StealingExecutor ex = StealingExecutor.builder().workers(2).name("bip-await").build()) {
            ex.blockOn(() -> {
                io.weft.sync.Notify never = io.weft.sync.Notify.create();
                assertThatThrownBy(() -> Weft.blockInPlace(() -> never.notified().await()))
                        .isInstanceOf(IllegalStateException.class).hasMessageContaining("blockInPlace")
                        .hasMessageContaining("spawnBlocking");
                assertThat(Weft.blockInPlace(() -> Futures.ready(7).await())).as("a ready future").isEqualTo(7);
                never.notifyOne(); // the refused wait was cancelled: this permit is kept for the next one
                never.notified().await();
                String me = Thread.currentThread().getName();
                Set<String> ranOn = ConcurrentHashMap.newKeySet();
                CountDownLatch ran = new CountDownLatch(1);
                Weft.spawn(() -> { // queued here: handed over by the next body
                    ranOn.add(Thread.currentThread().getName());
                    ran.countDown();
                });
                assertThat(Weft.blockInPlace(() -> ran.await(20, TimeUnit.SECONDS))).isTrue();
                assertThat(ranOn).doesNotContain(me);
                return null;
            });
        }
    }

    /**
     * A blockInPlace inside a re-poll of what the task awaits (a then
     * function, once its source was ready) leaves the task awaiting what it
     * awaited: it had left it as if running, so a next wake resumed the body
     * with the future itself as the await's value.
     */
    @Test
    void aBodyRunInARePollLeavesTheAwaitAsItWas() {
        try (StealingExecutor ex = StealingExecutor.builder().workers(2).name("bip-repoll").build()) {
            Object got = ex.blockOn(() -> Weft.yieldNow().then(v -> {
                Weft.blockInPlace(() -> 0);
                return Weft.yieldNow().map(u -> "done"); // pending at its first poll: the task waits again
            }).await());
            assertThat(got).isEqualTo("done");
        }
    }

    @Test
    void whatTheBodySpawnsRunsElsewhereAndWhatItThrowsComesBack() {
        try (StealingExecutor ex = StealingExecutor.builder().workers(2).name("bip-spawn").build()) {
            ex.blockOn(() -> {
                String me = Thread.currentThread().getName();
                CountDownLatch ran = new CountDownLatch(1);
                String[] on = new String[1];
                Weft.blockInPlace(() -> {
                    Weft.spawn(() -> {
                        on[0] = Thread.currentThread().getName();
                        ran.countDown();
                    });
                    return ran.await(20, TimeUnit.SECONDS);
                });
                assertThat(on[0]).isNotNull().isNotEqualTo(me);
                assertThat(Weft.blockInPlace(() -> 42)).isEqualTo(42);
                assertThatThrownBy(() -> Weft.blockInPlace(() -> {
                    throw new IllegalArgumentException("as is");
                })).isInstanceOf(IllegalArgumentException.class).hasMessage("as is");
                assertThatThrownBy(() -> Weft.blockInPlace(() -> {
                    throw new IOException("checked");
                })).isInstanceOf(TaskFailedException.class).hasCauseInstanceOf(IOException.class);
                return null;
            });
        }
    }

    @Test
    void onALocalExecutorItSaysWhatToUseAndOutsideAnyExecutorItJustCalls() {
        try (LocalExecutor ex = LocalExecutor.create()) {
            assertThatThrownBy(() -> ex.run(() -> Weft.blockInPlace(() -> 1)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("spawnBlocking");
        }
        assertThat(Weft.blockInPlace(() -> "plain")).isEqualTo("plain");
    }

    /**
     * A close while a task blocks in place interrupts the body (as an aborted
     * {@code spawnBlocking} body is), and the task is then cancelled at its
     * next await, its finally run; the close returns. Without the interrupt
     * the close waited for the body for ever. A body that starts once the
     * close has begun is interrupted at its start.
     */
    @Test
    void aCloseInterruptsABodyBlockingInPlaceAndCancelsItsTask() throws Exception {
        StealingExecutor ex = StealingExecutor.builder().workers(2).name("bip-close").build();
        CountDownLatch blocking = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger interrupts = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean finallyRan = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicReference<Throwable> afterBody = new java.util.concurrent.atomic.AtomicReference<>();
        CountDownLatch never = new CountDownLatch(1);
        JoinHandle<Object> blocker = ex.spawn(() -> {
            try {
                Weft.blockInPlace(() -> {
                    blocking.countDown();
                    try {
                        never.await();
                    } catch (InterruptedException e) {
                        interrupts.incrementAndGet();
                    }
                    return null;
                });
                try {
                    Weft.yieldNow().await();
                } catch (Throwable t) {
                    afterBody.set(t);
                    throw t;
                }
                return null;
            } finally {
                finallyRan.set(true);
            }
        });
        assertThat(blocking.await(20, TimeUnit.SECONDS)).isTrue();
        Thread closer = Thread.ofPlatform().start(ex::close);
        closer.join(TimeUnit.SECONDS.toMillis(20));
        boolean stuck = closer.isAlive();
        never.countDown(); // lets a body that the close did not interrupt go, so that the executor ends
        closer.join();
        assertThat(stuck).as("the close returned while a body blocked in place").isFalse();
        assertThat(interrupts.get()).isEqualTo(1);
        assertThat(afterBody.get()).isInstanceOf(TaskCancelledException.class);
        assertThat(finallyRan.get()).isTrue();
        assertThatThrownBy(blocker::await).isInstanceOf(TaskCancelledException.class);
    }
}
