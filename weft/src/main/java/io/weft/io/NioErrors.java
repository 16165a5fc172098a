package io.weft.io;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;

/**
 * The exceptions of the nio driver, in the shape of the descriptor drivers'
 * ({@link io.weft.sys.Errno}): java.nio's message, which names neither the
 * call nor the errno ("Connection reset", "Broken pipe"), becomes
 * {@code "<call>: <ERRNO> (<java.nio's text>)"}, e.g.
 * {@code "read: ECONNRESET (Connection reset)"}. The rule:
 *
 * <ul>
 * <li>The exception is re-created with the new message and java.nio's as
 *     its cause.
 * <li>Its type is java.nio's when that is a subclass of SocketException
 *     (ConnectException, BindException, ...); else, when the text is one we
 *     know, the type the descriptor drivers use for that errno (a plain
 *     IOException "Broken pipe" becomes a SocketException); else java.nio's
 *     own type. So the result is always an instance of what java.nio threw.
 * <li>ClosedChannelException (and its subclasses) and types we cannot
 *     re-create are returned as they are.
 * </ul>
 *
 * The texts are the Linux and macOS strerror messages, the JDK's own short
 * forms, and the Windows texts of the same errors. No system call is made.
 */
final class NioErrors {
    private NioErrors() {
    }

    /** {text java.nio may throw (lower case), errno name}, most specific first. */
    private static final String[][] TEXTS = {
        {"connection reset", "ECONNRESET"},
        {"forcibly closed by the remote host", "ECONNRESET"},
        {"broken pipe", "EPIPE"},
        {"connection refused", "ECONNREFUSED"},
        {"actively refused", "ECONNREFUSED"},
        {"address already in use", "EADDRINUSE"},
        {"only one usage of each socket address", "EADDRINUSE"},
        {"cannot assign requested address", "EADDRNOTAVAIL"},
        {"can't assign requested address", "EADDRNOTAVAIL"},
        {"connection timed out", "ETIMEDOUT"},
        {"operation timed out", "ETIMEDOUT"},
        {"no route to host", "EHOSTUNREACH"},
        {"network is unreachable", "ENETUNREACH"},
        {"software caused connection abort", "ECONNABORTED"},
        {"connection was aborted", "ECONNABORTED"},
        {"not connected", "ENOTCONN"},
        {"too many open files", "EMFILE"},
        {"permission denied", "EACCES"},
        {"no such file or directory", "ENOENT"},
        {"protocol not available", "ENOPROTOOPT"},
        {"operation not supported", "EOPNOTSUPP"},
        {"address family not supported", "EAFNOSUPPORT"},
        {"invalid argument", "EINVAL"},
    };

    /** The errno name for one of java.nio's messages, or null. */
    static String errnoOf(String text) {
        if (text == null) {
            return null;
        }
        String t = text.toLowerCase(Locale.ROOT);
        for (String[] e : TEXTS) {
            if (t.contains(e[0])) {
                return e[1];
            }
        }
        return null;
    }

    /** {@code e}, thrown by java.nio for {@code call}, renamed by the rule above. */
    static IOException rename(String call, IOException e) {
        if (e instanceof ClosedChannelException) {
            return e;
        }
        String text = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        String errno = errnoOf(text);
        String msg = call + ": " + (errno != null ? errno + " (" + text + ")" : text);
        IOException r = switch (e) {
            case ConnectException x -> new ConnectException(msg);
            case BindException x -> new BindException(msg);
            case NoRouteToHostException x -> new NoRouteToHostException(msg);
            case PortUnreachableException x -> new PortUnreachableException(msg);
            case SocketTimeoutException x -> new SocketTimeoutException(msg);
            case SocketException x -> errno != null ? byErrno(errno, msg) : new SocketException(msg);
            default -> e.getClass() == IOException.class
                    ? (errno != null ? byErrno(errno, msg) : new IOException(msg))
                    : null;
        };
        if (r == null) {
            return e; // a type we cannot re-create: keep it
        }
        r.initCause(e);
        return r;
    }

    /** The type the descriptor drivers use for {@code errno} (see Errno.socketError). */
    private static SocketException byErrno(String errno, String msg) {
        return switch (errno) {
            case "ECONNREFUSED" -> new ConnectException(msg);
            case "EADDRINUSE", "EADDRNOTAVAIL" -> new BindException(msg);
            case "EHOSTUNREACH", "ENETUNREACH" -> new NoRouteToHostException(msg);
            default -> new SocketException(msg);
        };
    }

    /** A failure the driver itself finds, with an errno name, as the descriptor drivers would report it. */
    static SocketException socketError(String call, String errno, String text) {
        return byErrno(errno, call + ": " + errno + " (" + text + ")");
    }

    /** "127.0.0.1:8080", "[::1]:8080", or a Unix socket's path. */
    static String describe(SocketAddress a) {
        if (a instanceof UnixDomainSocketAddress u) {
            return u.getPath().toString();
        }
        if (a instanceof InetSocketAddress i) {
            String host = i.getHostString();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + i.getPort();
        }
        return String.valueOf(a);
    }
}
