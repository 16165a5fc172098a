package io.weft.blocking;

import static io.weft.blocking.BlockingPoolTest.within30s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.Context;
import io.weft.TaskCancelledException;
import io.weft.TaskFailedException;
import io.weft.task.Task;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The blocking task's run word, on a private pool of one thread (so a
 * queued task stays queued as long as the test holds the thread): abort
 * before start, abort while running, completion, and the handle's join
 * from plain threads.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BlockingTaskTest {
    final BlockingPool pool = new BlockingPool(1, TimeUnit.SECONDS.toNanos(10), "test-task-");
    final List<Throwable> unobserved = new CopyOnWriteArrayList<>();
    final BiConsumer<Task<?>, Throwable> sink = (t, e) -> unobserved.add(e);

    /** Holds the pool's one thread until the returned latch is opened. */
    private CountDownLatch holdThePool() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        BlockingTask.spawn(pool, "holder", () -> {
            started.countDown();
            return release.await(1, TimeUnit.MINUTES);
        }, sink);
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
        return release;
    }

    @Test
    void abortedBeforeItStartsTheBodyNeverRunsAndTheHandleFinishesAtOnce() throws Exception {
        CountDownLatch release = holdThePool();
        AtomicInteger calls = new AtomicInteger();
        BlockingTask<String> t = BlockingTask.spawn(pool, null, () -> {
            calls.incrementAndGet();
            return "ran";
        }, sink);
        assertThat(t.runState()).isEqualTo(BlockingTask.QUEUED);
        assertThat(t.isFinished()).isFalse();

        t.abort();
        assertThat(t.isFinished()).as("finished when abort returns, though the pool's thread is busy").isTrue();
        assertThat(t.runState()).isEqualTo(BlockingTask.TAKEN);
        assertThatThrownBy(t::await).isInstanceOf(TaskCancelledException.class)
                .hasMessage("task " + t + " was cancelled");

        release.countDown();
        BlockingTask<String> after = BlockingTask.spawn(pool, null, () -> "after", sink);
        assertThat(after.await()).isEqualTo("after"); // the pool took the aborted entry off its queue first
        assertThat(calls.get()).as("the aborted body's calls").isZero();
        assertThat(t.runState()).isEqualTo(BlockingTask.TAKEN);
        assertThat(unobserved).isEmpty();
    }

    @Test
    void abortedWhileItRunsItsThreadIsInterruptedAndTheHandleReportsCancelled() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<Throwable> bodySaw = new AtomicReference<>();
        BlockingTask<String> t = BlockingTask.spawn(pool, "sleeper", () -> {
            started.countDown();
            try {
                new CountDownLatch(1).await(); // only an interrupt ends this
                return "never";
            } catch (InterruptedException e) {
                bodySaw.set(e);
                throw e;
            }
        }, sink);
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
        t.abort();
        assertThatThrownBy(t::await).isInstanceOf(TaskCancelledException.class)
                .hasMessage("task sleeper was cancelled")
                .satisfies(e -> assertThat(e.getSuppressed()).containsExactly(bodySaw.get()));
        assertThat(bodySaw.get()).isInstanceOf(InterruptedException.class);
        assertThat(t.runState()).isEqualTo(BlockingTask.ENDED);

        // The same (only) thread runs the next body, without the interrupt.
        BlockingTask<Boolean> next = BlockingTask.spawn(pool, null, () -> Thread.currentThread().isInterrupted(), sink);
        assertThat(next.await()).as("the next body starts interrupted").isFalse();
        assertThat(pool.threads()).isEqualTo(1);
        assertThat(unobserved).as("a cancelled body's exception is no unobserved failure").isEmpty();
    }

    @Test
    void aBodyThatReturnsAValueAlthoughInterruptedKeepsIt() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        BlockingTask<String> t = BlockingTask.spawn(pool, null, () -> {
            started.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Thread.currentThread().isInterrupted() && System.nanoTime() - deadline < 0) {
                Thread.onSpinWait();
            }
            return Thread.currentThread().isInterrupted() ? "opened something" : "never interrupted";
        }, sink);
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
        t.abort();
        assertThat(t.await()).as("the value the body returned after the abort").isEqualTo("opened something");
        assertThat(t.isCancelRequested()).isTrue();
    }

    @Test
    void aFailureIsTheHandlesAndGoesToTheSinkOnlyIfNobodyPolledIt() throws Exception {
        IOException boom = new IOException("boom");
        BlockingTask<String> unpolled = BlockingTask.spawn(pool, "unpolled", () -> {
            throw boom;
        }, sink);
        // the task is seen finished (its state word) a moment before the pool thread reports it: wait for the report
        assertThat(within30s(() -> unpolled.isFinished() && !unobserved.isEmpty())).isTrue();
        assertThat(unobserved).containsExactly(boom);
        assertThatThrownBy(unpolled::await).isInstanceOf(TaskFailedException.class).cause().isSameAs(boom);

        CountDownLatch release = new CountDownLatch(1);
        IOException seen = new IOException("seen");
        BlockingTask<String> polled = BlockingTask.spawn(pool, "polled", () -> {
            release.await();
            throw seen;
        }, sink);
        assertThat(polled.poll(new Context(() -> { })).isReady()).isFalse(); // a waiter: JOIN_INTEREST
        release.countDown();
        assertThatThrownBy(polled::await).isInstanceOf(TaskFailedException.class).cause().isSameAs(seen);
        assertThat(unobserved).as("only the failure nobody had polled").containsExactly(boom);
    }

    @Test
    void manyPlainThreadsAndACompletableFutureAwaitOneHandle() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        BlockingTask<Integer> t = BlockingTask.spawn(pool, null, () -> {
            release.await();
            return 42;
        }, sink);
        CompletableFuture<Integer> cf = t.toCompletableFuture();
        List<Thread> waiters = new ArrayList<>();
        List<Object> got = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 4; i++) {
            Thread w = new Thread(() -> got.add(t.await()));
            w.start();
            waiters.add(w);
        }
        assertThat(t.isFinished()).isFalse();
        release.countDown();
        for (Thread w : waiters) {
            w.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertThat(got).containsExactly(42, 42, 42, 42);
        assertThat(cf.get(30, TimeUnit.SECONDS)).isEqualTo(42);
    }

    @Test
    void cancellingTheCompletableFutureAbortsTheBody() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        BlockingTask<String> t = BlockingTask.spawn(pool, null, () -> {
            started.countDown();
            new CountDownLatch(1).await();
            return "never";
        }, sink);
        CompletableFuture<String> cf = t.toCompletableFuture();
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
        cf.cancel(false);
        assertThatThrownBy(t::await).isInstanceOf(TaskCancelledException.class);
        assertThat(t.runState()).isEqualTo(BlockingTask.ENDED);
    }

    @Test
    void namesInMessages() {
        BlockingTask<Integer> unnamed = BlockingTask.unqueued(null, () -> 1, sink);
        BlockingTask<Integer> named = BlockingTask.unqueued("fetch", () -> 1, sink);
        assertThat(unnamed.toString()).matches("blocking#\\d+");
        assertThat(named.toString()).isEqualTo("fetch");
        assertThatThrownBy(() -> BlockingTask.unqueued(null, null, sink)).isInstanceOf(NullPointerException.class)
                .hasMessage("blocking task body");
    }

    @Test
    void runningATaskTwiceIsRefusedWithItsRunState() {
        BlockingTask<Integer> t = BlockingTask.unqueued("twice", () -> 1, sink);
        t.run();
        assertThatThrownBy(t::run).isInstanceOf(IllegalStateException.class)
                .hasMessage("blocking task twice run twice (run state " + BlockingTask.ENDED + ")");
    }
}
