package io.weft.sys;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

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
        put(Linux.EMFILE, "EMFILE", "Too many open files");
        put(Linux.ENOSPC, "ENOSPC", "No space left on device");
        put(Linux.EPIPE, "EPIPE", "Broken pipe");
        put(Linux.ENOSYS, "ENOSYS", "Function not implemented");
        put(Linux.ETIME, "ETIME", "Timer expired");
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

    public static String name(int errno) {
        errno = Math.abs(errno);
        return errno < TABLE.length && TABLE[errno] != null ? TABLE[errno][0] : "errno " + errno;
    }

    /**
     * The exception for a failed socket call: {@code call} names it (with its
     * target, e.g. "connect 127.0.0.1:9"), {@code errno} is positive or
     * negative.
     */
    public static IOException socketError(String call, int errno) {
        errno = Math.abs(errno);
        String msg = call + ": " + describe(errno);
        return switch (errno) {
            case Linux.ECONNREFUSED -> new ConnectException(msg);
            case Linux.ETIMEDOUT -> new SocketTimeoutException(msg);
            case Linux.EADDRINUSE, Linux.EADDRNOTAVAIL -> new BindException(msg);
            case Linux.EHOSTUNREACH, Linux.ENETUNREACH -> new NoRouteToHostException(msg);
            case Linux.EBADF -> withMessage(new ClosedChannelException(), msg);
            default -> new SocketException(msg);
        };
    }

    /** The exception for a failed file call on {@code path}. */
    public static IOException fileError(String call, String path, int errno) {
        errno = Math.abs(errno);
        String reason = call + ": " + describe(errno);
        return switch (errno) {
            case Linux.ENOENT -> new NoSuchFileException(path, null, reason);
            case Linux.EACCES, Linux.EPERM -> new AccessDeniedException(path, null, reason);
            case Linux.EEXIST -> new FileAlreadyExistsException(path, null, reason);
            case Linux.ENOTDIR -> new NotDirectoryException(path);
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
