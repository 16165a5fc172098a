package io.weft.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.Clock;
import io.weft.JoinHandle;
import io.weft.LocalExecutor;
import io.weft.TaskCancelledException;
import io.weft.Weft;
import io.weft.executor.Worker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Timeout.of on a paused clock. */
class TimeoutTest {

    @Test
    void theTimeoutFiresAndAbortsTheInnerTaskWhoseFinallyRuns() {
        Clock.Paused clock = Clock.paused();
        try (var ex = LocalExecutor.builder().clock(clock).build()) {
            List<String> events = new ArrayList<>();
            ex.run(() -> {
                JoinHandle<String> inner = Weft.spawn(() -> {
                    try {
                        Weft.sleep(Duration.ofHours(1)).await();
                        return "inner done";
                    } finally {
                        events.add("inner finally at " + Weft.clock().nanoTime());
                    }
                });
                assertThatThrownBy(() -> Timeout.of(Duration.ofSeconds(2), inner).await())
                        .isInstanceOf(TimedOutException.class)
                        .hasCauseInstanceOf(TimeoutException.class);
                events.add("timed out at " + Weft.clock().nanoTime());
                assertThatThrownBy(inner::await).isInstanceOf(TaskCancelledException.class);
                events.add("timers armed: " + Worker.current("test").timers().size());
                return null;
            });
            assertThat(events).containsExactly(
                    "timed out at 2000000000",
                    "inner finally at 2000000000",
                    "timers armed: 0");
        }
    }

    @Test
    void theValueIsReturnedWhenTheInnerFutureWins() {
        Clock.Paused clock = Clock.paused();
        try (var ex = LocalExecutor.builder().clock(clock).build()) {
            int[] armedAfter = new int[1];
            String v = ex.run(() -> {
                JoinHandle<String> inner = Weft.spawn(() -> {
                    Weft.sleep(Duration.ofSeconds(1)).await();
                    return "inner done";
                });
                String r = Timeout.of(Duration.ofSeconds(2), inner).await();
                armedAfter[0] = Worker.current("test").timers().size();
                return r;
            });
            assertThat(v).isEqualTo("inner done");
            assertThat(armedAfter[0]).as("the timeout's timer was cancelled when the value came").isZero();
            assertThat(clock.nanoTime()).as("virtual time never reached the timeout").isEqualTo(1_000_000_000L);
        }
    }

    @Test
    void anInnerFutureReadyAtTheDeadlineWins() {
        Clock.Paused clock = Clock.paused();
        try (var ex = LocalExecutor.builder().clock(clock).build()) {
            String v = ex.run(() -> Timeout.of(Duration.ofSeconds(1), Weft.sleep(Duration.ofSeconds(1)).map(x -> "tie"))
                    .await());
            assertThat(v).isEqualTo("tie");
        }
    }

    @Test
    void aTimeoutOfASleepCancelsTheSleepsTimer() {
        Clock.Paused clock = Clock.paused();
        try (var ex = LocalExecutor.builder().clock(clock).build()) {
            int armed = ex.run(() -> {
                Sleep inner = (Sleep) Weft.sleep(Duration.ofDays(1));
                assertThatThrownBy(() -> Timeout.of(Duration.ofMillis(5), inner).await())
                        .isInstanceOf(TimedOutException.class);
                return Worker.current("test").timers().size();
            });
            assertThat(armed).isZero();
            assertThat(clock.nanoTime()).isEqualTo(5_000_000L);
        }
    }

    @Test
    void aTaskAbortedWhileAwaitingATimeoutFreesTheTimeoutsTimer() {
        Clock.Paused clock = Clock.paused();
        try (var ex = LocalExecutor.builder().clock(clock).build()) {
            int armed = ex.run(() -> {
                var never = new io.weft.Future<String>() {
                    @Override
                    public io.weft.Poll<String> poll(io.weft.Context cx) {
                        return io.weft.Poll.pending();
                    }
                };
                var h = Weft.spawn(() -> Timeout.of(Duration.ofHours(1), never).await());
                Weft.yieldNow().await();
                h.abort();
                assertThatThrownBy(h::await).isInstanceOf(TaskCancelledException.class);
                return Worker.current("test").timers().size();
            });
            assertThat(armed).isZero();
            assertThat(clock.nanoTime()).isZero();
        }
    }
}
