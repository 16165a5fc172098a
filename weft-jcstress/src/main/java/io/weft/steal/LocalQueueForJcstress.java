package io.weft.steal;

/**
 * jcstress only (in weft's package, from the weft-jcstress module): a
 * {@link LocalQueue} whose indices start just below the int wrap, so that a
 * test's few pushes and steals cross it as well as the end of the ring.
 */
public final class LocalQueueForJcstress {
    private LocalQueueForJcstress() {
    }

    public static <T> LocalQueue<T> nearWrap(int capacity) {
        return new LocalQueue<>(capacity, Integer.MAX_VALUE - 1);
    }
}
