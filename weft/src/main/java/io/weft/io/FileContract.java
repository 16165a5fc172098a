package io.weft.io;

import io.weft.sys.Errno;
import io.weft.sys.Linux;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * What a file does the same on every driver ({@link FdFile} on io_uring,
 * {@link ChannelFile} on epoll and nio): the checks each call makes, in
 * FileChannel's order, and the exceptions, in FileChannel's types with
 * messages that name the file, the system call and the errno.
 *
 * <ol>
 *   <li>The thread: a file belongs to the executor whose task opened it;
 *       any other thread gets IllegalStateException naming the file and
 *       both threads ({@link #checkThread}).</li>
 *   <li>Open: a call after {@code close()} throws ClosedChannelException
 *       (as UncheckedIOException); an operation made before the close that
 *       had not returned fails with AsynchronousCloseException
 *       ({@link #closedWhilePending}).</li>
 *   <li>The mode: reading a file opened without READ throws
 *       NonReadableChannelException, writing one opened without WRITE
 *       NonWritableChannelException, at the call ({@link #checkMode}).</li>
 * </ol>
 *
 * A failed system call is {@link Errno#fileError}'s exception on io_uring;
 * on epoll and nio, java.nio's exception is {@linkplain #rename renamed} to
 * the same message and type.
 */
public final class FileContract {
    private FileContract() {
    }

    /** No access beyond an open file on the right thread (size, fsync). */
    public static final int ANY = 0;
    public static final int READ = 1;
    public static final int WRITE = 2;

    /** Whether {@code options} open for reading: READ, or neither READ nor WRITE nor APPEND (FileChannel's rule). */
    static boolean reads(Set<? extends OpenOption> options) {
        return options.contains(StandardOpenOption.READ) || !writes(options);
    }

    /**
     * Refuses, at the call and alike on every driver, what FileChannel.open
     * refuses (READ with APPEND, APPEND with TRUNCATE_EXISTING) and options
     * weft does not take (anything but the StandardOpenOptions and
     * NOFOLLOW_LINKS; O_DIRECT is DmaFile's).
     */
    public static void checkOptions(Set<? extends OpenOption> options) {
        if (options.contains(StandardOpenOption.APPEND)) { // as FileChannel.open refuses them
            if (options.contains(StandardOpenOption.READ)) {
                throw new IllegalArgumentException("READ + APPEND not allowed");
            }
            if (options.contains(StandardOpenOption.TRUNCATE_EXISTING)) {
                throw new IllegalArgumentException("APPEND + TRUNCATE_EXISTING not allowed");
            }
        }
        for (OpenOption o : options) {
            if (o == null) {
                throw new NullPointerException("open option");
            }
            if (!(o instanceof StandardOpenOption) && o != java.nio.file.LinkOption.NOFOLLOW_LINKS) {
                throw new UnsupportedOperationException("open option " + o + " is not supported"
                        + (String.valueOf(o).equals("DIRECT") ? ": open with DmaFile for O_DIRECT" : ""));
            }
        }
    }

    /** Whether {@code options} open for writing: WRITE or APPEND. */
    static boolean writes(Set<? extends OpenOption> options) {
        return options.contains(StandardOpenOption.WRITE) || options.contains(StandardOpenOption.APPEND);
    }

    /** Throws IllegalStateException unless the caller is {@code driver}'s loop thread. */
    static void checkThread(IoDriver driver, String path) {
        Thread owner = driver.owner();
        Thread me = Thread.currentThread();
        if (me != owner) {
            throw new IllegalStateException("file " + path + " belongs to the executor on thread " + owner.getName()
                    + " and was used from thread " + me.getName()
                    + ": a file is used only by the tasks of the executor whose task opened it");
        }
    }

    /**
     * The checks of a call on a file, in the order every driver makes them:
     * the loop thread, then open, then the mode ({@link FileHandle#check}).
     */
    static void check(IoDriver driver, String path, boolean closed, int access, boolean readable, boolean writable) {
        checkThread(driver, path);
        if (closed) {
            throw closed(path);
        }
        checkMode(path, access, readable, writable);
    }

    /** Throws what FileChannel throws for an {@code access} (READ, WRITE) the file was not opened for. */
    static void checkMode(String path, int access, boolean readable, boolean writable) {
        if ((access & READ) != 0 && !readable) {
            NonReadableChannelException e = new NonReadableChannelException();
            e.initCause(new IOException("file " + path + " was opened without READ (for writing only): it cannot be read"));
            throw e;
        }
        if ((access & WRITE) != 0 && !writable) {
            NonWritableChannelException e = new NonWritableChannelException();
            e.initCause(new IOException("file " + path + " was opened without WRITE (for reading only): it cannot be written"));
            throw e;
        }
    }

    /** A call on a closed file: ClosedChannelException, its cause naming the file. */
    static UncheckedIOException closed(String path) {
        ClosedChannelException e = new ClosedChannelException();
        e.initCause(new IOException("file " + path + " is closed"));
        return new UncheckedIOException(e);
    }

    /**
     * An operation made before the file was closed and not returned by then:
     * AsynchronousCloseException, its cause naming the file and the call.
     */
    public static UncheckedIOException closedWhilePending(String path, String call) {
        AsynchronousCloseException e = new AsynchronousCloseException();
        e.initCause(new IOException("file " + path + " was closed while its " + call + " was pending"));
        return new UncheckedIOException(e);
    }

    /** A read that found the end of the file before {@code missing} more bytes, at file offset {@code at}. */
    public static UncheckedIOException endOfFile(String path, long at, long missing) {
        return new UncheckedIOException(new EOFException("end of file " + path + " at offset " + at + " with "
                + missing + " byte(s) still to read"));
    }

    /**
     * java.nio's exception {@code e} for {@code call} ("open", "pread",
     * "pwrite", "fstat", "fsync") on {@code path}, as io_uring reports it:
     * when the errno can be known — from the type (NoSuchFileException is
     * ENOENT, AccessDeniedException EACCES, FileAlreadyExistsException
     * EEXIST) or from the strerror text of the message ({@link Errno#byMessage}:
     * "Is a directory" is EISDIR) — {@link Errno#fileError}'s exception with
     * {@code e} as its cause, which is always an instance of {@code e}'s
     * class; else a FileSystemException whose reason names the call, for an
     * IOException or FileSystemException, or {@code e} itself (a
     * ClosedChannelException, a type we cannot re-create).
     */
    static IOException rename(String call, String path, IOException e) {
        if (e instanceof ClosedChannelException) {
            return e;
        }
        String text = e instanceof FileSystemException f ? f.getReason() : e.getMessage();
        int errno = switch (e) {
            case NoSuchFileException x -> Linux.ENOENT;
            case AccessDeniedException x -> Linux.EACCES;
            case FileAlreadyExistsException x -> Linux.EEXIST;
            case NotDirectoryException x -> Linux.ENOTDIR;
            default -> Errno.byMessage(text);
        };
        IOException r = null;
        if (errno != 0) {
            r = Errno.fileError(call, path, errno);
            if (!e.getClass().isInstance(r)) {
                r = null; // e is more specific than the errno's type: keep java.nio's
            }
        }
        if (r == null && (e.getClass() == IOException.class || e.getClass() == FileSystemException.class)) {
            String other = e instanceof FileSystemException f ? f.getOtherFile() : null;
            r = new FileSystemException(path, other, call + ": " + (text != null ? text : "failed"));
        }
        if (r == null) {
            return e;
        }
        if (r.getCause() == null) {
            r.initCause(e);
        } else {
            r.addSuppressed(e); // a ClosedChannelException (EBADF) carries the call in its cause
        }
        return r;
    }
}
