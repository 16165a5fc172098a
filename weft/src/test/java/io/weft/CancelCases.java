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
import io.weft.sync.RwLock;
import io.weft.sync.Semaphore;
import io.weft.sync.SpscChannel;
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
 * that task's thread (see {@link CancelMatrixTest#matrix}). The channel
 * family's cases are in {@link CancelChannelCases}.
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
            cases.add(new Named(kind + "Channel.recv", () -> new CancelChannelCases.RecvCase(local)));
            cases.add(new Named(kind + "Channel.send", () -> new CancelChannelCases.SendCase(local)));
            cases.add(new Named(kind + "Notify.notified", () -> new NotifyCase(local)));
            cases.add(new Named(kind + "Oneshot.recv", () -> new CancelChannelCases.OneshotCase(local)));
            cases.add(new Named(kind + "Barrier.arrive", () -> new BarrierCase(local), false));
            cases.add(new Named(kind + "Broadcast.recv", () -> new CancelChannelCases.BroadcastCase(local)));
            cases.add(new Named(kind + "Watch.changed", () -> new CancelChannelCases.WatchCase(local)));
            cases.add(new Named(kind + "CancellationToken.cancelled", () -> new TokenCase(local)));
        }
        cases.add(new Named("SpscChannel.recv", CancelChannelCases.SpscRecvCase::new));
        cases.add(new Named("SpscChannel.send", CancelChannelCases.SpscSendCase::new));
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
