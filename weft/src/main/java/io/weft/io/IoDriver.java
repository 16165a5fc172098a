package io.weft.io;

import io.weft.CancellableFuture;
import io.weft.Driver;
import io.weft.net.SocketOptions;
import java.io.IOException;
import java.net.SocketAddress;

/**
 * The reactor of one executor. Every method except {@link #wakeup()} is
 * called on the executor's loop thread only; the driver owns its kernel
 * objects (ring, epoll instance, selector) and closes them in
 * {@link #close()}.
 *
 * <p>The loop calls {@link #poll()} every 61 tasks and when idle, and
 * {@link #park(long)} instead of parking the thread when nothing is
 * runnable. A wake from another thread ({@link #wakeup()}) makes a
 * concurrent or the next {@code park} return.
 */
public abstract class IoDriver {
    /** The executor's loop thread; set by the executor each time its loop starts on a thread. */
    protected volatile Thread owner = Thread.currentThread();

    /** Completions and readiness events handled (the loop thread adds, opaquely; any thread reads). */
    private static final java.lang.invoke.VarHandle COMPLETIONS;

    static {
        try {
            COMPLETIONS = java.lang.invoke.MethodHandles.lookup().findVarHandle(IoDriver.class, "completions",
                    long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused")
    private long completions;

    /** The loop thread handled {@code n} completions or readiness events. */
    protected final void handled(int n) {
        if (n > 0) {
            COMPLETIONS.setOpaque(this, (long) COMPLETIONS.getOpaque(this) + n);
        }
    }

    /** Completions and readiness events handled so far; any thread. */
    public final long completions() {
        return (long) COMPLETIONS.getOpaque(this);
    }

    public abstract Driver kind();

    /** The executor's loop now runs on {@code loop} (each {@code run} may borrow a different thread). */
    public void bindTo(Thread loop) {
        owner = loop;
    }

    /** The thread the executor's loop runs on (between two runs: the one it last ran on). */
    public final Thread owner() {
        return owner;
    }

    /**
     * Submits what is queued and handles the events and completions that are
     * ready, without waiting. Returns how many it handled.
     */
    public abstract int poll();

    /**
     * Waits until an event or completion, {@code timeoutNanos} (negative: no
     * limit), or a {@link #wakeup()}; then handles what is ready, as
     * {@link #poll()}. May return early.
     */
    public abstract void park(long timeoutNanos);

    /** From any thread: makes the current or next {@link #park} return. */
    public abstract void wakeup();

    /**
     * Operations in flight in the kernel (completion drivers) or tasks
     * waiting for readiness; the loop does not jump a paused clock over
     * pending I/O without polling first.
     */
    public abstract int pending();

    /** Releases the kernel objects; operations still in flight are cancelled and reaped first. */
    public abstract void close();

    // ---- sockets ----

    /** A listening stream socket bound to {@code address} (TCP or Unix). */
    public abstract ListenerHandle listen(SocketAddress address, SocketOptions options) throws IOException;

    /** Connects a stream socket to {@code address}. */
    public abstract CancellableFuture<StreamHandle> connect(SocketAddress address, SocketOptions options);

    /**
     * Opens a file: on io_uring its reads, writes and fsync are operations
     * of the ring ({@link FdFile}); on the other drivers they run on the
     * {@link io.weft.blocking.BlockingPool} ({@link ChannelFile}).
     * {@code alignment} &gt; 1 opens with O_DIRECT.
     */
    public CancellableFuture<FileHandle> openFile(java.nio.file.Path path, java.util.Set<? extends java.nio.file.OpenOption> options,
                                       int alignment) {
        FileContract.checkOptions(options); // at the call, alike on every driver
        if (kind() == Driver.URING && this instanceof FdDriver fd) {
            return FdFile.open(fd, path, options, alignment > 1);
        }
        return ChannelFile.open(this, path, options, alignment);
    }

    /** A datagram socket bound to {@code address}. */
    public DatagramHandle bindDatagram(SocketAddress address, SocketOptions options) throws IOException {
        throw new UnsupportedOperationException("datagram sockets are not supported by the " + kind() + " driver");
    }
}
