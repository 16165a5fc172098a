package io.weft.net;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;

/** Checks of the addresses handed to the socket calls, at the call, before any descriptor opens: alike on every driver. */
final class Addresses {
    /** The kernel's {@code sun_path} holds 108 bytes, its terminating zero among them. */
    static final int MAX_UNIX_PATH_BYTES = 107;

    private Addresses() {
    }

    /** {@code a}, which must be a resolved InetSocketAddress; {@code call} names the call in the error. */
    static InetSocketAddress resolved(SocketAddress a, String call) {
        if (!(a instanceof InetSocketAddress i)) {
            throw new IllegalArgumentException(call + " needs an InetSocketAddress, got " + a
                    + (a instanceof UnixDomainSocketAddress ? " (Unix domain sockets: UnixListener, UnixStream)" : ""));
        }
        if (i.isUnresolved()) {
            throw new IllegalArgumentException(call + ": unresolved address " + i + ": resolve it first"
                    + " (new InetSocketAddress(host, port) resolves; a lookup may block, so make it off the executor)");
        }
        return i;
    }

    /** {@code a}, whose path must fit the kernel's; {@code call} names the call in the error. */
    static UnixDomainSocketAddress unix(UnixDomainSocketAddress a, String call) {
        if (a == null) {
            throw new NullPointerException("address");
        }
        int bytes = a.getPath().toString().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_UNIX_PATH_BYTES) {
            throw new IllegalArgumentException(call + ": the Unix socket path " + a.getPath() + " is " + bytes
                    + " bytes; the kernel takes at most " + MAX_UNIX_PATH_BYTES + " bytes (use a shorter or relative path)");
        }
        return a;
    }
}
