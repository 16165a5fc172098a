package io.weft.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.Future;
import io.weft.LocalExecutor;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A local primitive waited on by its own thread outside its executor's
 * loop (after {@code run} returned): only the executor's tasks could wake
 * that wait, and none runs while the thread waits, so it would hang for
 * ever. It is refused at the wait, naming the primitive; nothing is queued.
 */
class LocalOffLoopTest {

    record Case(String name, Callable<Object> make, Function<Object, Future<?>> pendingWait) {
        @Override
        public String toString() {
            return name;
        }
    }

    @SuppressWarnings("unchecked")
    static List<Case> cases() {
        return List.of(
                new Case("Notify.local", Notify::local, n -> ((Notify) n).notified()),
                new Case("Semaphore.local", () -> Semaphore.local(0), s -> ((Semaphore) s).acquire()),
                new Case("Mutex.local", () -> {
                    Mutex<String> m = Mutex.local("x");
                    m.tryLock(); // held for good by nobody: the next lock() waits
                    return m;
                }, m -> ((Mutex<String>) m).lock()),
                new Case("Oneshot.local", Oneshot::local, o -> ((Oneshot<String>) o).recv()),
                new Case("Channel.localBounded", () -> Channel.<String>localBounded(1),
                        c -> ((Channel<String>) c).receiver().recv()),
                new Case("Barrier.local", () -> Barrier.local(2), b -> ((Barrier) b).arrive()),
                new Case("CancellationToken.local", CancellationToken::local,
                        t -> ((CancellationToken) t).cancelled()),
                new Case("Watch.local", () -> Watch.local("v").subscribe(),
                        r -> ((Watch.Receiver<String>) r).changed()),
                new Case("Broadcast.local", () -> Broadcast.<String>local(4).subscribe(),
                        r -> ((Broadcast.Receiver<String>) r).recv()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aWaitOnTheOwnerThreadOutsideTheLoopIsRefused(Case c) throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread owner = new Thread(() -> {
            try (var ex = LocalExecutor.create()) {
                Object primitive = ex.run(c.make());
                try {
                    c.pendingWait().apply(primitive).await(); // would hang: no task runs while this thread waits
                    thrown.set(new AssertionError("the wait returned"));
                } catch (Throwable t) {
                    thrown.set(t);
                }
            }
        }, "owner-" + c.name());
        owner.setDaemon(true);
        owner.start();
        owner.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(owner.isAlive()).as("the owner thread still waits (hangs)").isFalse();
        assertThat(thrown.get()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(c.name()).hasMessageContaining("outside");
    }

    /**
     * What stays allowed: a local primitive made under one executor, waited
     * on and ended by tasks of another run later on the same thread, and a
     * poll by hand there between the runs.
     */
    @org.junit.jupiter.api.Test
    void tasksOfAnotherExecutorOnTheSameThreadStillWaitOnIt() {
        Notify[] n = new Notify[1];
        try (var a = LocalExecutor.create(); var b = LocalExecutor.create()) {
            a.run(() -> n[0] = Notify.local());
            assertThat(n[0].notified().poll(new io.weft.Context(() -> { })).isReady()).as("a poll by hand").isFalse();
            String got = b.run(() -> {
                var waiter = io.weft.Weft.spawn(() -> {
                    n[0].notified().await();
                    return "woken";
                });
                io.weft.Weft.yieldNow().await();
                n[0].notifyWaiters();
                return waiter.await();
            });
            assertThat(got).isEqualTo("woken");
        }
    }
}
