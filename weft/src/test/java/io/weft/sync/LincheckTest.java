package io.weft.sync;

import java.util.concurrent.TimeUnit;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
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
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
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
    }

    @Nested
    @Order(2)
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
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
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
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
}
