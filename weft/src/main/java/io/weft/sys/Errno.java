package io.weft.sys;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/**
 * Names and messages of Linux error numbers, and the {@link IOException}
 * subclass the Java world expects for each: {@code ConnectException} for
 * ECONNREFUSED, {@code BindException} for EADDRINUSE, and so on. Every
 * message names the call and the errno, e.g.
 * {@code "connect 127.0.0.1:9: ECONNREFUSED (Connection refused)"}.
 */
public final class Errno {
    private Errno() {
    }

    private static final String[][] TABLE = new String[134][];

    static {
        put(Linux.EPERM, "EPERM", "Operation not permitted");
        put(Linux.ENOENT, "ENOENT", "No such file or directory");
        put(Linux.EINTR, "EINTR", "Interrupted system call");
        put(Linux.EIO, "EIO", "Input/output error");
        put(Linux.ENXIO, "ENXIO", "No such device or address");
        put(Linux.EBADF, "EBADF", "Bad file descriptor");
        put(Linux.EAGAIN, "EAGAIN", "Resource temporarily unavailable");
        put(Linux.ENOMEM, "ENOMEM", "Cannot allocate memory");
        put(Linux.EACCES, "EACCES", "Permission denied");
        put(Linux.EFAULT, "EFAULT", "Bad address");
        put(Linux.EBUSY, "EBUSY", "Device or resource busy");
        put(Linux.EEXIST, "EEXIST", "File exists");
        put(Linux.ENOTDIR, "ENOTDIR", "Not a directory");
        put(Linux.EISDIR, "EISDIR", "Is a directory");
        put(Linux.EINVAL, "EINVAL", "Invalid argument");
        put(Linux.ENFILE, "ENFILE", "Too many open files in system");
        put(Linux.EMFILE, "EMFILE", "Too many open files");
        put(Linux.ETXTBSY, "ETXTBSY", "Text file busy");
        put(Linux.EFBIG, "EFBIG", "File too large");
        put(Linux.ENOSPC, "ENOSPC", "No space left on device");
        put(Linux.ESPIPE, "ESPIPE", "Illegal seek");
        put(Linux.EROFS, "EROFS", "Read-only file system");
        put(Linux.EPIPE, "EPIPE", "Broken pipe");
        put(Linux.ENAMETOOLONG, "ENAMETOOLONG", "File name too long");
        put(Linux.ENOSYS, "ENOSYS", "Function not implemented");
        put(Linux.ELOOP, "ELOOP", "Too many levels of symbolic links");
        put(Linux.ETIME, "ETIME", "Timer expired");
        put(Linux.EOVERFLOW, "EOVERFLOW", "Value too large for defined data type");
        put(Linux.ENOTSOCK, "ENOTSOCK", "Socket operation on non-socket");
        put(Linux.EOPNOTSUPP, "EOPNOTSUPP", "Operation not supported");
        put(Linux.EAFNOSUPPORT, "EAFNOSUPPORT", "Address family not supported by protocol");
        put(Linux.EADDRINUSE, "EADDRINUSE", "Address already in use");
        put(Linux.EADDRNOTAVAIL, "EADDRNOTAVAIL", "Cannot assign requested address");
        put(Linux.ENETUNREACH, "ENETUNREACH", "Network is unreachable");
        put(Linux.ECONNABORTED, "ECONNABORTED", "Software caused connection abort");
        put(Linux.ECONNRESET, "ECONNRESET", "Connection reset by peer");
        put(Linux.ENOTCONN, "ENOTCONN", "Transport endpoint is not connected");
        put(Linux.ETIMEDOUT, "ETIMEDOUT", "Connection timed out");
        put(Linux.ECONNREFUSED, "ECONNREFUSED", "Connection refused");
        put(Linux.EHOSTUNREACH, "EHOSTUNREACH", "No route to host");
        put(Linux.EALREADY, "EALREADY", "Operation already in progress");
        put(Linux.EINPROGRESS, "EINPROGRESS", "Operation now in progress");
        put(Linux.EDQUOT, "EDQUOT", "Disk quota exceeded");
        put(Linux.ECANCELED, "ECANCELED", "Operation canceled");
    }

    private static void put(int errno, String name, String message) {
        TABLE[errno] = new String[] {name, message};
    }

    /** "ECONNREFUSED (Connection refused)", or "errno 77" for one not in the table. */
    public static String describe(int errno) {
        errno = Math.abs(errno);
        if (errno < TABLE.length && TABLE[errno] != null) {
            return TABLE[errno][0] + " (" + TABLE[errno][1] + ")";
        }
        return "errno " + errno;
    }

    /**
     * The errno whose strerror text {@code text} starts with (case ignored), e.g. EISDIR for the JDK's
     * "Is a directory"; 0 for a text not in the table (another locale, an errno this table lacks). The JDK
     * builds its IOException messages from strerror and may add to them ("... or unable to access attributes
     * of symbolic link").
     */
    public static int byMessage(String text) {
        if (text == null) {
            return 0;
        }
        int best = 0;
        int bestLength = 0;
        for (int errno = 1; errno < TABLE.length; errno++) {
            String m = TABLE[errno] == null ? null : TABLE[errno][1];
            if (m != null && m.length() > bestLength && text.regionMatches(true, 0, m, 0, m.length())) {
                best = errno; // the longest match: "Too many open files in system" over "Too many open files"
                bestLength = m.length();
            }
        }
        return best;
    }

    public static String name(int errno) {
        errno = Math.abs(errno);
        return errno < TABLE.length && TABLE[errno] != null ? TABLE[errno][0] : "errno " + errno;
    }

    /**
     * The exception for a failed socket call: {@code call} names it (with its
     * target, e.g. "connect 127.0.0.1:9"), {@code errno} is positive or
     * negative. The types are java.nio's: ETIMEDOUT is a ConnectException
     * for a connect (a {@code call} that starts with "connect") and a plain
     * SocketException for any other call (java.nio's "Connection timed out"
     * IOException, as the nio driver renames it), never a
     * SocketTimeoutException, which is not a SocketException.
     */
    public static IOException socketError(String call, int errno) {
        errno = Math.abs(errno);
        String msg = call + ": " + describe(errno);
        return switch (errno) {
            case Linux.ECONNREFUSED -> new ConnectException(msg);
            case Linux.ETIMEDOUT -> call.startsWith("connect") ? new ConnectException(msg) : new SocketException(msg);
            case Linux.EADDRINUSE, Linux.EADDRNOTAVAIL -> new BindException(msg);
            case Linux.EHOSTUNREACH, Linux.ENETUNREACH -> new NoRouteToHostException(msg);
            case Linux.EBADF -> withMessage(new ClosedChannelException(), msg);
            default -> new SocketException(msg);
        };
    }

    /**
     * The exception for a failed file call on {@code path}, of the type java.nio's FileChannel throws for
     * {@code errno} (NoSuchFileException, AccessDeniedException, FileAlreadyExistsException, else
     * FileSystemException, ClosedChannelException for EBADF), its reason naming the call and the errno:
     * {@code "/tmp/d: pread: EISDIR (Is a directory)"}.
     */
    public static IOException fileError(String call, String path, int errno) {
        errno = Math.abs(errno);
        String reason = call + ": " + describe(errno);
        return switch (errno) {
            case Linux.ENOENT -> new NoSuchFileException(path, null, reason);
            case Linux.EACCES, Linux.EPERM -> new AccessDeniedException(path, null, reason);
            case Linux.EEXIST -> new FileAlreadyExistsException(path, null, reason);
            case Linux.EBADF -> withMessage(new ClosedChannelException(), reason + " on " + path);
            default -> new FileSystemException(path, null, reason);
        };
    }

    private static IOException withMessage(ClosedChannelException e, String msg) {
        // ClosedChannelException has no message constructor; the cause carries the call and errno
        e.initCause(new IOException(msg));
        return e;
    }
}
