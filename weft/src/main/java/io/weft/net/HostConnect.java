package io.weft.net;

import io.weft.CancellableFuture;
import io.weft.Context;
import io.weft.Poll;
import io.weft.TaskFailedException;
import io.weft.executor.Worker;
import io.weft.task.Task;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code TcpStream.connect} to a host name: the name is resolved on the
 * blocking pool ({@link InetAddress#getAllByName}, which may wait for DNS;
 * never on the executor's thread), then each address is tried in the
 * resolver's order until one connects. If all fail, the last failure is
 * thrown with the earlier ones suppressed.
 *
 * <p>States: NEW (nothing started; the lookup starts at the first poll, as
 * every operation of a socket starts there), RESOLVING (the lookup, a
 * blocking task, runs or waits for a pool thread), CONNECTING (the
 * connect to {@code addresses[next - 1]} is pending), DONE (a poll returned
 * or threw), CANCELLED. Loop thread only: made and polled by a task of one
 * executor.
 *
 * <p><b>Cancel safety:</b> while RESOLVING the lookup is aborted (one still
 * queued never runs; a running one is interrupted and its answer dropped:
 * nothing was opened); while CONNECTING that connect is cancelled, which
 * closes its socket. Nothing is left open.
 */
final class HostConnect implements CancellableFuture<TcpStream> {

    /** How names become addresses: {@link InetAddress#getAllByName} but for tests. */
    @FunctionalInterface
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    static final Resolver SYSTEM = InetAddress::getAllByName;
    /**
     * The resolver of lookups started from now on; tests put their own (and
     * put {@link #SYSTEM} back). Always called on a blocking pool thread.
     */
    static volatile Resolver resolver = SYSTEM;

    private static final int NEW = 0, RESOLVING = 1, CONNECTING = 2, DONE = 3, CANCELLED = 4;

    private final Worker executor;
    private final String host;
    private final int port;
    private final SocketOptions options;
    private int state = NEW;
    private Task<InetAddress[]> lookup;
    private InetAddress[] addresses;
    private int next;
    private CancellableFuture<TcpStream> attempt;
    private List<UncheckedIOException> failures;

    HostConnect(Worker executor, String host, int port, SocketOptions options) {
        this.executor = executor;
        this.host = host;
        this.port = port;
        this.options = options;
    }

    /**
     * {@code host} as an address if it is an IP literal ({@code 10.0.0.1},
     * {@code ::1}, {@code [::1]}), which needs no lookup; else null.
     */
    static InetAddress literal(String host) {
        if (host.isEmpty() || !(Character.isDigit(host.charAt(0)) || host.charAt(0) == '[' || host.indexOf(':') >= 0)) {
            return null; // a name: host names have no ':' and, as literals, start with a digit
        }
        try {
            return InetAddress.ofLiteral(host);
        } catch (IllegalArgumentException notALiteral) { // a name that starts with a digit ("3com.com")
            return null;
        }
    }

    @Override
    public Poll<TcpStream> poll(Context cx) {
        switch (state) {
            case DONE, CANCELLED -> throw new IllegalStateException("connect " + where() + " polled after it "
                    + (state == DONE ? "completed" : "was cancelled") + " (state " + state + ")");
            case NEW -> {
                Resolver r = resolver;
                String h = host;
                lookup = executor.spawnBlocking("resolve " + host, () -> r.resolve(h));
                state = RESOLVING;
            }
            default -> {
            }
        }
        if (state == RESOLVING) {
            Poll<InetAddress[]> p;
            try {
                p = lookup.poll(cx);
            } catch (TaskFailedException e) {
                finish();
                throw lookupFailed(e.getCause());
            } catch (RuntimeException e) {
                finish();
                throw e;
            }
            if (!p.isReady()) {
                return Poll.pending();
            }
            lookup = null;
            addresses = p.get();
            if (addresses == null || addresses.length == 0) {
                finish();
                throw unknownHost(new UnknownHostException(host + ": the resolver gave no address"));
            }
            state = CONNECTING;
            attempt = connectTo(addresses[next++]);
        }
        for (;;) {
            Poll<TcpStream> p;
            try {
                p = attempt.poll(cx);
            } catch (UncheckedIOException e) { // this address failed: the next one, or the last failure
                if (next < addresses.length) {
                    (failures == null ? failures = new ArrayList<>() : failures).add(e);
                    attempt = connectTo(addresses[next++]);
                    continue;
                }
                finish();
                if (failures != null) {
                    failures.forEach(e::addSuppressed);
                }
                throw e;
            } catch (RuntimeException e) {
                finish();
                throw e;
            }
            if (p.isReady()) {
                finish();
            }
            return p;
        }
    }

    private CancellableFuture<TcpStream> connectTo(InetAddress a) {
        try {
            return TcpStream.connectResolved(new InetSocketAddress(a, port), options);
        } catch (RuntimeException e) {
            finish();
            throw e;
        }
    }

    private void finish() {
        state = DONE;
        lookup = null;
        attempt = null;
    }

    /** What the lookup threw, as connect throws it: an unknown host is an UncheckedIOException. */
    private RuntimeException lookupFailed(Throwable cause) {
        if (cause instanceof UnknownHostException u) {
            return unknownHost(u);
        }
        if (cause instanceof IOException io) {
            return new UncheckedIOException("connect " + where() + ": resolving " + host + " failed: " + io, io);
        }
        if (cause instanceof RuntimeException r) {
            return r;
        }
        if (cause instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("connect " + where() + ": resolving " + host + " failed", cause);
    }

    private UncheckedIOException unknownHost(UnknownHostException u) {
        UnknownHostException named = u;
        String m = u.getMessage();
        if (m == null || !m.contains(host)) {
            named = new UnknownHostException(host + (m != null ? ": " + m : ""));
            named.initCause(u);
        }
        return new UncheckedIOException("connect " + where() + ": unknown host: " + named.getMessage(), named);
    }

    /** See the class docs, "Cancel safety". Nothing once a poll returned or threw. */
    @Override
    public void cancel() {
        switch (state) {
            case RESOLVING -> lookup.cancel(); // abort: never runs if queued, interrupted if running
            case CONNECTING -> attempt.cancel(); // closes its socket
            case NEW -> {
                // nothing started
            }
            default -> {
                return; // DONE, CANCELLED: nothing to give up
            }
        }
        lookup = null;
        attempt = null;
        state = CANCELLED;
    }

    /** Resolved, and a connect to one of the addresses is pending (for tests). */
    boolean isConnecting() {
        return state == CONNECTING;
    }

    private String where() {
        return host + ":" + port;
    }

    @Override
    public String toString() {
        return "connect " + where();
    }
}
