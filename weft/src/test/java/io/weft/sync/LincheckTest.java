package io.weft.sync;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestClassOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Linearizability of the shared primitives' non-waiting operations, from
 * plain threads, in Lincheck's model-checking and stress modes. The
 * sequential specification is the class itself run on one thread.
 */
@TestClassOrder(ClassOrderer.OrderAnnotation.class)
class LincheckTest {

    static ModelCheckingOptions modelChecking() {
        return new ModelCheckingOptions().iterations(6).invocationsPerIteration(150)
                .threads(3).actorsPerThread(3).actorsBefore(2).actorsAfter(2);
    }

    static StressOptions stress() {
        return new StressOptions().iterations(4).invocationsPerIteration(300)
                .threads(3).actorsPerThread(3).actorsBefore(2).actorsAfter(2);
    }

    /** A bounded channel of capacity 2: trySend, tryRecv, both closes, size. */
    @Param(name = "v", gen = IntGen.class, conf = "1:9")
    public static class ChannelSpec {
        private final Channel<Integer> ch = Channel.bounded(2);
        private final Sender<Integer> second = ch.sender().copy();

        @Operation
        public String trySend(@Param(name = "v") int v) {
            try {
                return ch.sender().trySend(v) ? "sent" : "full";
            } catch (ChannelClosedException e) {
                return "closed, got back " + e.value();
            }
        }

        @Operation
        public String trySendSecond(@Param(name = "v") int v) {
            try {
                return second.trySend(v) ? "sent" : "full";
            } catch (ChannelClosedException e) {
                return "closed, got back " + e.value();
            }
        }

        @Operation
        public Object tryRecv() {
            try {
                Integer v = ch.receiver().tryRecv();
                return v == null ? "empty" : v;
            } catch (ChannelClosedException e) {
                return "end";
            }
        }

        @Operation
        public void closeSender() {
            ch.sender().close();
        }

        @Operation
        public void closeSecond() {
            second.close();
        }

        @Operation
        public void closeReceiver() {
            ch.receiver().close();
        }

        @Operation
        public int size() {
            return ch.receiver().size();
        }
    }

    /** A semaphore of 3 permits: tryAcquire(1..2), release(1..2), available. */
    @Param(name = "n", gen = IntGen.class, conf = "1:2")
    public static class SemaphoreSpec {
        private final Semaphore sem = Semaphore.create(3);

        @Operation
        public boolean tryAcquire(@Param(name = "n") int n) {
            return sem.tryAcquire(n) != null;
        }

        @Operation
        public void release(@Param(name = "n") int n) {
            sem.release(n);
        }

        @Operation
        public long available() {
            return sem.availablePermits();
        }
    }

    /**
     * A mutex around a counter, locked with the blocking {@code lock().await()}
     * of a plain thread: increments must return distinct, consecutive values.
     * (A tryLock that fails has no sequential counterpart, so the try
     * operations are checked on the semaphore under the mutex instead.)
     */
    public static class MutexSpec {
        private final Mutex<Integer> mutex = Mutex.create(0);

        @Operation
        public int increment() {
            try (var g = mutex.lock().await()) {
                int v = g.get();
                g.set(v + 1);
                return v;
            }
        }

        @Operation
        public int read() {
            try (var g = mutex.lock().await()) {
                return g.get();
            }
        }
    }

    /**
     * A broadcast of capacity 2 with two receivers subscribed from the start:
     * send (which overwrites and makes lag quickly), tryRecv on each, closing
     * the sender and one receiver, the receiver count.
     */
    @Param(name = "v", gen = IntGen.class, conf = "1:9")
    public static class BroadcastSpec {
        private final Broadcast<Integer> b = Broadcast.create(2);
        private final Broadcast.Receiver<Integer> first = b.subscribe();
        private final Broadcast.Receiver<Integer> second = b.subscribe();

        @Operation
        public String send(@Param(name = "v") int v) {
            try {
                return "to " + b.sender().send(v);
            } catch (ChannelClosedException e) {
                return "refused, got back " + e.value();
            }
        }

        static Object tryRecv(Broadcast.Receiver<Integer> rx) {
            try {
                Integer v = rx.tryRecv();
                return v == null ? "empty" : v;
            } catch (Broadcast.LaggedException e) {
                return "lagged " + e.missed();
            } catch (ChannelClosedException e) {
                return "closed";
            }
        }

        @Operation
        public Object tryRecvFirst() {
            return tryRecv(first);
        }

        @Operation
        public Object tryRecvSecond() {
            return tryRecv(second);
        }

        @Operation
        public void closeSender() {
            b.sender().close();
        }

        @Operation
        public void closeFirst() {
            first.close();
        }

        @Operation
        public int receivers() {
            return b.receiverCount();
        }
    }

    /** A watch with two receivers: send, sendReplace, borrowAndUpdate, hasChanged, both closes. */
    @Param(name = "v", gen = IntGen.class, conf = "1:9")
    public static class WatchSpec {
        private final Watch<Integer> w = Watch.create(0);
        private final Watch.Receiver<Integer> first = w.subscribe();
        private final Watch.Receiver<Integer> second = w.subscribe();

        @Operation
        public String send(@Param(name = "v") int v) {
            try {
                w.sender().send(v);
                return "sent";
            } catch (ChannelClosedException e) {
                return "refused, got back " + e.value();
            }
        }

        @Operation
        public Object sendReplace(@Param(name = "v") int v) {
            try {
                return w.sender().sendReplace(v);
            } catch (ChannelClosedException e) {
                return "refused, got back " + e.value();
            }
        }

        @Operation
        public int borrowAndUpdateFirst() {
            return first.borrowAndUpdate();
        }

        @Operation
        public boolean hasChangedFirst() {
            return first.hasChanged();
        }

        @Operation
        public boolean hasChangedSecond() {
            return second.hasChanged();
        }

        @Operation
        public void closeSender() {
            w.sender().close();
        }

        @Operation
        public void closeSecond() {
            second.close();
        }
    }

    // Grouped by mode, not by primitive: Lincheck re-instruments the loaded classes when the
    // mode changes, which costs seconds on this machine, so each mode runs all three in a row.

    @Nested
    @Order(1)
    @Timeout(value = 180, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard: stress.semaphore alone takes ~30 s here
    class ModelChecking {
        @Test
        void channel() {
            modelChecking().check(ChannelSpec.class);
        }

        @Test
        void semaphore() {
            modelChecking().check(SemaphoreSpec.class);
        }

        @Test
        void mutex() {
            modelChecking().check(MutexSpec.class);
        }

        /**
         * Waits that are polled again or cancelled, as operations of their
         * own ({@link CancelSpecs}), against a plain model of the promised
         * behaviour ({@link CancelModels}).
         */
        @Test
        void semaphoreWithCancelledAcquires() {
            modelChecking().sequentialSpecification(CancelModels.SemaphoreModel.class)
                    .addCustomScenario(CancelSpecs.semaphoreHandOn())
                    .check(CancelSpecs.SemaphoreCancelSpec.class);
        }

        @Test
        void channelWithCancelledSendsAndReceives() {
            modelChecking().sequentialSpecification(CancelModels.ChannelModel.class)
                    .addCustomScenario(CancelSpecs.channelRecvHandOn())
                    .addCustomScenario(CancelSpecs.channelSendHandOn())
                    .check(CancelSpecs.ChannelCancelSpec.class);
        }
    }

    @Nested
    @Order(2)
    @Timeout(value = 180, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard: stress.semaphore alone takes ~30 s here
    class Stress {
        @Test
        void channel() {
            stress().check(ChannelSpec.class);
        }

        @Test
        void semaphore() {
            stress().check(SemaphoreSpec.class);
        }

        @Test
        void mutex() {
            stress().check(MutexSpec.class);
        }
    }

    // Broadcast and Watch (added later): model checking only, with fewer iterations, as these
    // specs have more operations. No stress group: in the whole suite a stress check of these
    // specs took about 20 s each here (Lincheck retransforms the classes earlier tests loaded).

    @Nested
    @Order(3)
    @Timeout(value = 180, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard: stress.semaphore alone takes ~30 s here
    class BroadcastWatchModelChecking {
        @Test
        void broadcast() {
            modelChecking().iterations(3).check(BroadcastSpec.class);
        }

        @Test
        void watch() {
            modelChecking().iterations(3).check(WatchSpec.class);
        }
    }

    /**
     * A shared RwLock of at most 2 readers around a counter, through its try
     * operations: tryRead returns the value it sees, tryWrite increments it
     * and keeps the lock, release closes the latest guard this thread still
     * holds. A guard belongs to its taker, so the guards are kept per thread,
     * indexed by Lincheck's thread id (0 is the init part, the post part is
     * after the last parallel thread); the sequential run replays each
     * thread's operations on that thread's own stack, so the stacks are no
     * shared state of their own.
     */
    @Param(name = "tid", gen = ThreadIdGen.class)
    public static class RwLockSpec {
        private final RwLock<Integer> lock = RwLock.create(0, 2);
        private final ArrayDeque<?>[] held = new ArrayDeque<?>[8];

        @SuppressWarnings("unchecked")
        private ArrayDeque<AutoCloseable> held(int tid) {
            if (held[tid] == null) {
                held[tid] = new ArrayDeque<AutoCloseable>();
            }
            return (ArrayDeque<AutoCloseable>) held[tid];
        }

        @Operation
        public Object tryRead(@Param(name = "tid") int tid) {
            var g = lock.tryRead();
            if (g == null) {
                return "busy";
            }
            held(tid).push(g);
            return g.get();
        }

        @Operation
        public Object tryWrite(@Param(name = "tid") int tid) {
            var g = lock.tryWrite();
            if (g == null) {
                return "busy";
            }
            g.set(g.get() + 1);
            held(tid).push(g);
            return g.get();
        }

        @Operation
        public String release(@Param(name = "tid") int tid) throws Exception {
            var g = held(tid).poll();
            if (g == null) {
                return "none held";
            }
            g.close();
            return g instanceof RwLock.WriteGuard ? "write" : "read";
        }
    }

    /**
     * RwLock in model-checking mode only, run first so that it adds no change
     * of mode (the ModelChecking group goes on in it). Model checking is the
     * mode that explores interleavings: with the shared access made a no-op,
     * it failed at once where a stress check passed. A stress check would
     * cost about ten more seconds in the full suite on this machine, most of
     * it re-instrumenting.
     */
    @Nested
    @Order(0)
    @Timeout(value = 180, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard: stress.semaphore alone takes ~30 s here
    class RwLockModelChecking {
        @Test
        void rwLock() {
            modelChecking().check(RwLockSpec.class);
        }
    }
}
