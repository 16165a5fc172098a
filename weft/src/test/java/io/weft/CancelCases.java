package io.weft;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.executor.Worker;
import io.weft.sync.Barrier;
import io.weft.sync.Broadcast;
import io.weft.sync.CancellationToken;
import io.weft.sync.Channel;
import io.weft.sync.Mutex;
import io.weft.sync.Notify;
import io.weft.sync.Oneshot;
import io.weft.sync.Receiver;
import io.weft.sync.RwLock;
import io.weft.sync.Semaphore;
import io.weft.sync.SpscChannel;
import io.weft.sync.Sender;
import io.weft.sync.Watch;
import io.weft.time.Interval;
import io.weft.time.Timeout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The leaf futures of the cancellation matrix ({@link CancelMatrixTest}):
 * each makes a future that is pending when first polled, can make it ready
 * without polling it ({@link Case#grant}: the moment of cancel falls after
 * the primitive handed something to it), and checks afterwards that nothing
 * was lost. Everything runs inside one task, on an executor whose tasks share
 * that task's thread (see {@link CancelMatrixTest#matrix}).
 */
final class CancelCases {
    private CancelCases() {
    }

    /** One leaf future and what it must leave behind once given up. */
    interface Case {
        /** A future that is pending when first polled (called once, inside the executor). */
        Future<?> pending();

        /** Makes the future ready (or hands it what it waits for) without polling it; false if it cannot be. */
        boolean grant();

        /** Asserts that nothing was lost; the given-up future was never completed. */
        void verify();
    }

    /** Every case, by name: a fresh instance per run. */
    static List<Named> all() {
        List<Named> cases = new ArrayList<>();
        for (boolean local : new boolean[] {false, true}) {
            String kind = local ? "local " : "shared ";
            cases.add(new Named(kind + "Mutex.lock", () -> new MutexCase(local)));
            cases.add(new Named(kind + "Semaphore.acquire", () -> new SemaphoreCase(local)));
            cases.add(new Named(kind + "RwLock.read", () -> new RwLockCase(local, true)));
            cases.add(new Named(kind + "RwLock.write", () -> new RwLockCase(local, false)));
            cases.add(new Named(kind + "Channel.recv", () -> new RecvCase(local)));
            cases.add(new Named(kind + "Channel.send", () -> new SendCase(local)));
            cases.add(new Named(kind + "Notify.notified", () -> new NotifyCase(local)));
            cases.add(new Named(kind + "Oneshot.recv", () -> new OneshotCase(local)));
            cases.add(new Named(kind + "Barrier.arrive", () -> new BarrierCase(local), false));
            cases.add(new Named(kind + "Broadcast.recv", () -> new BroadcastCase(local)));
            cases.add(new Named(kind + "Watch.changed", () -> new WatchCase(local)));
            cases.add(new Named(kind + "CancellationToken.cancelled", () -> new TokenCase(local)));
        }
        cases.add(new Named("SpscChannel.recv", SpscRecvCase::new));
        cases.add(new Named("SpscChannel.send", SpscSendCase::new));
        cases.add(new Named("Weft.sleep", SleepCase::new, false));
        cases.add(new Named("Interval.tick", IntervalCase::new, false));
        cases.add(new Named("Timeout", TimeoutCase::new, false));
        cases.add(new Named("JoinHandle", JoinHandleCase::new, false));
        cases.add(new Named("JoinSet.next", JoinSetCase::new));
        return cases;
    }

    /** A case by name; {@code grantable}: its {@link Case#grant} hands something over. */
    record Named(String name, Supplier<Case> make, boolean grantable) {
        Named(String name, Supplier<Case> make) {
            this(name, make, true);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Lets every other ready task run until it waits (the executor is single-threaded and runs them in order). */
    static void settle() {
        for (int i = 0; i < 4; i++) {
            Weft.yieldNow().await();
        }
    }

    /**
     * Runs {@code body} as a task and lets it run until it waits: it must have
     * finished by then (the executor is single-threaded, so a task that could
     * go on has gone on); its value. A task still waiting is aborted and
     * fails the test instead of hanging it.
     */
    static <T> T settled(String what, java.util.concurrent.Callable<T> body) {
        JoinHandle<T> h = Weft.spawn(body);
        settle();
        if (!h.isFinished()) {
            h.abort();
            throw new AssertionError(what + ": still waiting");
        }
        return h.await();
    }

    static int armedTimers() {
        return Worker.current("armedTimers").timers().size();
    }

    static final class MutexCase implements Case {
        final Mutex<int[]> m;
        Mutex.Guard<int[]> held;

        MutexCase(boolean local) {
            m = local ? Mutex.local(new int[1]) : Mutex.create(new int[1]);
        }

        @Override
        public Future<?> pending() {
            held = m.tryLock();
            assertThat(held).isNotNull();
            return m.lock();
        }

        @Override
        public boolean grant() {
            held.close();
            return true;
        }

        @Override
        public void verify() {
            held.close();
            var g = m.tryLock();
            assertThat(g).as("the mutex can be locked again").isNotNull();
            g.close();
        }
    }

    static final class SemaphoreCase implements Case {
        final Semaphore s;
        Semaphore.Permit held;

        SemaphoreCase(boolean local) {
            s = local ? Semaphore.local(3) : Semaphore.create(3);
        }

        @Override
        public Future<?> pending() {
            held = s.tryAcquire(2);
            return s.acquire(2);
        }

        @Override
        public boolean grant() {
            held.close();
            return true;
        }

        @Override
        public void verify() {
            held.close();
            assertThat(s.availablePermits()).as("every permit is back").isEqualTo(3);
            var all = s.tryAcquire(3);
            assertThat(all).isNotNull();
            all.close();
        }
    }

    static final class RwLockCase implements Case {
        final RwLock<String> l;
        final boolean waitToRead;
        AutoCloseable held;

        RwLockCase(boolean local, boolean waitToRead) {
            l = local ? RwLock.local("v", 4) : RwLock.create("v", 4);
            this.waitToRead = waitToRead;
        }

        @Override
        public Future<?> pending() {
            held = waitToRead ? l.tryWrite() : l.tryRead();
            assertThat(held).isNotNull();
            return waitToRead ? l.read() : l.write();
        }

        @Override
        public boolean grant() {
            close(held);
            return true;
        }

        @Override
        public void verify() {
            close(held);
            var w = l.tryWrite();
            assertThat(w).as("the lock is free for a writer").isNotNull();
            w.close();
        }
    }

    static final class RecvCase implements Case {
        final Sender<String> tx;
        final Receiver<String> rx;

        RecvCase(boolean local) {
            Channel<String> ch = local ? Channel.localBounded(4) : Channel.bounded(4);
            tx = ch.sender();
            rx = ch.receiver();
        }

        @Override
        public Future<?> pending() {
            return rx.recv();
        }

        @Override
        public boolean grant() {
            assertThat(tx.trySend("v")).isTrue();
            granted = true;
            return true;
        }

        @Override
        public void verify() {
            // a receiver queued behind the one that gave up must get the next value's wake-up
            JoinHandle<String> live = Weft.spawn(() -> rx.recv().await());
            settle();
            assertThat(tx.trySend("w")).isTrue();
            List<String> got = new ArrayList<>();
            got.add(settled("the receiver queued behind", live::await));
            for (String s; (s = rx.tryRecv()) != null; ) {
                got.add(s);
            }
            assertThat(got).as("every value, once, in order")
                    .isEqualTo(granted ? List.of("v", "w") : List.of("w"));
        }

        private boolean granted;
    }

    static final class SendCase implements Case {
        final Sender<String> tx;
        final Receiver<String> rx;
        boolean granted;

        SendCase(boolean local) {
            Channel<String> ch = local ? Channel.localBounded(1) : Channel.bounded(1);
            tx = ch.sender();
            rx = ch.receiver();
        }

        @Override
        public Future<?> pending() {
            assertThat(tx.trySend("first")).isTrue();
            return tx.send("cancelled");
        }

        @Override
        public boolean grant() {
            assertThat(rx.tryRecv()).isEqualTo("first");
            granted = true;
            return true;
        }

        @Override
        public void verify() {
            // a sender queued behind the one that gave up must get the free slot's wake-up
            JoinHandle<Void> live = Weft.spawn(() -> tx.send("next").await());
            settle();
            List<String> got = new ArrayList<>();
            if (!granted) {
                got.add(rx.tryRecv());
            }
            settled("the sender queued behind", live::await);
            for (String s; (s = rx.tryRecv()) != null; ) {
                got.add(s);
            }
            assertThat(got).as("a cancelled send sent nothing")
                    .isEqualTo(granted ? List.of("next") : List.of("first", "next"));
        }
    }

    /** Both sides of the SPSC channel on the test's executor (each side belongs to the thread that first uses it). */
    static final class SpscRecvCase implements Case {
        final SpscChannel<String> ch = SpscChannel.create(4);
        private boolean granted;

        @Override
        public Future<?> pending() {
            return ch.receiver().recv();
        }

        @Override
        public boolean grant() {
            assertThat(ch.sender().trySend("v")).isTrue();
            granted = true;
            return true;
        }

        @Override
        public void verify() {
            // a receiver queued behind the one that gave up must get the next value's wake-up
            JoinHandle<String> live = Weft.spawn(() -> ch.receiver().recv().await());
            settle();
            assertThat(ch.sender().trySend("w")).isTrue();
            List<String> got = new ArrayList<>();
            got.add(settled("the receiver queued behind", live::await));
            for (String s; (s = ch.receiver().tryRecv()) != null; ) {
                got.add(s);
            }
            assertThat(got).as("every value, once, in order")
                    .isEqualTo(granted ? List.of("v", "w") : List.of("w"));
        }
    }

    static final class SpscSendCase implements Case {
        final SpscChannel<String> ch = SpscChannel.create(1);
        boolean granted;

        @Override
        public Future<?> pending() {
            assertThat(ch.sender().trySend("first")).isTrue();
            return ch.sender().send("cancelled");
        }

        @Override
        public boolean grant() {
            assertThat(ch.receiver().tryRecv()).isEqualTo("first");
            granted = true;
            return true;
        }

        @Override
        public void verify() {
            // a sender queued behind the one that gave up must get the free slot's wake-up
            JoinHandle<Void> live = Weft.spawn(() -> ch.sender().send("next").await());
            settle();
            List<String> got = new ArrayList<>();
            if (!granted) {
                got.add(ch.receiver().tryRecv());
            }
            settled("the sender queued behind", live::await);
            for (String s; (s = ch.receiver().tryRecv()) != null; ) {
                got.add(s);
            }
            assertThat(got).as("a cancelled send sent nothing")
                    .isEqualTo(granted ? List.of("next") : List.of("first", "next"));
        }
    }

    static final class NotifyCase implements Case {
        final Notify n;
        boolean granted;

        NotifyCase(boolean local) {
            n = local ? Notify.local() : Notify.create();
        }

        @Override
        public Future<?> pending() {
            return n.notified();
        }

        @Override
        public boolean grant() {
            n.notifyOne();
            granted = true;
            return true;
        }

        @Override
        public void verify() {
            if (!granted) {
                n.notifyOne();
            }
            // a notifyOne given to a waiter that gave up is passed on (stored as the permit)
            settled("the next notified()", () -> n.notified().await());
        }
    }

    static final class OneshotCase implements Case {
        final Oneshot<String> o;
        boolean granted;

        OneshotCase(boolean local) {
            o = local ? Oneshot.local() : Oneshot.create();
        }

        @Override
        public Future<?> pending() {
            return o.recv();
        }

        @Override
        public boolean grant() {
            o.send("v");
            granted = true;
            return true;
        }

        @Override
        public void verify() {
            if (!granted) {
                o.send("v");
            }
            assertThat(o.tryRecv()).isEqualTo("v");
        }
    }

    static final class BarrierCase implements Case {
        final Barrier b;

        BarrierCase(boolean local) {
            b = local ? Barrier.local(2) : Barrier.create(2);
        }

        @Override
        public Future<?> pending() {
            return b.arrive();
        }

        @Override
        public boolean grant() {
            return false; // a barrier that trips has released its parties: nothing to hand on
        }

        @Override
        public void verify() {
            assertThat(b.arrived()).as("a cancelled arrival no longer counts").isZero();
            JoinHandle<Boolean> other = Weft.spawn(() -> b.arrive().await());
            boolean leader = settled("the second party", () -> b.arrive().await());
            assertThat(leader ^ other.await()).as("exactly one leader").isTrue();
        }
    }

    static final class BroadcastCase implements Case {
        final Broadcast.Sender<String> tx;
        final Broadcast.Receiver<String> rx;
        boolean granted;

        BroadcastCase(boolean local) {
            Broadcast<String> b = local ? Broadcast.local(4) : Broadcast.create(4);
            tx = b.sender();
            rx = b.subscribe();
        }

        @Override
        public Future<?> pending() {
            return rx.recv();
        }

        @Override
        public boolean grant() {
            tx.send("v");
            granted = true;
            return true;
        }

        @Override
        public void verify() {
            if (!granted) {
                tx.send("v");
            }
            assertThat(settled("the next recv", () -> rx.recv().await())).isEqualTo("v");
        }
    }

    static final class WatchCase implements Case {
        final Watch.Sender<Integer> tx;
        final Watch.Receiver<Integer> rx;
        boolean granted;

        WatchCase(boolean local) {
            Watch<Integer> w = local ? Watch.local(0) : Watch.create(0);
            tx = w.sender();
            rx = w.subscribe();
        }

        @Override
        public Future<?> pending() {
            return rx.changed();
        }

        @Override
        public boolean grant() {
            tx.send(1);
            granted = true;
            return true;
        }

        @Override
        public void verify() {
            if (!granted) {
                tx.send(1);
            }
            settled("changed() of an unseen version", () -> rx.changed().await());
            assertThat(rx.borrowAndUpdate()).isEqualTo(1);
        }
    }

    static final class TokenCase implements Case {
        final CancellationToken t;

        TokenCase(boolean local) {
            t = local ? CancellationToken.local() : CancellationToken.create();
        }

        @Override
        public Future<?> pending() {
            return t.cancelled();
        }

        @Override
        public boolean grant() {
            t.cancel();
            return true;
        }

        @Override
        public void verify() {
            t.cancel();
            settled("cancelled() of a cancelled token", () -> t.cancelled().await());
        }
    }

    /** A timer the executor would otherwise keep: the wheel's count is checked by the matrix for every case. */
    static final class SleepCase implements Case {
        @Override
        public Future<?> pending() {
            return Weft.sleep(Duration.ofHours(1));
        }

        @Override
        public boolean grant() {
            return false;
        }

        @Override
        public void verify() {
        }
    }

    static final class IntervalCase implements Case {
        Interval iv;

        @Override
        public Future<?> pending() {
            iv = Interval.every(Duration.ofHours(1));
            iv.tick().await(); // the first tick is at once
            return iv.tick();
        }

        @Override
        public boolean grant() {
            return false;
        }

        @Override
        public void verify() {
        }
    }

    static final class TimeoutCase implements Case {
        @Override
        public Future<?> pending() {
            return Timeout.of(Duration.ofHours(1), new Probes.Never<>());
        }

        @Override
        public boolean grant() {
            return false;
        }

        @Override
        public void verify() {
        }
    }

    /** A join handle's cancel is an abort: the child runs its finally and is finished afterwards. */
    static final class JoinHandleCase implements Case {
        final Notify never = Notify.create();
        JoinHandle<String> child;
        boolean cleanedUp;

        @Override
        public Future<?> pending() {
            child = Weft.spawn(() -> {
                try {
                    never.notified().await();
                    return "done";
                } finally {
                    cleanedUp = true;
                }
            });
            return child;
        }

        @Override
        public boolean grant() {
            return false;
        }

        @Override
        public void verify() {
            for (int i = 0; i < 10 && !child.isFinished(); i++) {
                Weft.yieldNow().await();
            }
            assertThat(child.isFinished()).as("the child task was aborted").isTrue();
            assertThat(cleanedUp).as("the child's finally ran").isTrue();
        }
    }

    /** A task that finishes while next() is being given up stays in the set for the next call. */
    static final class JoinSetCase implements Case {
        final JoinSet<String> set = new JoinSet<>();
        final Notify go = Notify.create();

        @Override
        public Future<?> pending() {
            set.spawn(() -> {
                go.notified().await();
                return "done";
            });
            return set.next();
        }

        @Override
        public boolean grant() {
            go.notifyOne(); // the task will finish after the waiter gave up: its completion waits in the set
            return true;
        }

        @Override
        public void verify() {
            go.notifyOne();
            assertThat(settled("the next next()", () -> set.next().await())).isEqualTo("done");
            assertThat(set.isEmpty()).isTrue();
        }
    }

    static void close(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
