package io.weft.net;

/**
 * Options applied when a socket is made. {@code backlog} is for listeners
 * (default 1024); {@code reuseAddress} (SO_REUSEADDR) defaults to true, as
 * in most servers; {@code reusePort} (SO_REUSEPORT) lets several listeners,
 * e.g. one per executor, share a port; {@code noDelay} (TCP_NODELAY) is for
 * connecting sockets.
 */
public record SocketOptions(int backlog, boolean reuseAddress, boolean reusePort, boolean noDelay) {

    public static final SocketOptions DEFAULT = new SocketOptions(1024, true, false, false);

    public SocketOptions {
        if (backlog <= 0) {
            throw new IllegalArgumentException("backlog must be positive: " + backlog);
        }
    }

    public SocketOptions withBacklog(int n) {
        return new SocketOptions(n, reuseAddress, reusePort, noDelay);
    }

    public SocketOptions withReuseAddress(boolean on) {
        return new SocketOptions(backlog, on, reusePort, noDelay);
    }

    public SocketOptions withReusePort(boolean on) {
        return new SocketOptions(backlog, reuseAddress, on, noDelay);
    }

    public SocketOptions withNoDelay(boolean on) {
        return new SocketOptions(backlog, reuseAddress, reusePort, on);
    }
}
