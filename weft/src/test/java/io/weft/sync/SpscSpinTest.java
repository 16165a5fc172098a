package io.weft.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.Weft;
import io.weft.executor.Worker;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * When a task of one side of an {@link SpscChannel} spins before it
 * suspends, and when it does not (the class comment's "Spinning"): only
 * while the other side's executor is awake and nothing else is ready on its
 * own, and never past its time. Each test reads the side's spin counters on
 * that side's thread. Sender on executor 0, receiver on executor 1.
 */
@org.junit.jupiter.api.Timeout(value = 1, unit = TimeUnit.MINUTES,
        threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
class SpscSpinTest {

    /** Yields (in a task) until {@code done}; fails after 10 s. */
    private static void awaitInTask(BooleanSupplier done, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("waited 10 s for " + what);
            }
            Weft.yieldNow().await();
        }
    }

    /** Starts a plain thread that, once {@code when} holds (checked yielding, at most 10 s), runs {@code then}. */
    private static Thread once(BooleanSupplier when, Runnable then) {
        return Thread.ofPlatform().name("spsc-spin-watcher").start(() -> {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!when.getAsBoolean() && System.nanoTime() - deadline < 0) {
                Thread.yield();
            }
            then.run();
        });
    }

    @Test
    void aRecvWhoseSendersExecutorSleepsSuspendsWithoutSpinning() throws Exception {
        SpscChannel<String> ch = SpscChannel.create(8);
        Oneshot<String> go = Oneshot.create();
        AtomicReference<Worker> senderExecutor = new AtomicReference<>();
        AtomicReference<Worker> receiverExecutor = new AtomicReference<>();
        AtomicBoolean receiving = new AtomicBoolean();
        Thread watcher = once(() -> receiving.get() && !receiverExecutor.get().awake(), () -> go.send("go"));
        List<Object> out = OnExecutors.run("spsc-spin-asleep", 2, 30, e -> e == 0 ? () -> {
            senderExecutor.set(Worker.currentOrNull());
            ch.sender().send("a").await();
            go.recv().await(); // executor 0 parks here
            ch.sender().send("b").await();
            return null;
        } : () -> {
            receiverExecutor.set(Worker.currentOrNull());
            assertThat(ch.receiver().recv().await()).isEqualTo("a");
            awaitInTask(() -> senderExecutor.get() != null && !senderExecutor.get().awake(), "executor 0 to park");
            long rounds = ch.recvSpinRounds;
            long givenUp = ch.recvSpinsGivenUp;
            receiving.set(true);
            String b = ch.receiver().recv().await(); // empty, the sender's executor asleep: suspends at once
            assertThat(ch.recvSpinRounds - rounds).as("spins while the sender's executor slept").isZero();
            assertThat(ch.recvSpinsGivenUp - givenUp).as("spins given up").isEqualTo(1);
            return b;
        });
        watcher.join();
        assertThat(out.get(1)).isEqualTo("b");
    }

    @Test
    void aSendWhoseReceiversExecutorSleepsSuspendsWithoutSpinning() throws Exception {
        SpscChannel<String> ch = SpscChannel.create(1);
        Oneshot<String> go = Oneshot.create();
        AtomicReference<Worker> senderExecutor = new AtomicReference<>();
        AtomicReference<Worker> receiverExecutor = new AtomicReference<>();
        AtomicBoolean sending = new AtomicBoolean();
        Thread watcher = once(() -> sending.get() && !senderExecutor.get().awake(), () -> go.send("go"));
        List<Object> out = OnExecutors.run("spsc-spin-full", 2, 30, e -> e == 0 ? () -> {
            senderExecutor.set(Worker.currentOrNull());
            awaitInTask(() -> receiverExecutor.get() != null && !receiverExecutor.get().awake(), "executor 1 to park");
            ch.sender().send("a").await(); // the ring is full
            long rounds = ch.sendSpinRounds;
            long givenUp = ch.sendSpinsGivenUp;
            sending.set(true);
            ch.sender().send("b").await(); // full, the receiver's executor asleep: suspends at once
            assertThat(ch.sendSpinRounds - rounds).as("spins while the receiver's executor slept").isZero();
            assertThat(ch.sendSpinsGivenUp - givenUp).as("spins given up").isEqualTo(1);
            return null;
        } : () -> {
            assertThat(ch.receiver().tryRecv()).as("binds the receiving side; nothing sent yet").isNull();
            receiverExecutor.set(Worker.currentOrNull());
            go.recv().await(); // executor 1 parks here
            return ch.receiver().recv().await() + ch.receiver().recv().await();
        });
        watcher.join();
        assertThat(out.get(1)).isEqualTo("ab");
    }

    /**
     * The sender's executor is awake (its task busy-waits for a flag), and a
     * second task is ready on the receiver's executor: the recv suspends at
     * once so that task runs; it is the one that raises the flag.
     */
    @Test
    void aRecvDoesNotSpinWhileAnotherTaskOfItsExecutorIsReady() throws Exception {
        SpscChannel<String> ch = SpscChannel.create(8);
        AtomicBoolean release = new AtomicBoolean();
        List<Object> out = OnExecutors.run("spsc-spin-others", 2, 30, e -> e == 0 ? () -> {
            ch.sender().trySend("bind");
            while (!release.get()) {
                Thread.onSpinWait(); // awake and busy: a value may come any moment
            }
            ch.sender().send("b").await();
            return null;
        } : () -> {
            assertThat(ch.receiver().recv().await()).isEqualTo("bind");
            long rounds = ch.recvSpinRounds;
            Weft.spawn(() -> release.set(true)); // ready behind this task
            String b = ch.receiver().recv().await();
            assertThat(ch.recvSpinRounds - rounds).as("spins while another task was ready").isZero();
            return b;
        });
        assertThat(out.get(1)).isEqualTo("b");
    }

    /**
     * The sender's executor is awake but sends nothing: the recv spins, then
     * gives up and suspends (without the time limit it would spin until the
     * test's deadline: only a parked receiver's executor lets the sender go).
     */
    @Test
    void aSpinEndsWhenNothingComes() throws Exception {
        SpscChannel<String> ch = SpscChannel.create(8);
        AtomicBoolean release = new AtomicBoolean();
        AtomicBoolean receiving = new AtomicBoolean();
        AtomicReference<Worker> receiverExecutor = new AtomicReference<>();
        Thread watcher = once(() -> receiving.get() && !receiverExecutor.get().awake(), () -> release.set(true));
        List<Object> out = OnExecutors.run("spsc-spin-ends", 2, 30, e -> e == 0 ? () -> {
            ch.sender().trySend("bind");
            while (!release.get()) {
                Thread.onSpinWait();
            }
            ch.sender().send("b").await();
            return null;
        } : () -> {
            receiverExecutor.set(Worker.currentOrNull());
            assertThat(ch.receiver().recv().await()).isEqualTo("bind");
            long rounds = ch.recvSpinRounds;
            long givenUp = ch.recvSpinsGivenUp;
            receiving.set(true);
            String b = ch.receiver().recv().await();
            assertThat(ch.recvSpinRounds - rounds).as("spins while the sender's executor was awake").isPositive();
            assertThat(ch.recvSpinsGivenUp - givenUp).as("spins given up").isEqualTo(1);
            return b;
        });
        watcher.join();
        assertThat(out.get(1)).isEqualTo("b");
    }

    /**
     * The sender's executor stays awake and sends only once the receiver's
     * executor has parked, so every spin of the receiver runs out: after
     * three such spins in a row, the receiver spins only once in eight waits
     * (the other seven suspend at once), where it spun every time, holding a
     * CPU the sender might be waiting for.
     */
    @Test
    void afterThreeFruitlessSpinsOnlyOneWaitInEightSpins() throws Exception {
        final int waits = 3 + 16;
        SpscChannel<Integer> ch = SpscChannel.create(8);
        java.util.concurrent.atomic.AtomicInteger waiting = new java.util.concurrent.atomic.AtomicInteger();
        AtomicReference<Worker> receiverExecutor = new AtomicReference<>();
        List<Object> out = OnExecutors.run("spsc-spin-backoff", 2, 30, e -> e == 0 ? () -> {
            ch.sender().trySend(0);
            for (int k = 1; k <= waits; k++) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (waiting.get() != k || receiverExecutor.get().awake()) { // awake, sending nothing
                    assertThat(System.nanoTime() - deadline).as("the receiver's wait %d", k).isNegative();
                    Thread.onSpinWait();
                }
                assertThat(ch.sender().trySend(k)).isTrue();
            }
            return null;
        } : () -> {
            receiverExecutor.set(Worker.currentOrNull());
            assertThat(ch.receiver().recv().await()).isZero();
            StringBuilder spun = new StringBuilder();
            for (int k = 1; k <= waits; k++) {
                long rounds = ch.recvSpinRounds;
                waiting.set(k);
                assertThat(ch.receiver().recv().await()).isEqualTo(k);
                spun.append(ch.recvSpinRounds > rounds ? 'S' : '-');
            }
            return spun.toString();
        });
        assertThat(out.get(1)).as("S: the wait spun").isEqualTo("SSS" + "-------S" + "-------S");
    }
}
