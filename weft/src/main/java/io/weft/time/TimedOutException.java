package io.weft.time;

import java.util.concurrent.TimeoutException;

/**
 * What a {@link Timeout} throws from {@code poll}/{@code await()} when its
 * time is up. {@code Future.poll} cannot throw checked exceptions, so this is
 * an unchecked wrapper: its {@linkplain #getCause() cause} is always a
 * {@link TimeoutException} (use {@link #timeoutException()} to rethrow the
 * checked one).
 *
 * <pre>{@code
 * try {
 *     v = Timeout.of(Duration.ofSeconds(1), Weft.spawn(() -> slow())).await();
 * } catch (TimedOutException e) {
 *     // the spawned task has been aborted
 * }
 * }</pre>
 */
public final class TimedOutException extends RuntimeException {
    public TimedOutException(String message) {
        super(message, new TimeoutException(message));
    }

    /** The checked {@link TimeoutException} this exception wraps. */
    public TimeoutException timeoutException() {
        return (TimeoutException) getCause();
    }
}
