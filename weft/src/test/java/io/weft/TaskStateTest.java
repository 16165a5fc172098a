package io.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The task state word as seen through polls, wakes and aborts; the tests
 * that read no LocalExecutor counter on the other executor kinds too.
 */
class TaskStateTest {

    @Test
    void wakeDuringPollMakesExactlyOneMorePoll() {
        AtomicInteger polls = new AtomicInteger();
        Future<String> probe = cx -> {
            if (polls.incrementAndGet() == 1) {
                for (int i = 0; i < 10; i++) {
                    cx.waker().wake();
                }
                return Poll.pending();
            }
            return Poll.ready("done");
        };
        try (var ex = LocalExecutor.create()) {
            assertThat(ex.run(probe)).isEqualTo("done");
            assertThat(polls).hasValue(2);
            assertThat(ex.stats().polls()).isEqualTo(2);
            assertThat(ex.stats().remoteWakes()).isZero();
        }
    }

    @Test
    void wakeDuringPollOfSpawnedTaskMakesExactlyOneMorePoll() {
        AtomicInteger polls = new AtomicInteger();
        Future<Integer> probe = cx -> {
            int n = polls.incrementAndGet();
            if (n < 3) {
                cx.waker().wake();
                cx.waker().wake();
                return Poll.pending();
            }
            return Poll.ready(n);
        };
        try (var ex = LocalExecutor.create()) {
            int r = ex.run(() -> Weft.spawn(probe).await());
            assertThat(r).isEqualTo(3);
            assertThat(polls).hasValue(3);
        }
    }

    @Test
    void wakeAfterCompletionIsANoOp() throws Exception {
        var probe = new Probes.Ready<>("v");
        try (var ex = LocalExecutor.create()) {
            assertThat(ex.run(probe)).isEqualTo("v");
            long polls = ex.stats().polls();
            assertThat(polls).isEqualTo(1);
            Waker w = probe.waker;

            // From the thread that ran the executor, now outside run().
            assertThatCode(() -> {
                for (int i = 0; i < 5; i++) {
                    w.wake();
                }
            }).doesNotThrowAnyException();
            // From a foreign thread.
            AtomicReference<Throwable> err = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    for (int i = 0; i < 5; i++) {
                        w.wake();
                    }
                } catch (Throwable e) {
                    err.set(e);
                }
            });
            t.start();
            t.join();
            assertThat(err.get()).isNull();

            // A later run drains the remote queue: nothing must have been queued.
            assertThat(ex.run(() -> "again")).isEqualTo("again");
            assertThat(probe.polls).hasValue(1);
            assertThat(ex.stats().remoteWakes()).isZero();
            assertThat(ex.stats().polls()).isEqualTo(polls + 1); // only the second root
        }
    }

    @Test
    void wakeOfCompletedTaskInsideTheExecutorDoesNotPollItAgain() {
        var probe = new Probes.Ready<>(7);
        try (var ex = LocalExecutor.create()) {
            long[] delta = new long[1];
            int v = ex.run(() -> {
                var h = Weft.spawn(probe);
                int r = h.await();
                Weft.yieldNow().await(); // start a fresh turn
                long before = Weft.current().stats().polls();
                for (int i = 0; i < 5; i++) {
                    probe.waker.wake();
                }
                Weft.yieldNow().await();
                delta[0] = Weft.current().stats().polls() - before;
                return r;
            });
            assertThat(v).isEqualTo(7);
            assertThat(probe.polls).hasValue(1);
            assertThat(delta[0]).as("only the root's own re-poll after yieldNow").isEqualTo(1);
        }
    }

    @EveryKind
    void abortOfFinishedTaskChangesNothing(ExecutorKind kind) {
        try (var ex = kind.open()) {
            int r = ex.run(() -> {
                var h = Weft.spawn(() -> 42);
                assertThat(h.await()).isEqualTo(42);
                assertThat(h.isFinished()).isTrue();
                h.abort();
                h.abort();
                assertThat(h.isFinished()).isTrue();
                return h.await();
            });
            assertThat(r).isEqualTo(42);
        }
    }

    @Test
    void abortOfFinishedTaskFromForeignThreadChangesNothing() throws Exception {
        try (var ex = LocalExecutor.create()) {
            JoinHandle<Integer> h = ex.run(() -> {
                var t = Weft.spawn(() -> 5);
                t.await();
                return t;
            });
            Thread th = new Thread(h::abort);
            th.start();
            th.join();
            assertThat(h.isFinished()).isTrue();
            assertThat(h.await()).isEqualTo(5); // block_on from the test thread
            assertThat(ex.run(() -> h.await())).isEqualTo(5);
            assertThat(ex.stats().remoteWakes()).isZero();
        }
    }

    @SameThreadKinds // the handle is published to the task after its spawn
    void abortDuringThePollThatReturnsTheValueKeepsTheValue(ExecutorKind kind) {
        try (var ex = kind.open()) {
            AtomicReference<JoinHandle<Integer>> self = new AtomicReference<>();
            AtomicInteger polls = new AtomicInteger();
            Future<Integer> f = cx -> {
                polls.incrementAndGet();
                self.get().abort(); // aborted during its own poll, which then returns the value
                return Poll.ready(1);
            };
            Object outcome = ex.run(() -> {
                var h = Weft.spawn(f);
                self.set(h);
                try {
                    return h.await();
                } catch (TaskCancelledException e) {
                    return e;
                }
            });
            assertThat(outcome).as("the value the poll returned (it may hold a lock), not a cancellation")
                    .isEqualTo(1);
            assertThat(polls).hasValue(1);
        }
    }

    /**
     * Aborted during its own poll, which then throws a failure of its own
     * (not the cancellation of an await): the failure is the task's output,
     * as a value would be (tokio reports such a panic too). It used to
     * become a cancellation, and a TaskScope, which does not report
     * cancelled children, lost it.
     */
    @SameThreadKinds // the handle is published to the task after its spawn
    void abortDuringThePollThatThrowsAFailureOfItsOwnKeepsTheFailure(ExecutorKind kind) {
        try (var ex = kind.open()) {
            AtomicReference<JoinHandle<Integer>> self = new AtomicReference<>();
            IllegalStateException x = new IllegalStateException("its own failure");
            Future<Integer> f = cx -> {
                self.get().abort(); // aborted during its own poll, which then throws
                throw x;
            };
            Object outcome = ex.run(() -> {
                var h = Weft.spawn(f);
                self.set(h);
                return outcomeOf(h);
            });
            assertThat(outcome).isInstanceOf(TaskFailedException.class);
            assertThat(((Throwable) outcome).getCause()).isSameAs(x);
        }
    }

    /** The same in a coroutine task whose await threw the cancellation: cancelled, what it threw kept. */
    @EveryKind
    void abortDuringThePollWhoseAwaitThrowsTheCancellationIsACancellation(ExecutorKind kind) {
        try (var ex = kind.open()) {
            AtomicReference<JoinHandle<Integer>> self = new AtomicReference<>();
            Object outcome = ex.run(() -> {
                var h = Weft.spawn(() -> {
                    while (self.get() == null) {
                        Weft.yieldNow().await();
                    }
                    self.get().abort();
                    Weft.yieldNow().await(); // throws TaskCancelledException
                    return 1;
                });
                self.set(h);
                return outcomeOf(h);
            });
            assertThat(outcome).isInstanceOf(TaskCancelledException.class);
        }
    }

    /**
     * A finally that throws while an await's cancellation unwinds: the task
     * is cancelled (its finally's throw kept with it), whether the abort came
     * while it was suspended or during its poll. Both roads give the same
     * answer; the one during a poll gave a failure.
     */
    @EveryKind
    void aFinallyThatThrowsWhileTheCancellationUnwindsIsACancellationEitherWay(ExecutorKind kind) {
        try (var ex = kind.open()) {
            AtomicReference<JoinHandle<Integer>> self = new AtomicReference<>();
            Object[] outcomes = ex.run(() -> {
                var suspended = Weft.spawn(() -> {
                    try {
                        return new Probes.Never<Integer>().await();
                    } finally {
                        throw new IllegalStateException("cleanup failed");
                    }
                });
                Weft.yieldNow().await();
                suspended.abort();
                var midPoll = Weft.spawn(() -> {
                    while (self.get() == null) {
                        Weft.yieldNow().await();
                    }
                    try {
                        self.get().abort(); // during its own poll
                        return Weft.yieldNow().map(v -> 1).await();
                    } finally {
                        throw new IllegalStateException("cleanup failed");
                    }
                });
                self.set(midPoll);
                return new Object[] {outcomeOf(suspended), outcomeOf(midPoll)};
            });
            assertThat(outcomes[0]).as("aborted while suspended").isInstanceOf(TaskCancelledException.class);
            assertThat(outcomes[1]).as("aborted during its poll").isInstanceOf(TaskCancelledException.class);
        }
    }

    /** A task that awaits its own handle is told so at once (it waited for itself for ever). */
    @EveryKind
    void aTaskThatAwaitsItsOwnHandleIsRefused(ExecutorKind kind) {
        try (var ex = kind.open()) {
            AtomicReference<JoinHandle<Integer>> self = new AtomicReference<>();
            Object outcome = ex.run(() -> {
                var h = Weft.spawn(() -> {
                    while (self.get() == null) {
                        Weft.yieldNow().await();
                    }
                    return self.get().await();
                });
                self.set(h);
                try {
                    return io.weft.time.Timeout.of(java.time.Duration.ofSeconds(5), h.detached()).await();
                } catch (TaskFailedException | io.weft.time.TimedOutException e) {
                    return e;
                }
            });
            assertThat(outcome).isInstanceOf(TaskFailedException.class);
            assertThat(((Throwable) outcome).getCause()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("its own");
        }
    }

    /**
     * A task that catches its cancellation and awaits again, in a loop (a
     * catch (Exception) around an await, a common shape), does not take the
     * executor's thread for ever: each await after the first that threw the
     * cancellation lets the other tasks run first, then throws again. It
     * used to spin on the thread: nothing else ran, and close never returned.
     */
    @EveryKind
    @org.junit.jupiter.api.Timeout(value = 60, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void aTaskThatCatchesItsCancellationInALoopLetsTheOthersRun(ExecutorKind kind) {
        try (var ex = kind.open()) {
            String out = ex.run(() -> {
                java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
                AtomicInteger caught = new AtomicInteger();
                var stubborn = Weft.spawn(() -> {
                    while (!stop.get()) {
                        try {
                            new Probes.Never<Integer>().await();
                        } catch (RuntimeException e) { // takes the TaskCancelledException too
                            caught.incrementAndGet();
                        }
                    }
                    return 0;
                });
                Weft.yieldNow().await();
                stubborn.abort();
                while (caught.get() < 3) {
                    Weft.yieldNow().await(); // runs: the stubborn task lets this one have the thread
                }
                String other = Weft.spawn(() -> "others run").await();
                stop.set(true);
                try {
                    stubborn.await();
                    return "not cancelled";
                } catch (TaskCancelledException e) {
                    return other + ", then it ended cancelled";
                }
            });
            assertThat(out).isEqualTo("others run, then it ended cancelled");
        }
    }

    /** What awaiting {@code h} gives: its value, or the TaskFailedException or TaskCancelledException it throws. */
    static Object outcomeOf(JoinHandle<?> h) {
        try {
            return h.await();
        } catch (TaskFailedException | TaskCancelledException e) {
            return e;
        }
    }
}
