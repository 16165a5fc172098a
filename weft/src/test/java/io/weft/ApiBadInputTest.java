package io.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.sync.Broadcast;
import io.weft.sync.ChannelMesh;
import io.weft.sync.Semaphore;
import io.weft.sync.SpscChannel;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Bad input to the public API: a clear error at the call that names the problem, and nothing changed by it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ApiBadInputTest {

    /** blockOn from a task of another executor would park that executor's thread: refused, as a nested run is. */
    @Test
    void blockOnFromATaskOfAnotherExecutorIsRefused() {
        try (StealingExecutor st = StealingExecutor.builder().workers(1).build();
             LocalExecutor ex = LocalExecutor.create()) {
            assertThatThrownBy(() -> ex.run(() -> st.blockOn(() -> 1))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("blockOn").hasMessageContaining("would block");
            assertThat(st.blockOn(() -> 2)).as("the executor goes on").isEqualTo(2);
        }
    }

    /** A paused clock moved past what a deadline can count (~146 years) is refused: every later timer fired at once. */
    @Test
    void aPausedClockMovedBeyondAnyDeadlineIsRefused() {
        Clock.Paused c = Clock.paused();
        long before = c.nanoTime();
        assertThatThrownBy(() -> c.advance(ChronoUnit.FOREVER.getDuration()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("advance");
        assertThat(c.nanoTime()).as("unchanged").isEqualTo(before);
        try (LocalExecutor ex = LocalExecutor.builder().clock(c).build()) {
            ex.run(() -> Weft.sleep(Duration.ofHours(1)).await());
        }
        assertThat(c.nanoTime() - before).as("an hour's sleep, on the paused clock")
                .isGreaterThanOrEqualTo(Duration.ofHours(1).toNanos());
    }

    /**
     * One paused clock for two open executors: the second build is refused,
     * naming the first (whose loop would move the clock under the second's
     * running tasks); once the first closes, the clock may serve another.
     * Both builds used to succeed.
     */
    @Test
    void aPausedClockServesOneOpenExecutorAtATime() {
        Clock.Paused c = Clock.paused();
        try (LocalExecutor first = LocalExecutor.builder().name("first").clock(c).build()) {
            assertThatThrownBy(() -> LocalExecutor.builder().name("second").clock(c).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("executor second")
                    .hasMessageContaining("executor first").hasMessageContaining("of its own");
            assertThatThrownBy(() -> LocalExecutorPool.builder().executors(2).name("shared")
                    .configure(b -> b.clock(c)).build())
                    .isInstanceOf(IllegalStateException.class).hasRootCauseInstanceOf(IllegalArgumentException.class)
                    .hasStackTraceContaining("executor first");
            assertThat(first.run(() -> {
                Weft.sleep(Duration.ofHours(1)).await();
                return Weft.clock().nanoTime();
            })).as("the first goes on, on its clock").isGreaterThanOrEqualTo(Duration.ofHours(1).toNanos());
        }
        try (LocalExecutor next = LocalExecutor.builder().name("next").clock(c).build()) {
            long before = c.nanoTime();
            next.run(() -> Weft.sleep(Duration.ofMinutes(1)).await());
            assertThat(c.nanoTime() - before).as("the clock, free again, serves the next executor")
                    .isGreaterThanOrEqualTo(Duration.ofMinutes(1).toNanos());
        }
    }

    /** Capacities no array can hold: an IllegalArgumentException naming the capacity, not an OutOfMemoryError. */
    @Test
    void capacitiesNoArrayHoldsAreRefusedAtTheCall() {
        assertThatThrownBy(() -> SpscChannel.create(Integer.MAX_VALUE - 64))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capacity");
        assertThatThrownBy(() -> ChannelMesh.full(2, Integer.MAX_VALUE - 64))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capacity");
        assertThatThrownBy(() -> Broadcast.create(Integer.MAX_VALUE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capacity");
    }

    /** Free permits beyond Long.MAX_VALUE: an error that says so (it was a bare "long overflow"). */
    @Test
    void permitsBeyondLongMaxSaySo() {
        Semaphore s = Semaphore.create(Long.MAX_VALUE);
        assertThatThrownBy(() -> s.release(1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Long.MAX_VALUE");
        assertThat(s.availablePermits()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void zipOfANullFutureNamesIt() {
        assertThatThrownBy(() -> Futures.zip(null, Futures.ready(1), (x, y) -> x))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("future");
    }
}
