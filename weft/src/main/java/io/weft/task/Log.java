package io.weft.task;

/**
 * weft's logger ({@code "io.weft"}), made at the first message: starting
 * {@code System.Logger} takes about 10 ms of a cold JVM, which a static
 * logger field paid in every executor's first start, though a clean run
 * logs nothing.
 */
public final class Log {
    private Log() {
    }

    public static System.Logger get() {
        return Holder.LOG;
    }

    private static final class Holder {
        static final System.Logger LOG = System.getLogger("io.weft");
    }
}
