package io.weft.io;

import io.weft.CancellableFuture;
import io.weft.Context;
import io.weft.Driver;
import io.weft.Poll;
import io.weft.net.SocketOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

/**
 * The portable driver: a {@link Selector} and non-blocking channels, only
 * java.nio, so it runs wherever the JDK does (macOS, Windows, sandboxes
 * that refuse io_uring and epoll). TCP and Unix domain stream sockets, and
 * UDP.
 *
 * <p>It works as the epoll driver does (see {@link NioSocket}): each socket
 * caches the readiness it believes in, an op tries its call while its bit is
 * set and on "would block" clears the bit and waits. The selector is level
 * triggered, so a key's interest set holds only what a waiting op needs and
 * is not believed ready; an idle socket has an empty interest set and costs
 * the selector nothing.
 *
 * <p>Closing: java.nio closes the descriptor of a channel registered with a
 * selector only when a later selection flushes its cancelled key. Until
 * then a listener's port still takes connections, and a connected TCP
 * socket is only shut down for output (JDK 25 also turns a positive
 * SO_LINGER off). {@link #closeChannel} therefore cancels the key, selects
 * at once to flush it, then closes the unregistered channel: when
 * {@code close()} returns the descriptor is closed, its port is free, and
 * SO_LINGER acts as on the descriptor drivers (0 resets the connection; a
 * positive linger makes close(2) wait, on the loop thread, as there).
 *
 * <p>Thread contract: {@link #wakeup()} from any thread
 * ({@link Selector#wakeup()}); everything else on the loop thread.
 */
public final class NioDriver extends IoDriver {
    /** The size of the direct bounce buffer heap memory is read into and written from, one call at a time. */
    static final int BOUNCE = 64 * 1024;

    private final Selector selector;
    private final Consumer<SelectionKey> onKey = this::selected;
    private ByteBuffer bounce;
    private int waiting;
    private int woken;
    private boolean closed;

    private NioDriver(Selector selector) {
        this.selector = selector;
    }

    /** A new selector (the caller's thread is the loop thread until {@link #bindTo}). */
    public static NioDriver open() throws IOException {
        return new NioDriver(Selector.open());
    }

    @Override
    public Driver kind() {
        return Driver.NIO;
    }

    void checkThread() {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("a socket of the executor on thread " + owner.getName()
                    + " was used from thread " + Thread.currentThread().getName()
                    + ": sockets belong to the executor (or the StealingExecutor worker) that made them;"
                    + " hand a stream to another with detach() and attach()");
        }
    }

    // ---- ops ----

    /** Runs {@code op}: ready with its value, or pending with {@code cx}'s waker kept. */
    <T> Poll<T> pollOp(NioOp<T> op, Context cx) {
        checkThread();
        if (op.state == NioOp.DONE || op.state == NioOp.CANCELLED) {
            throw new IllegalStateException("I/O operation polled after it "
                    + (op.state == NioOp.DONE ? "completed" : "was cancelled"));
        }
        NioSocket s = op.socket;
        if (s.closed) {
            boolean wasWaiting = op.state == NioOp.WAITING;
            finish(op);
            op.failed();
            throw new UncheckedIOException(wasWaiting ? new AsynchronousCloseException() : new ClosedChannelException());
        }
        T now = op.immediate(); // a waiting op too: bytes unread while it waited come first
        if (now != null) {
            finish(op);
            return Poll.ready(now);
        }
        if (!cx.consumeBudget()) {
            return Poll.pending(); // budget spent: the task was woken to run again later
        }
        int interest = op.interest();
        if ((s.readiness & interest) != 0) {
            T v;
            try {
                v = op.attempt();
            } catch (IOException e) {
                finish(op);
                op.failed();
                throw NioSocket.failure(op.call(), e);
            } catch (RuntimeException e) {
                finish(op);
                op.failed();
                throw e;
            }
            if (v != null) {
                finish(op);
                return Poll.ready(v);
            }
            s.readiness &= ~interest; // would block: wait until the selector says otherwise
        }
        op.waker = cx.waker();
        if (op.state == NioOp.NEW) {
            op.state = NioOp.WAITING;
            s.waiters.add(op);
            waiting++;
        }
        s.updateInterest();
        return Poll.pending();
    }

    private void finish(NioOp<?> op) {
        leave(op);
        op.state = NioOp.DONE;
    }

    /** Gives up {@code op} (NEW or WAITING). */
    void cancelOp(NioOp<?> op) {
        checkThread();
        leave(op);
        op.state = NioOp.CANCELLED;
    }

    private void leave(NioOp<?> op) {
        if (op.state == NioOp.WAITING) {
            op.socket.waiters.remove(op);
            waiting--;
            op.socket.updateInterest();
        }
        op.waker = null;
    }

    /** A key was selected (inside a selection, loop thread). */
    private void selected(SelectionKey k) {
        NioSocket s = (NioSocket) k.attachment();
        if (!s.closed) {
            int n = s.selected(k.readyOps());
            woken += n;
            handled(n);
        }
    }

    // ---- the loop ----

    @Override
    public int poll() {
        if (closed) {
            return 0;
        }
        int before = woken;
        try {
            selector.selectNow(onKey);
        } catch (IOException e) {
            throw new IllegalStateException("selectNow: " + e.getMessage(), e);
        }
        return woken - before;
    }

    @Override
    public void park(long timeoutNanos) {
        if (closed) {
            return;
        }
        try {
            if (timeoutNanos < 0) {
                selector.select(onKey);
            } else if (timeoutNanos == 0) {
                selector.selectNow(onKey);
            } else {
                long ms = timeoutNanos / 1_000_000 + (timeoutNanos % 1_000_000 == 0 ? 0 : 1); // round up, no overflow
                selector.select(onKey, ms); // ms >= 1: select's 0 would mean "no limit"
            }
        } catch (IOException e) {
            throw new IllegalStateException("select: " + e.getMessage(), e);
        }
    }

    /**
     * Any thread. The selector keeps the wake until a selection uses it, so a
     * wake that comes just before the loop's select still ends it; the
     * executor's {@code sleeping} flag decides whether to call this at all.
     * A no-op once the selector is closed.
     */
    @Override
    public void wakeup() {
        selector.wakeup();
    }

    @Override
    public int pending() {
        return waiting;
    }

    /** Whether the selector is open (until {@link #close()}). */
    public boolean isOpen() {
        return selector.isOpen();
    }

    /** Closes every channel, then the selector. Pending ops fail with AsynchronousCloseException if polled. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        SelectionKey[] keys = selector.keys().toArray(new SelectionKey[0]);
        for (SelectionKey k : keys) {
            ((NioSocket) k.attachment()).closeWithDriver();
        }
        try {
            selector.close(); // deregisters every key: the channels can now close at once
        } catch (IOException e) {
            // nothing to do: the selector's own descriptors are released on the way out anyway
        }
        for (SelectionKey k : keys) {
            closeQuietly(k.channel());
        }
    }

    // ---- sockets ----

    /** Registers a new socket with an empty interest set. */
    private void register(NioSocket s) throws ClosedChannelException {
        s.key = s.channel.register(selector, 0, s);
    }

    /**
     * Closes {@code s}'s channel now (see the class comment): cancel its
     * key, select to flush it (keys that are ready meanwhile wake their
     * ops, as in {@link #poll()}), close the unregistered channel.
     */
    void closeChannel(NioSocket s) {
        s.key.cancel();
        if (!closed) {
            poll();
        }
        closeQuietly(s.channel);
    }

    /**
     * {@code s} leaves this driver open (it moves to another executor):
     * cancel its key and select to flush it, so that the selector neither
     * holds it nor closes the channel when this driver closes.
     */
    void deregister(NioSocket s) {
        s.key.cancel();
        if (!closed) {
            poll();
        }
    }

    private static void closeQuietly(java.nio.channels.Channel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // close(2) failing leaves nothing to undo, and the channel is closed either way
        }
    }

    /** A direct buffer of {@code len} bytes (at most {@link #BOUNCE}) for one synchronous call. */
    ByteBuffer bounce(int len) {
        if (bounce == null) {
            bounce = ByteBuffer.allocateDirect(BOUNCE);
        }
        return bounce.clear().limit(len);
    }

    /** Wraps a channel from accept. */
    NioStream adopt(SocketChannel ch, boolean outputShut) throws IOException {
        try {
            ch.configureBlocking(false);
            NioStream s = new NioStream(this, ch);
            s.outputShut = outputShut;
            register(s);
            return s;
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    /** The family for {@code a}: UNIX, INET or INET6 (null: the JDK's default, e.g. for an unresolved address). */
    private static ProtocolFamily family(SocketAddress a) {
        if (a instanceof UnixDomainSocketAddress) {
            return StandardProtocolFamily.UNIX;
        }
        if (a instanceof InetSocketAddress i) {
            if (i.getAddress() instanceof Inet4Address) {
                return StandardProtocolFamily.INET;
            }
            if (i.getAddress() instanceof Inet6Address) {
                return StandardProtocolFamily.INET6;
            }
        }
        return null;
    }

    /**
     * SO_REUSEADDR and SO_REUSEPORT as {@code options} ask, for an IP socket.
     * Where the JDK has no SO_REUSEPORT (Windows) asking for it fails with
     * EOPNOTSUPP, rather than binding a socket that cannot share its port.
     */
    private static void reuse(NetworkChannel ch, SocketAddress address, SocketOptions options) throws IOException {
        if (!(address instanceof InetSocketAddress)) {
            return;
        }
        ch.setOption(StandardSocketOptions.SO_REUSEADDR, options.reuseAddress());
        if (options.reusePort()) {
            if (!ch.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                throw NioErrors.socketError("setsockopt(SO_REUSEPORT) " + NioErrors.describe(address), "EOPNOTSUPP",
                        "SO_REUSEPORT is not supported on this platform");
            }
            ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
        }
    }

    @Override
    public ListenerHandle listen(SocketAddress address, SocketOptions options) throws IOException {
        checkThread();
        ProtocolFamily f = family(address);
        String where = NioErrors.describe(address);
        ServerSocketChannel ch;
        try {
            ch = f == null ? ServerSocketChannel.open() : ServerSocketChannel.open(f);
        } catch (IOException e) {
            throw NioErrors.rename("socket (listen " + where + ")", e);
        }
        try {
            reuse(ch, address, options);
            try {
                ch.bind(address, options.backlog());
            } catch (IOException e) {
                throw NioErrors.rename("bind " + where, e);
            }
            ch.configureBlocking(false);
            NioListener l = new NioListener(this, ch);
            register(l);
            return l;
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    @Override
    public CancellableFuture<StreamHandle> connect(SocketAddress address, SocketOptions options) {
        checkThread();
        ProtocolFamily f = family(address);
        SocketChannel ch;
        try {
            ch = f == null ? SocketChannel.open() : SocketChannel.open(f);
        } catch (IOException e) {
            return IoFutures.failed(NioErrors.rename("socket (connect " + NioErrors.describe(address) + ")", e));
        }
        try {
            ch.configureBlocking(false);
            if (options.noDelay() && address instanceof InetSocketAddress) {
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
            NioStream s = new NioStream(this, ch);
            register(s);
            return new NioStream.ConnectOp(s, address);
        } catch (IOException e) {
            closeQuietly(ch);
            return IoFutures.failed(NioErrors.rename("connect " + NioErrors.describe(address), e));
        }
    }

    @Override
    public DatagramHandle bindDatagram(SocketAddress address, SocketOptions options) throws IOException {
        checkThread();
        ProtocolFamily f = family(address);
        String where = NioErrors.describe(address);
        DatagramChannel ch;
        try {
            ch = f == null ? DatagramChannel.open() : DatagramChannel.open(f);
        } catch (IOException e) {
            throw NioErrors.rename("socket (datagram " + where + ")", e);
        }
        try {
            reuse(ch, address, options);
            try {
                ch.bind(address);
            } catch (IOException e) {
                throw NioErrors.rename("bind " + where, e);
            }
            ch.configureBlocking(false);
            NioDatagram d = new NioDatagram(this, ch);
            register(d);
            return d;
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    @Override
    public String toString() {
        return "NioDriver[sockets=" + (closed ? 0 : selector.keys().size()) + ", waiting=" + waiting
                + (closed ? ", closed]" : "]");
    }
}
