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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * RwLock: sharing, exclusion and FIFO order inside one executor for both
 * families; aborts and cross-thread use on the shared one; the local one
 * refusing other threads. Events are ordered by yields and flags, never by
 * sleeping. Run on the kinds of {@link Kinds}: FIFO order and aborts of
 * queued tasks where the children share their parent's thread, the rest
 * (exclusion, maxReaders, random aborts, plain threads) on every kind.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RwLockTest {

    static <T> RwLock<T> rw(boolean local, T value) {
        return local ? RwLock.local(value) : RwLock.create(value);
    }

    /** A task that takes the read lock, records "name in", waits for {@code release}, records "name out". */
    static JoinHandle<Void> reader(RwLock<?> lock, String name, List<String> events, AtomicBoolean release) {
        return Weft.spawn(() -> {
            try (var g = lock.read().await()) {
                g.get();
                events.add(name + " in");
                while (!release.get()) {
                    Weft.yieldNow().await();
                }
                events.add(name + " out");
            }
        });
    }

    /** As {@link #reader}, with the write lock. */
    static JoinHandle<Void> writer(RwLock<?> lock, String name, List<String> events, AtomicBoolean release) {
        return Weft.spawn(() -> {
            try (var g = lock.write().await()) {
                g.get();
                events.add(name + " in");
                while (!release.get()) {
                    Weft.yieldNow().await();
                }
                events.add(name + " out");
            }
        });
    }

    @Kinds.Every
    void readersShareAWriterExcludesAndGuardsCloseOnce(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            var lock = rw(local, "a");
            assertThat(lock.isLocal()).isEqualTo(local);
            var r1 = lock.tryRead();
            var r2 = lock.tryRead();
            assertThat(r1).isNotNull();
            assertThat(r2).as("readers share").isNotNull();
            assertThat(r2.get()).isEqualTo("a");
            assertThat(lock.tryWrite()).as("readers exclude a writer").isNull();
            r1.close();
            assertThat(lock.tryWrite()).as("one reader left").isNull();
            r2.close();
            r2.close(); // once only: must not give a second permit back
            assertThatThrownBy(r2::get).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("used after close");

            var w = lock.tryWrite();
            assertThat(w).isNotNull();
            assertThat(lock.tryWrite()).as("a writer excludes a writer").isNull();
            assertThat(lock.tryRead()).as("a writer excludes readers").isNull();
            w.set(w.get() + "b");
            w.close();
            w.close();
            assertThatThrownBy(w::get).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> w.set("x")).isInstanceOf(IllegalStateException.class);

            try (var r = lock.tryRead()) {
                assertThat(r.get()).isEqualTo("ab");
            }
            try (var again = lock.tryWrite()) {
                assertThat(again).as("the double closes gave back exactly what was taken").isNotNull();
                assertThat(lock.tryRead()).isNull();
            }
            return null;
        });
    }

    /** SameThread: W must be queued (settled) before tryRead and R1 try to pass it. */
    @Kinds.SameThread
    void aWaitingWriterHoldsBackLaterReaders(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            var lock = rw(local, 0);
            List<String> events = new ArrayList<>();
            AtomicBoolean release = new AtomicBoolean();
            var r0 = lock.tryRead();
            var w = writer(lock, "W", events, release);
            settle();
            assertThat(events).as("a reader holds the lock").isEmpty();
            assertThat(lock.tryRead()).as("tryRead does not pass the waiting writer").isNull();
            var r1 = reader(lock, "R1", events, release);
            settle();
            assertThat(events).as("R1 queues behind W although only readers hold the lock").isEmpty();
            release.set(true);
            r0.close();
            yieldUntil(() -> r1.isFinished());
            assertThat(w.isFinished()).isTrue();
            assertThat(events).containsExactly("W in", "W out", "R1 in", "R1 out");
            return null;
        });
    }

    /** SameThread: the readers and writers queue in the order they were spawned, one yield apart. */
    @Kinds.SameThread
    void readersQueuedBehindAWriterAreAdmittedTogetherUpToTheNextWriter(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            var lock = rw(local, 0);
            List<String> events = new ArrayList<>();
            AtomicBoolean releaseBatch = new AtomicBoolean();
            AtomicBoolean releaseRest = new AtomicBoolean();
            var w0 = lock.tryWrite();
            List<JoinHandle<Void>> tasks = new ArrayList<>();
            for (String name : List.of("R1", "R2", "R3")) {
                tasks.add(reader(lock, name, events, releaseBatch));
                settle(); // queued in this order
            }
            tasks.add(writer(lock, "W2", events, releaseRest));
            settle();
            tasks.add(reader(lock, "R4", events, releaseRest));
            settle();
            assertThat(events).isEmpty();

            w0.close(); // one release admits the three readers at the head, not W2, not R4 behind W2
            yieldUntil(() -> events.size() == 3);
            settle();
            // admitted by one release; the order they then run in is the executor's (a StealingExecutor's LIFO
            // slot runs the last woken first)
            assertThat(events).containsExactlyInAnyOrder("R1 in", "R2 in", "R3 in");
            assertThat(lock.tryRead()).as("W2 waits: no reader may pass it").isNull();

            releaseRest.set(true); // W2 and R4 would leave at once if they were in
            releaseBatch.set(true);
            for (var t : tasks) {
                t.await();
            }
            assertThat(events).hasSize(10);
            assertThat(events.subList(0, 3)).containsExactlyInAnyOrder("R1 in", "R2 in", "R3 in");
            assertThat(events.subList(3, 6)).containsExactlyInAnyOrder("R1 out", "R2 out", "R3 out");
            assertThat(events.subList(6, 10)).containsExactly("W2 in", "W2 out", "R4 in", "R4 out");
            return null;
        });
    }

    @Kinds.Every
    void maxReadersLimitsTheReadersInsideAndAWriterTakesThemAll(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            var lock = local ? RwLock.local(0, 2) : RwLock.create(0, 2);
            assertThat(lock.maxReaders()).isEqualTo(2);
            List<String> events = new CopyOnWriteArrayList<>(); // R3 may run on another worker
            AtomicBoolean release = new AtomicBoolean(true);
            var r1 = lock.tryRead();
            var r2 = lock.tryRead();
            assertThat(lock.tryRead()).as("two readers at most").isNull();
            var r3 = reader(lock, "R3", events, release);
            settle();
            assertThat(events).isEmpty();
            r1.close();
            yieldUntil(r3::isFinished);
            assertThat(events).containsExactly("R3 in", "R3 out");
            assertThat(lock.tryWrite()).as("r2 is still inside").isNull();
            r2.close();
            assertThat(lock.tryWrite()).isNotNull();
            return null;
        });
    }

    @Test
    void maxReadersMustBePositive() {
        assertThatThrownBy(() -> RwLock.create(0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxReaders");
        assertThat(RwLock.create(0).maxReaders()).isEqualTo(RwLock.MAX_READERS);
    }

    /** SameThread: W queues before R1, and is aborted after it was handed the lock and before it runs again. */
    @Kinds.SameThread
    void abortedWriterThatWasHandedTheLockPassesItToTheReadersBehind(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            var lock = rw(local, 0);
            List<String> events = new ArrayList<>();
            AtomicBoolean release = new AtomicBoolean(true);
            var r0 = lock.tryRead();
            var w = writer(lock, "W", events, release);
            settle();
            var r1 = reader(lock, "R1", events, release);
            settle();
            r0.close(); // the lock is moved to W and W is woken, but has not run
            assertThat(lock.tryRead()).as("the lock is W's now").isNull();
            w.abort();
            assertThatThrownBy(w::await).isInstanceOf(TaskCancelledException.class);
            yieldUntil(r1::isFinished);
            assertThat(events).containsExactly("R1 in", "R1 out");
            try (var again = lock.tryWrite()) {
                assertThat(again).as("nothing held, nothing lost").isNotNull();
            }
            return null;
        });
    }

    /** SameThread: W queues before R1 (else R1 would share with r0 at once, with nothing to test). */
    @Kinds.SameThread
    void abortedWriterAtTheHeadLetsTheReadersBehindItJoinTheReadersInside(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            var lock = rw(local, 0);
            List<String> events = new ArrayList<>();
            AtomicBoolean release = new AtomicBoolean();
            var r0 = lock.tryRead();
            var w = writer(lock, "W", events, release);
            settle();
            var r1 = reader(lock, "R1", events, release);
            settle();
            assertThat(events).isEmpty();
            w.abort(); // queued, never handed the lock
            assertThatThrownBy(w::await).isInstanceOf(TaskCancelledException.class);
            yieldUntil(() -> events.size() == 1);
            assertThat(events).as("R1 shares with r0, which still holds").containsExactly("R1 in");
            release.set(true);
            yieldUntil(r1::isFinished);
            r0.close();
            assertThat(lock.tryWrite()).isNotNull();
            return null;
        });
    }

    @Kinds.Every
    void guardsHeldAcrossAwaitsByAThousandTasks(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            var lock = rw(local, 0);
            AtomicInteger readersIn = new AtomicInteger();
            AtomicInteger writersIn = new AtomicInteger();
            AtomicInteger maxReadersIn = new AtomicInteger();
            AtomicInteger violations = new AtomicInteger();
            AtomicInteger writes = new AtomicInteger();
            List<JoinHandle<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                boolean isWriter = i % 10 == 0;
                tasks.add(Weft.spawn(() -> {
                    for (int k = 0; k < 5; k++) {
                        if (isWriter) {
                            try (var g = lock.write().await()) {
                                if (writersIn.incrementAndGet() != 1 || readersIn.get() != 0) {
                                    violations.incrementAndGet();
                                }
                                int v = g.get();
                                Weft.yieldNow().await(); // everybody else runs and queues meanwhile
                                g.set(v + 1);
                                writes.incrementAndGet();
                                writersIn.decrementAndGet();
                            }
                        } else {
                            try (var g = lock.read().await()) {
                                maxReadersIn.accumulateAndGet(readersIn.incrementAndGet(), Math::max);
                                if (writersIn.get() != 0) {
                                    violations.incrementAndGet();
                                }
                                int v = g.get();
                                Weft.yieldNow().await();
                                if (g.get() != v) {
                                    violations.incrementAndGet();
                                }
                                readersIn.decrementAndGet();
                            }
                        }
                    }
                }));
            }
            for (var t : tasks) {
                t.await();
            }
            assertThat(violations).hasValue(0);
            assertThat(maxReadersIn.get()).as("readers did share").isGreaterThan(1);
            try (var g = lock.tryWrite()) {
                assertThat(g.get()).isEqualTo(writes.get()).isEqualTo(500);
            }
            return null;
        });
    }

    /** A pair of plain fields that writers keep equal: a torn or stale view shows them apart. */
    static final class Pair {
        long a;
        long b;
    }

    @Kinds.Shared
    void plainThreadsAndTwoExecutorsShareALockAndEveryReaderSeesAConsistentPair(ExecutorKind kind) throws Exception {
        final int taskWriters = 5;
        final int taskReaders = 20;
        final int threadWrites = 2_000;
        final int perTask = 200;
        RwLock<Pair> lock = RwLock.create(new Pair());
        AtomicInteger torn = new AtomicInteger();
        AtomicLong reads = new AtomicLong();
        Runnable checkOnce = () -> {
            try (var g = lock.read().await()) {
                Pair p = g.get();
                if (p.a != p.b) {
                    torn.incrementAndGet();
                }
                reads.incrementAndGet();
            }
        };
        java.util.concurrent.Callable<Void> executorBody = () -> {
            List<JoinHandle<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < taskWriters; i++) {
                tasks.add(Weft.spawn(() -> {
                    for (int k = 0; k < perTask; k++) {
                        try (var g = lock.write().await()) {
                            Pair p = g.get();
                            p.a++;
                            Weft.yieldNow().await(); // the other executor and the threads queue meanwhile
                            p.b++;
                        }
                    }
                }));
            }
            for (int i = 0; i < taskReaders; i++) {
                tasks.add(Weft.spawn(() -> {
                    for (int k = 0; k < perTask; k++) {
                        checkOnce.run();
                        Weft.yieldNow().await();
                    }
                }));
            }
            for (var t : tasks) {
                t.await();
            }
            return null;
        };
        List<CompletableFuture<Void>> done = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int e = 0; e < 2; e++) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            done.add(f);
            threads.add(new Thread(() -> {
                try {
                    f.complete(run(kind, executorBody));
                } catch (Throwable t) {
                    f.completeExceptionally(t);
                }
            }));
        }
        threads.add(new Thread(() -> { // a plain writer: its await() parks the thread
            for (int k = 0; k < threadWrites; k++) {
                try (var g = lock.write().await()) {
                    g.get().a++;
                    g.get().b++;
                }
            }
        }));
        threads.add(new Thread(() -> { // a plain reader, and tryRead/tryWrite races
            for (int k = 0; k < threadWrites; k++) {
                checkOnce.run();
                try (var g = lock.tryRead()) {
                    if (g != null && g.get().a != g.get().b) {
                        torn.incrementAndGet();
                    }
                }
            }
        }));
        threads.forEach(Thread::start);
        for (var f : done) {
            f.get(25, TimeUnit.SECONDS);
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(torn).as("a reader saw a writer half way").hasValue(0);
        assertThat(reads.get()).isEqualTo(2L * taskReaders * perTask + threadWrites);
        try (var g = lock.tryWrite()) {
            assertThat(g).as("nobody holds the lock at the end").isNotNull();
            long expected = 2L * taskWriters * perTask + threadWrites;
            assertThat(g.get().a).isEqualTo(expected);
            assertThat(g.get().b).isEqualTo(expected);
        }
    }

    /**
     * Readers and writers aborted at random points (queued, handed the lock
     * but not yet run, or holding it across a yield) while a plain thread
     * writes and reads: a counting probe checks the lock is never held by a
     * writer together with anybody, and the end checks it is never lost.
     */
    @Kinds.Shared
    void abortedReadersAndWritersNeverLoseOrDoubleTheLock(ExecutorKind kind) throws Exception {
        RwLock<Integer> lock = RwLock.create(0, 3);
        AtomicInteger readersIn = new AtomicInteger();
        AtomicInteger writersIn = new AtomicInteger();
        AtomicInteger violations = new AtomicInteger();
        AtomicInteger maxReadersIn = new AtomicInteger();
        AtomicLong taken = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        Runnable asWriter = () -> {
            if (writersIn.incrementAndGet() != 1 || readersIn.get() != 0) {
                violations.incrementAndGet();
            }
            taken.incrementAndGet();
        };
        Runnable asReader = () -> {
            maxReadersIn.accumulateAndGet(readersIn.incrementAndGet(), Math::max);
            if (writersIn.get() != 0) {
                violations.incrementAndGet();
            }
            taken.incrementAndGet();
        };
        Thread other = new Thread(() -> {
            while (!stop.get()) {
                try (var g = lock.write().await()) {
                    asWriter.run();
                    g.set(g.get() + 1);
                    writersIn.decrementAndGet();
                }
                try (var g = lock.read().await()) {
                    asReader.run();
                    readersIn.decrementAndGet();
                }
            }
        });
        other.setDaemon(true); // if the lock is lost it never ends: let the JVM exit anyway
        AtomicReference<Integer> aborts = new AtomicReference<>();
        run(kind, () -> {
            other.start();
            List<JoinHandle<Void>> all = new ArrayList<>();
            List<JoinHandle<Void>> live = new ArrayList<>();
            int[] serial = {0};
            java.util.function.Supplier<JoinHandle<Void>> spawn = () -> {
                boolean isWriter = serial[0]++ % 3 == 0;
                return Weft.spawn(() -> {
                    for (;;) {
                        if (isWriter) {
                            try (var g = lock.write().await()) {
                                asWriter.run();
                                try {
                                    Weft.yieldNow().await(); // may be aborted here, holding the lock
                                } finally {
                                    writersIn.decrementAndGet();
                                }
                            }
                        } else {
                            try (var g = lock.read().await()) {
                                asReader.run();
                                try {
                                    Weft.yieldNow().await();
                                } finally {
                                    readersIn.decrementAndGet();
                                }
                            }
                        }
                    }
                });
            };
            for (int i = 0; i < 8; i++) {
                var h = spawn.get();
                live.add(h);
                all.add(h);
            }
            int n = 0;
            // 3,000 rounds, and on until a reader got in (for 10 s at most): on STEALING_2 a writer holding the lock
            // on the other worker may be descheduled by the OS for all 3,000 rounds, which take a few milliseconds
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            for (int round = 1; round <= 3_000 || maxReadersIn.get() == 0 && System.nanoTime() - deadline < 0;
                    round++) {
                Weft.yieldNow().await();
                if (round % 2 == 0) {
                    live.remove(round % live.size()).abort();
                    n++;
                    var h = spawn.get();
                    live.add(h);
                    all.add(h);
                }
            }
            stop.set(true);
            for (var h : live) {
                h.abort();
            }
            for (var h : all) {
                try {
                    h.await();
                } catch (TaskCancelledException expected) {
                    // every one of them ends aborted
                }
            }
            aborts.set(n);
            return null;
        });
        other.join(TimeUnit.SECONDS.toMillis(10)); // never waits when the lock was not lost
        assertThat(other.isAlive()).as("the plain thread is stuck in write() or read(): the lock was lost").isFalse();
        assertThat(aborts.get()).isPositive();
        assertThat(taken.get()).isPositive();
        assertThat(violations).as("a writer together with somebody else").hasValue(0);
        assertThat(maxReadersIn.get()).isBetween(1, 3);
        assertThat(lock.tryWrite()).as("free at the end").isNotNull();
    }

    @Kinds.Local
    void theLocalLockRefusesAnotherThreadAndNamesTheProblem(ExecutorKind kind) {
        AtomicReference<Throwable> tryRead = new AtomicReference<>();
        AtomicReference<Throwable> tryWrite = new AtomicReference<>();
        AtomicReference<Throwable> read = new AtomicReference<>();
        run(kind, () -> {
            var lock = RwLock.local(1);
            assertThat(lock.isLocal()).isTrue();
            Thread t = new Thread(() -> {
                try {
                    lock.tryRead();
                } catch (Throwable e) {
                    tryRead.set(e);
                }
                try {
                    lock.tryWrite();
                } catch (Throwable e) {
                    tryWrite.set(e);
                }
                try {
                    lock.read().await();
                } catch (Throwable e) {
                    read.set(e);
                }
            });
            t.start();
            t.join();
            try (var w = lock.tryWrite()) {
                assertThat(w).as("the other thread took nothing").isNotNull();
            }
            return null;
        });
        assertThat(tryRead.get()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("RwLock.local").hasMessageContaining("used from thread");
        assertThat(tryWrite.get()).isInstanceOf(IllegalStateException.class);
        assertThat(read.get()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> RwLock.local(1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("outside a weft executor");
    }
}
