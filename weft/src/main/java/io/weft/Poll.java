package io.weft;

/**
 * The answer of {@link Future#poll}: ready with a value, or pending.
 * {@link #pending()} is a shared instance and allocates nothing.
 */
public final class Poll<T> {
    private static final Poll<?> PENDING = new Poll<>(false, null);
    private static final Poll<?> READY_NULL = new Poll<>(true, null);

    private final boolean ready;
    private final T value;

    private Poll(boolean ready, T value) {
        this.ready = ready;
        this.value = value;
    }

    @SuppressWarnings("unchecked")
    public static <T> Poll<T> pending() {
        return (Poll<T>) PENDING;
    }

    /** A ready poll; {@code ready(null)} is a shared instance. */
    @SuppressWarnings("unchecked")
    public static <T> Poll<T> ready(T value) {
        return value == null ? (Poll<T>) READY_NULL : new Poll<>(true, value);
    }

    public boolean isReady() {
        return ready;
    }

    /** The value of a ready poll. */
    public T get() {
        if (!ready) {
            throw new IllegalStateException("Poll.get() on a pending poll");
        }
        return value;
    }

    @Override
    public String toString() {
        return ready ? "Ready(" + value + ")" : "Pending";
    }
}
