package io.weft;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.time.Timeout;
import java.time.Duration;

/**
 * A coroutine task polls weft's own leaf futures with its worker's scratch
 * context, pointed at itself for that poll; any other future gets a context
 * of the task's own, which it may keep. A context kept by a user's future
 * wakes its own task later, whatever other tasks awaited meanwhile.
 */
class ContextKeptTest {

    /** Pending until {@link #ready}; keeps the context it was last polled with, as a hand-written future may. */
    static final class Keeper implements Future<Integer> {
        volatile Context kept;
        volatile boolean ready;

        @Override
        public Poll<Integer> poll(Context cx) {
            if (ready) {
                return Poll.ready(7);
            }
            kept = cx;
            return Poll.pending();
        }
    }

    @EveryKind
    void aContextKeptByAUsersFutureWakesItsOwnTaskAfterOthersAwaitedWeftsFutures(ExecutorKind kind) {
        try (var ex = kind.open()) {
            int got = ex.run(() -> {
                Keeper k = new Keeper();
                JoinHandle<Integer> a = Weft.spawn(() -> k.await());
                while (k.kept == null) {
                    Weft.yieldNow().await();
                }
                JoinHandle<Void> b = Weft.spawn(() -> {
                    for (int i = 0; i < 100; i++) {
                        Weft.yieldNow().await();
                    }
                    return null;
                });
                b.await();
                for (int i = 0; i < 10; i++) {
                    Weft.yieldNow().await();
                }
                k.ready = true;
                k.kept.waker().wake(); // the waker of the task that awaits k, whoever polled a leaf future since
                return Timeout.of(Duration.ofSeconds(10), a).await();
            });
            assertThat(got).isEqualTo(7);
        }
    }
}
