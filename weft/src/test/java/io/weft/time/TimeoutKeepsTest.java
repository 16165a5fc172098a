package io.weft.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.Context;
import io.weft.ExecutorKind;
import io.weft.Future;
import io.weft.Futures;
import io.weft.JoinHandle;
import io.weft.Poll;
import io.weft.Weft;
import io.weft.sync.Channel;
import io.weft.sync.Semaphore;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a Timeout keeps, on every executor kind: a refused await leaves no
 * waiter behind, a spent budget does not make a waiting value lose to the
 * deadline, an elapsed sleep spends budget, and a task's output that a
 * Timeout passes on is not a failed join's to close.
 */
@ParameterizedClass
@EnumSource(ExecutorKind.class)
class TimeoutKeepsTest {
    private final ExecutorKind kind;

    TimeoutKeepsTest(ExecutorKind kind) {
        this.kind = kind;
    }

    @Test
    void aTimeoutAwaitedFromAPlainThreadIsRefusedAndLeavesNoWaiterOnItsInnerFuture() {
        try (var ex = kind.open()) {
            Semaphore sem = Semaphore.create(1);
            Semaphore.Permit held = sem.tryAcquire();
            Timeout<Semaphore.Permit> t = ex.run(() -> Timeout.of(Duration.ofHours(1), sem.acquire()));
            assertThatThrownBy(t::await).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("plain thread");
            held.close();
            assertThat(sem.tryAcquire()).as("the permit went to nobody's waiter").isNotNull();
        }
    }

    @Test
    void aValueWaitingWhenTheBudgetIsSpentWinsOverAnElapsedDeadline() {
        try (var ex = kind.open()) {
            String v = ex.run(() -> {
                Channel<String> ch = Channel.bounded(1);
                ch.sender().trySend("x");
                Timeout<String> t = Timeout.at(Weft.clock().nanoTime(), ch.receiver().recv()); // its deadline has come
                Future<String> spendFirst = new Future<>() {
                    private boolean spent;

                    @Override
                    public Poll<String> poll(Context cx) {
                        if (!spent) {
                            spent = true;
                            while (cx.consumeBudget()) {
                                // the poll's budget, spent before the Timeout's first poll
                            }
                        }
                        return t.poll(cx);
                    }
                };
                return spendFirst.await();
            });
            assertThat(v).isEqualTo("x");
        }
    }

    @Test
    void aLoopOfElapsedSleepsLetsTheOtherTasksRun() {
        try (var ex = kind.open()) {
            int turns = ex.run(() -> {
                java.util.concurrent.atomic.AtomicBoolean ran = new java.util.concurrent.atomic.AtomicBoolean();
                JoinHandle<Void> other = Weft.spawn(() -> ran.set(true));
                int n = 0;
                while (n < 100_000 && !ran.get()) {
                    Weft.sleep(Duration.ZERO).await();
                    n++;
                }
                other.await();
                return n;
            });
            assertThat(turns).as("elapsed sleeps awaited before the other task ran").isLessThan(100_000);
        }
    }

    @Test
    void aTasksOutputPassedOnByATimeoutIsNotClosedByAFailedJoin() {
        try (var ex = kind.open()) {
            AtomicInteger closes = new AtomicInteger();
            AutoCloseable out = closes::incrementAndGet;
            AutoCloseable got = ex.run(() -> {
                JoinHandle<AutoCloseable> h = Weft.spawn(() -> out);
                h.await();
                Future<Object> fails = Futures.failed(new IllegalArgumentException("second child"));
                assertThatThrownBy(() -> Futures.join(Timeout.of(Duration.ofHours(1), h), fails).await())
                        .hasMessage("second child");
                return h.await();
            });
            assertThat(got).isSameAs(out);
            assertThat(closes).as("the task's output is every waiter's, not the join's to close").hasValue(0);
        }
    }
}
