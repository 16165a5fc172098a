package io.weft.compose;

/** Rethrowing what a poll threw, as it is. */
public final class Sneaky {
    private Sneaky() {
    }

    /** Throws {@code t} as it is, checked or not (a poll may rethrow what a child threw). */
    @SuppressWarnings("unchecked")
    public static <E extends Throwable> RuntimeException rethrow(Throwable t) throws E {
        throw (E) t;
    }
}
