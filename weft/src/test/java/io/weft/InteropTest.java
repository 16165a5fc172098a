package io.weft;

import static io.weft.FuturesTest.thrown;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Futures.fromCompletionStage and Future.toCompletableFuture. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard, not a speed limit
class InteropTest {

    /** Wraps a future: counts its polls and the wakes of the waker it was given. */
    static final class Counted<T> implements Future<T> {
        final Future<T> inner;
        final AtomicInteger polls = new AtomicInteger();
        final AtomicInteger wakes = new AtomicInteger();
        final CountDownLatch firstPending = new CountDownLatch(1);

        Counted(Future<T> inner) {
            this.inner = inner;
        }

        @Override
        public Poll<T> poll(Context cx) {
            polls.incrementAndGet();
            Waker w = cx.waker();
            Poll<T> p = inner.poll(new Context(() -> {
                wakes.incrementAndGet();
                w.wake();
            }));
            if (!p.isReady()) {
                firstPending.countDown();
            }
            return p;
        }
    }

    @Test
    void aStageCompletedByAnotherThreadWakesTheTaskExactlyOnce() throws Exception {
        CompletableFuture<String> cf = new CompletableFuture<>();
        var counted = new Counted<>(Futures.fromCompletionStage(cf));
        Thread completer = new Thread(() -> {
            try {
                if (counted.firstPending.await(30, TimeUnit.SECONDS)) {
                    cf.complete("from afar");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        completer.start();
        try (var ex = LocalExecutor.create()) {
            String v = ex.run(() -> counted.await());
            assertThat(v).isEqualTo("from afar");
            // (whether the wake took the remote road depends on whether the task was still
            // RUNNING when the other thread woke it; either way it must come exactly once)
        }
        completer.join();
        assertThat(counted.wakes.get()).isEqualTo(1);
        assertThat(counted.polls.get()).as("pending once, then ready").isEqualTo(2);
    }

    @Test
    void aStageAlreadyCompleteIsReadyAtOnceWithoutWaking() {
        var counted = new Counted<>(Futures.fromCompletionStage(CompletableFuture.completedFuture(5)));
        try (var ex = LocalExecutor.create()) {
            assertThat(ex.run(() -> counted.await())).isEqualTo(5);
        }
        assertThat(counted.polls.get()).isEqualTo(1);
        assertThat(counted.wakes.get()).isZero();
    }

    @Test
    void aFailedStageThrowsItsUncheckedFailureAsItIsAndWrapsACheckedOne() throws Exception {
        IllegalStateException unchecked = new IllegalStateException("x");
        IOException checked = new IOException("y");
        CompletableFuture<Integer> a = new CompletableFuture<>();
        CompletableFuture<Integer> b = CompletableFuture.failedFuture(checked);
        CountDownLatch started = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            try {
                started.await();
                a.completeExceptionally(unchecked);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        t.start();
        try (var ex = LocalExecutor.create()) {
            ex.run(() -> {
                Future<Integer> fa = Futures.fromCompletionStage(a.thenApply(v -> v + 1)); // fails with a CompletionException
                started.countDown();
                assertThat(thrown(fa::await)).isSameAs(unchecked);
                assertThat(thrown(() -> Futures.fromCompletionStage(b).await()))
                        .isInstanceOf(CompletionException.class).hasCause(checked);
                return null;
            });
        }
        t.join();
    }

    @Test
    void toCompletableFutureOfAJoinHandleCompletesWithTheValueSeenFromAnotherThread() throws Exception {
        AtomicInteger seen = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(1);
        try (var ex = LocalExecutor.create()) {
            CompletableFuture<Integer> cf = ex.run(() -> {
                var gate = new Probes.Gate<Integer>();
                JoinHandle<Integer> h = Weft.spawn(() -> gate.await() * 2);
                CompletableFuture<Integer> c = h.toCompletableFuture();
                Thread waiter = new Thread(() -> {
                    seen.set(c.join());
                    done.countDown();
                });
                waiter.start();
                assertThat(c.isDone()).isFalse();
                gate.open(21);
                h.await();
                assertThat(c.isDone()).as("completed when the task completed").isTrue();
                return c;
            });
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(seen.get()).isEqualTo(42);
            assertThat(cf.get()).isEqualTo(42);
        }
    }

    @Test
    void toCompletableFutureOfAFailedTaskCompletesExceptionallyWithWhatItThrew() {
        RuntimeException boom = new RuntimeException("boom");
        try (var ex = LocalExecutor.create()) {
            CompletableFuture<Integer> cf = ex.run(() -> {
                JoinHandle<Integer> h = Weft.spawn(() -> {
                    throw boom;
                });
                CompletableFuture<Integer> c = h.toCompletableFuture();
                thrown(h::await);
                return c;
            });
            assertThat(cf.isCompletedExceptionally()).isTrue();
            assertThat(thrown(cf::get)).isInstanceOf(ExecutionException.class).hasCause(boom);
        }
    }

    @Test
    void toCompletableFutureOfAnAbortedTaskIsCancelledAndCancellingItAbortsTheTask() {
        try (var ex = LocalExecutor.create()) {
            ex.run(() -> {
                AtomicInteger finallies = new AtomicInteger();
                JoinHandle<Integer> a = FuturesTest.gated(new Probes.Gate<>(), finallies);
                JoinHandle<Integer> b = FuturesTest.gated(new Probes.Gate<>(), finallies);
                CompletableFuture<Integer> ca = a.toCompletableFuture();
                CompletableFuture<Integer> cb = b.toCompletableFuture();
                Weft.yieldNow().await();
                a.abort();
                assertThat(thrown(a::await)).isInstanceOf(TaskCancelledException.class);
                assertThat(ca.isCancelled()).isTrue();
                assertThat(thrown(ca::join)).isInstanceOf(CancellationException.class);

                assertThat(cb.cancel(false)).isTrue();
                assertThat(thrown(b::await)).as("cancelling the CompletableFuture aborted the task")
                        .isInstanceOf(TaskCancelledException.class);
                assertThat(finallies.get()).isEqualTo(2);
                return null;
            });
        }
    }

    @Test
    void codeWrittenForTheJdksFuturesCatchesATasksCancellation() {
        try (var ex = LocalExecutor.create()) {
            ex.run(() -> {
                JoinHandle<Integer> h = FuturesTest.gated(new Probes.Gate<>(), new AtomicInteger());
                AtomicReference<Throwable> inside = new AtomicReference<>();
                JoinHandle<Integer> self = Weft.spawn(() -> {
                    try {
                        return new Probes.Gate<Integer>().await();
                    } catch (CancellationException e) { // as around a CompletableFuture.join()
                        inside.set(e);
                        throw e;
                    }
                });
                Weft.yieldNow().await();
                h.abort();
                self.abort();
                CancellationException caught = null;
                try {
                    h.await();
                } catch (CancellationException e) {
                    caught = e;
                }
                assertThat(caught).isInstanceOf(TaskCancelledException.class).hasMessageContaining("was cancelled");
                assertThat(thrown(self::await)).isInstanceOf(TaskCancelledException.class);
                assertThat(inside.get()).as("an aborted task's own await").isInstanceOf(TaskCancelledException.class);
                CompletableFuture<Integer> cf = h.toCompletableFuture();
                assertThat(cf.isCancelled()).isTrue();
                assertThat(cf.handle((v, e) -> e).join()).as("completed with the handle's exception, not a copy")
                        .isInstanceOf(TaskCancelledException.class);
                assertThat(thrown(cf::join)).isInstanceOf(CancellationException.class);
                return null;
            });
        }
    }

    @Test
    void toCompletableFutureOfAPlainFutureRunsItAsATaskAndNeedsOne() {
        try (var ex = LocalExecutor.create()) {
            int v = ex.run(() -> {
                CompletableFuture<Integer> c = Futures.ready(5).map(x -> x + 1).toCompletableFuture();
                return Futures.fromCompletionStage(c).await();
            });
            assertThat(v).isEqualTo(6);
        }
        assertThat(thrown(() -> Futures.ready(1).toCompletableFuture()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("toCompletableFuture");
    }
}
