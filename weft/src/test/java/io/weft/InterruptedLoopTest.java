package io.weft;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * An interrupt of the loop thread must not turn the idle loop into a spin
 * (an interrupted thread's park returns at once): the loop clears the flag
 * to park, and restores it when run returns.
 */
class InterruptedLoopTest {

    @Test
    void anInterruptedLoopStillParksAndTheFlagIsKept() {
        boolean flagAfter;
        long parks;
        try (LocalExecutor ex = LocalExecutor.create()) {
            ex.run(() -> {
                Thread.currentThread().interrupt();
                Weft.sleep(Duration.ofMillis(30)).await(); // the loop idles: a few timed parks, not thousands
                return null;
            });
            flagAfter = Thread.interrupted();
            parks = ex.stats().parks();
        }
        assertThat(flagAfter).as("the interrupt is kept for the caller").isTrue();
        assertThat(parks).as("parks while one 30 ms sleep waits").isBetween(1L, 20L);
    }
}
