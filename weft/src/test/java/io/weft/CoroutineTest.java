package io.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Coroutine tasks: await, abort, nesting, scale, pinned continuations; on
 * every executor kind (the tests that order tasks by yields on the kinds
 * where they share a thread; a million suspended tasks on a LocalExecutor).
 */
class CoroutineTest {

    static final class Resource implements AutoCloseable {
        final AtomicInteger closed;

        Resource(AtomicInteger closed) {
            this.closed = closed;
        }

        @Override
        public void close() {
            closed.incrementAndGet();
        }
    }

    /**
     * An await inside a future's poll (here a map function) would suspend
     * the task in the middle of that poll, which a re-poll from the executor
     * cannot do: it is refused alike whether the poll is the body's own
     * first one or a later one, ready or not, and the task goes on.
     */
    @EveryKind
    void anAwaitInsideAMapFunctionIsRefusedAtEveryPoll(ExecutorKind kind) {
        try (var ex = kind.open()) {
            List<String> seen = ex.run(() -> Weft.spawn(() -> {
                List<String> s = new ArrayList<>();
                List<Future<Integer>> cases = List.of(
                        Futures.ready(1).map(v -> Futures.ready(2).await()), // first poll, ready
                        Futures.ready(1).map(v -> Weft.yieldNow().map(u -> 2).await()), // first poll, pending
                        Weft.yieldNow().map(v -> Futures.ready(2).await()), // re-poll, ready
                        Weft.yieldNow().map(v -> Weft.yieldNow().map(u -> 2).await())); // re-poll, pending
                for (Future<Integer> f : cases) {
                    try {
                        s.add("returned " + f.await());
                    } catch (IllegalStateException e) {
                        s.add(e.getMessage().contains("inside a future's poll") ? "refused" : e.getMessage());
                    }
                }
                s.add("goes on " + Weft.yieldNow().map(v -> 3).await());
                return s;
            }).await());
            assertThat(seen).containsExactly("refused", "refused", "refused", "refused", "goes on 3");
        }
    }

    /**
     * Weft.yieldIfNeeded, the call to sprinkle in CPU-bound loops, does
     * nothing where the task cannot suspend (inside a future's poll, a map
     * function): it threw there whenever the slice happened to be over.
     */
    @org.junit.jupiter.api.Test
    void yieldIfNeededInsideAPollDoesNothing() {
        try (var ex = LocalExecutor.builder().preemptTimer(java.time.Duration.ofMillis(1)).build()) {
            int got = ex.run(() -> Weft.spawn(() -> Futures.ready(1).map(v -> {
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (!Weft.needPreempt() && System.nanoTime() < deadline) {
                    Thread.onSpinWait(); // until the slice is over
                }
                assertThat(Weft.needPreempt()).as("the slice is over").isTrue();
                Weft.yieldIfNeeded();
                return v;
            }).await()).await());
            assertThat(got).isEqualTo(1);
        }
    }

    @SameThreadKinds
    void abortOfSuspendedCoroutineThrowsFromItsPendingAwait(ExecutorKind kind) {
        AtomicInteger closed = new AtomicInteger();
        AtomicInteger finallies = new AtomicInteger();
        AtomicReference<Throwable> fromAwait = new AtomicReference<>();
        AtomicBoolean afterAwait = new AtomicBoolean();
        var never = new Probes.Never<String>();
        try (var ex = kind.open()) {
            Throwable joined = ex.run(() -> {
                var h = Weft.spawn(() -> {
                    try (var r = new Resource(closed)) {
                        try {
                            never.await();
                            afterAwait.set(true);
                        } catch (Throwable t) {
                            fromAwait.set(t);
                            throw t;
                        }
                    } finally {
                        finallies.incrementAndGet();
                    }
                });
                Weft.yieldNow().await(); // h suspends in never.await()
                assertThat(never.polls).hasValue(1);
                h.abort();
                try {
                    h.await();
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            assertThat(joined).isInstanceOf(TaskCancelledException.class);
            assertThat(fromAwait.get()).isInstanceOf(TaskCancelledException.class);
            assertThat(afterAwait).isFalse();
            assertThat(closed).hasValue(1);
            assertThat(finallies).hasValue(1);
            assertThat(never.polls).as("a cancelled await does not poll its future again").hasValue(1);
        }
    }

    @SameThreadKinds
    void abortFromAForeignThreadResumesTheCoroutineWithCancellation(ExecutorKind kind) throws Exception {
        AtomicInteger finallies = new AtomicInteger();
        var gate = new Probes.Gate<Void>();
        try (var ex = kind.open()) {
            Throwable t = ex.run(() -> {
                var h = Weft.spawn(() -> {
                    try {
                        gate.await();
                    } finally {
                        finallies.incrementAndGet();
                    }
                });
                Weft.yieldNow().await();
                Thread aborter = new Thread(h::abort);
                aborter.start();
                try {
                    h.await();
                    return null;
                } catch (Throwable e) {
                    return e;
                } finally {
                    aborter.join();
                }
            });
            assertThat(t).isInstanceOf(TaskCancelledException.class);
            assertThat(finallies).hasValue(1);
        }
    }

    @SameThreadKinds
    void taskThatIgnoresCancellationIsStillCancelled(ExecutorKind kind) {
        List<String> log = new ArrayList<>();
        try (var ex = kind.open()) {
            Throwable t = ex.run(() -> {
                var ready = new Probes.Ready<>("ready");
                var h = Weft.spawn(() -> {
                    try {
                        new Probes.Never<Void>().await();
                    } catch (TaskCancelledException ignored) {
                        log.add("ignored");
                    }
                    for (int i = 0; i < 3; i++) {
                        try {
                            ready.await(); // even a ready future throws once aborted
                            log.add("await returned");
                        } catch (TaskCancelledException again) {
                            log.add("again");
                        }
                    }
                    try {
                        Weft.yieldNow().await();
                        log.add("yield returned");
                    } catch (TaskCancelledException again) {
                        log.add("yield again");
                    }
                    return "swallowed";
                });
                Weft.yieldNow().await();
                h.abort();
                try {
                    return h.await() == null ? null : new AssertionError("handle returned a value");
                } catch (Throwable e) {
                    return e;
                }
            });
            assertThat(t).isInstanceOf(TaskCancelledException.class);
            assertThat(log).containsExactly("ignored", "again", "again", "again", "yield again");
        }
    }

    @SameThreadKinds
    void taskAbortedBeforeItStartedNeverRunsItsBody(ExecutorKind kind) {
        AtomicInteger ran = new AtomicInteger();
        try (var ex = kind.open()) {
            Throwable t = ex.run(() -> {
                var h = Weft.spawn(() -> {
                    ran.incrementAndGet();
                    return 1;
                });
                h.abort();
                assertThat(h.isFinished()).isFalse(); // cancellation runs on the loop
                try {
                    h.await();
                    return null;
                } catch (Throwable e) {
                    return e;
                }
            });
            assertThat(t).isInstanceOf(TaskCancelledException.class);
            assertThat(ran).hasValue(0);
            assertThat(ex.liveTasks()).isZero();
        }
    }

    @EveryKind
    void selfAbortMakesTheNextAwaitThrow(ExecutorKind kind) {
        try (var ex = kind.open()) {
            AtomicReference<JoinHandle<String>> self = new AtomicReference<>();
            List<String> log = new ArrayList<>();
            Throwable t = ex.run(() -> {
                var h = Weft.spawn(() -> {
                    Weft.yieldNow().await();
                    self.get().abort();
                    log.add("after abort");
                    try {
                        Weft.yieldNow().await();
                    } finally {
                        log.add("finally");
                    }
                    return "unreachable";
                });
                self.set(h);
                try {
                    h.await();
                    return null;
                } catch (Throwable e) {
                    return e;
                }
            });
            assertThat(t).isInstanceOf(TaskCancelledException.class);
            assertThat(log).containsExactly("after abort", "finally");
        }
    }

    static int nest(int depth) {
        if (depth == 0) {
            return 0;
        }
        return Weft.spawn(() -> nest(depth - 1) + 1).await();
    }

    @EveryKind
    void nestedSpawnsToDepth1000ReturnCorrectValues(ExecutorKind kind) {
        try (var ex = kind.open()) {
            assertThat(ex.run(() -> nest(1000))).isEqualTo(1000);
            assertThat(ex.liveTasks()).isZero();
        }
    }

    @Test // on a LocalExecutor only: a million tasks on every kind would be most of the suite's time
    void aMillionSuspendedCoroutineTasksFitAndAllComplete() {
        final int n = 1_000_000;
        var gate = new Probes.Gate<Integer>();
        AtomicInteger started = new AtomicInteger();
        try (var ex = LocalExecutor.create()) {
            long sum = ex.run(() -> {
                List<JoinHandle<Integer>> hs = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    hs.add(Weft.spawn(() -> {
                        started.incrementAndGet();
                        return gate.await();
                    }));
                }
                Weft.yieldNow().await(); // every task runs once and suspends on the gate
                assertThat(started).hasValue(n);
                assertThat(gate.waiting()).isEqualTo(n);
                assertThat(Weft.current().liveTasks()).isEqualTo(n + 1);
                gate.open(1);
                long s = 0;
                for (var h : hs) {
                    s += h.await();
                }
                return s;
            });
            assertThat(sum).isEqualTo(n);
            assertThat(ex.liveTasks()).isZero();
        }
    }

    /** A pending future awaited by {@link AwaitsInStaticInitializer}'s static initializer. */
    static volatile Future<Integer> pendingForClinit;

    static final class AwaitsInStaticInitializer {
        static final int VALUE = pendingForClinit.await();

        static int value() {
            return VALUE;
        }
    }

    static volatile Future<io.weft.sync.Semaphore.Permit> lockForClinit;

    static final class LocksInStaticInitializer {
        static final io.weft.sync.Semaphore.Permit PERMIT = lockForClinit.await();

        static int value() {
            return PERMIT == null ? 0 : 1;
        }
    }

    /**
     * An await refused because the task cannot suspend there (a class
     * initializer) gives up what it awaited first: a lock it queued for goes
     * to the next waiter. It used to stay queued as a dead waiter, which the
     * lock was then handed to, and every later lock waited for ever.
     */
    @Test // once per JVM: a class is initialized once
    void anAwaitRefusedInAStaticInitializerLeavesNoWaiterBehind() {
        try (var ex = LocalExecutor.create()) {
            boolean lockedAfter = ex.run(() -> {
                io.weft.sync.Semaphore lock = io.weft.sync.Semaphore.create(1);
                var held = lock.acquire().await();
                lockForClinit = lock.acquire();
                var h = Weft.spawn((Callable<Integer>) LocksInStaticInitializer::value);
                Throwable t = null;
                try {
                    h.await();
                } catch (Throwable e) {
                    t = e;
                }
                assertThat(t).isInstanceOf(TaskFailedException.class);
                held.close();
                try (var again = io.weft.time.Timeout.of(java.time.Duration.ofSeconds(2), lock.acquire()).await()) {
                    return again != null;
                }
            });
            assertThat(lockedAfter).as("the lock, free again after the refused await").isTrue();
        }
    }

    @Test // once per JVM: a class is initialized once
    void awaitInsideAStaticInitializerFailsWithAClearMessage() {
        pendingForClinit = new Probes.Never<>();
        try (var ex = LocalExecutor.create()) {
            Throwable t = ex.run(() -> {
                var h = Weft.spawn((Callable<Integer>) AwaitsInStaticInitializer::value);
                try {
                    h.await();
                    return null;
                } catch (Throwable e) {
                    return e;
                }
            });
            assertThat(t).isInstanceOf(TaskFailedException.class);
            Throwable ise = null;
            for (Throwable c = t; c != null; c = c.getCause()) {
                if (c instanceof IllegalStateException) {
                    ise = c;
                    break;
                }
            }
            assertThat(ise).as("cause chain of %s", t).isNotNull();
            assertThat(ise).hasMessageContaining("native frame");
        }
    }

    @EveryKind
    void awaitOnTheExecutorThreadOutsideACoroutineThrows(ExecutorKind kind) {
        var ready = new Probes.Ready<>(1);
        AtomicReference<Throwable> inPoll = new AtomicReference<>();
        try (var ex = kind.open()) {
            String r = ex.run(() -> Weft.spawn((Future<String>) cx -> {
                try {
                    ready.await();
                    return Poll.ready("awaited");
                } catch (Throwable t) {
                    inPoll.set(t);
                    return Poll.ready("refused");
                }
            }).await());
            assertThat(r).isEqualTo("refused");
            assertThat(inPoll.get()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("outside a coroutine");
            assertThat(ready.polls).hasValue(0);

            // uncaught, it fails the task
            assertThatThrownBy(() -> ex.run((Future<Integer>) cx -> Poll.ready(ready.await())))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void awaitOutsideAnyExecutorBlocksTheThreadUntilReady() throws Exception {
        var gate = new Probes.Gate<String>();
        Thread opener = new Thread(() -> {
            while (gate.waiting() == 0) {
                Thread.onSpinWait();
            }
            gate.open("unblocked");
        });
        opener.start();
        assertThat(gate.await()).isEqualTo("unblocked");
        opener.join();
        assertThat(gate.polls).hasValue(2);
    }

    @EveryKind
    void mapAndThenComposeInsideATask(ExecutorKind kind) {
        try (var ex = kind.open()) {
            int r = ex.run(() -> {
                Future<Integer> f = Weft.spawn(() -> 20).map(x -> x + 1).then(x -> Weft.spawn(() -> x * 2));
                return f.await();
            });
            assertThat(r).isEqualTo(42);
        }
    }

    /** Pending (waking its task) for {@code pending} polls, then what {@code last} gives: each poll is counted. */
    static final class PendingThen<T> implements Future<T> {
        final AtomicInteger polls = new AtomicInteger();
        private final int pending;
        private final Callable<T> last;

        PendingThen(int pending, Callable<T> last) {
            this.pending = pending;
            this.last = last;
        }

        @Override
        public Poll<T> poll(Context cx) {
            if (polls.incrementAndGet() <= pending) {
                cx.waker().wake();
                return Poll.pending();
            }
            try {
                return Poll.ready(last.call());
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @EveryKind
    void aFuturePolledAgainAfterWakesGivesItsValueAndItsFailureToTheAwait(ExecutorKind kind) {
        try (var ex = kind.open()) {
            List<String> seen = ex.run(() -> {
                List<String> out = new ArrayList<>();
                PendingThen<String> value = new PendingThen<>(3, () -> "v");
                out.add(value.await() + " after " + value.polls.get() + " polls");
                PendingThen<String> failing = new PendingThen<>(2, () -> {
                    throw new IllegalStateException("boom");
                });
                try {
                    failing.await();
                    out.add("no failure");
                } catch (IllegalStateException e) {
                    out.add("caught " + e.getMessage() + " after " + failing.polls.get() + " polls");
                }
                return out;
            });
            assertThat(seen).containsExactly("v after 4 polls", "caught boom after 3 polls");
        }
    }
}
