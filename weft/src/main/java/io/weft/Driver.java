package io.weft;

/**
 * The reactor of an executor: how it waits for I/O, timers and wakes from
 * other threads. Chosen when the executor first needs it: the builder's
 * {@link LocalExecutor.Builder#driver(Driver)}, else the system property
 * {@code weft.driver=uring|epoll|nio}, else the first of {@link #URING},
 * {@link #EPOLL}, {@link #NIO} that this machine allows. Why a driver was
 * passed over is logged once through System.Logger "io.weft".
 */
public enum Driver {
    /** Linux io_uring: operations are submitted to the kernel and complete there. */
    URING,
    /** Linux epoll: non-blocking system calls, retried when the descriptor is ready. */
    EPOLL,
    /** {@code java.nio.channels.Selector}: works wherever the JDK runs. */
    NIO;

    /** The name used by the {@code weft.driver} property. */
    public String propertyName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
