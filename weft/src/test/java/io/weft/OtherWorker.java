package io.weft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/** A test device for a StealingExecutor of two workers: a task made to start on the other worker. */
public final class OtherWorker {
    private OtherWorker() {
    }

    /**
     * Spawns {@code body} so that it starts on the other worker: the caller's
     * task holds its own worker (spinning, blocked in place) until the body
     * has started, after a second spawn displaced it from the LIFO slot into
     * the queue that the block in place hands to the other worker. Blocked in
     * place, this worker is never the one a first run is handed to
     * ({@code Spread}): a plain spin here could be handed the body (when the
     * other worker has 8 more tasks living on it), and wait for ever.
     */
    public static <T> JoinHandle<T> spawn(Callable<T> body) {
        String home = Thread.currentThread().getName();
        AtomicReference<String> startedOn = new AtomicReference<>();
        JoinHandle<T> h = Weft.spawn(() -> {
            startedOn.set(Thread.currentThread().getName());
            return body.call();
        });
        Weft.spawn(() -> { });
        Weft.blockInPlace(() -> {
            holdUntil(() -> startedOn.get() != null, "the task to start");
            return null;
        });
        assertThat(startedOn.get()).as("started on the other worker").isNotEqualTo(home);
        return h;
    }

    /** Holds the calling task's worker (spinning: no other task runs on it) until {@code done}; at most 30 s. */
    public static void holdUntil(BooleanSupplier done, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(done.getAsBoolean()).as("waited 30 s, holding the worker, for " + what).isTrue();
    }

    /** Yields (the worker runs its other tasks meanwhile) until {@code done}; at most 30 s. */
    public static void yieldUntil(BooleanSupplier done, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            Weft.yieldNow().await();
        }
        assertThat(done.getAsBoolean()).as("waited 30 s, yielding, for " + what).isTrue();
    }
}
