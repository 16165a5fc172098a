package io.weft.fs;

import io.weft.CancellableFuture;
import io.weft.executor.OnHome;
import io.weft.executor.Worker;
import io.weft.io.FileHandle;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Set;

/**
 * A file of the current executor, read and written at explicit offsets, with
 * FileChannel's behaviour on every driver (see the package docs): the checks
 * at each call, the exception types, AsynchronousCloseException for an
 * operation pending at close. On io_uring the operations are asynchronous in
 * the kernel; on epoll and nio they run on a small pool of blocking threads,
 * so the executor's thread never waits on the disk. Failures of the system
 * call surface from {@code await()} as {@link UncheckedIOException} whose
 * cause names the path, the call and the errno
 * ({@link java.nio.file.NoSuchFileException},
 * {@link java.nio.file.AccessDeniedException}, ...).
 *
 * <p>On a StealingExecutor a file belongs to the worker that opened it; a
 * task of another worker has its reads and writes run there, on a copy of
 * its buffer, which is touched only on the task's own thread (see
 * {@code FromAnotherWorker}): the cancel safety below holds alike.
 *
 * <pre>{@code
 * try (File f = File.open(path, StandardOpenOption.READ).await()) {
 *     byte[] all = f.readAll().await();
 * }
 * }</pre>
 */
public final class File implements AutoCloseable {
    final FileHandle handle;
    /** On a StealingExecutor, the worker that opened it: other workers' tasks use it through there. */
    private final OnHome home;

    File(FileHandle handle) {
        this.handle = handle;
        this.home = OnHome.ofCurrent();
    }


    /**
     * Opens {@code path} with {@link java.nio.file.StandardOpenOption}s (READ
     * when neither READ, WRITE nor APPEND is given); the file belongs to the
     * current executor.
     *
     * <p><b>Cancel safety:</b> a cancelled open closes the descriptor it got
     * anyway; a file it created (CREATE) stays.
     */
    public static CancellableFuture<File> open(Path path, OpenOption... options) {
        return Worker.current("File.open").driver().openFile(path, optionSet(options), 1).map(File::new);
    }

    /** The options as a set: one given twice counts once (as FileChannel.open takes them). */
    static Set<OpenOption> optionSet(OpenOption... options) {
        return new java.util.HashSet<>(java.util.Arrays.asList(options));
    }

    /**
     * Reads into {@code dst} at file offset {@code position}; the count, or
     * -1 at end of file. NonReadableChannelException at the call if the file
     * was opened without READ.
     *
     * <p><b>Cancel safety:</b> a cancelled read took nothing that matters:
     * the file is unchanged and {@code dst}'s position does not move. On
     * epoll and nio {@code dst} is untouched (the pool reads into a buffer of
     * its own); on io_uring a read into native memory may still be filled by
     * the kernel until the read's completion, which keeps {@code dst}
     * reachable until then.
     */
    public CancellableFuture<Integer> readAt(ByteBuffer dst, long position) {
        return home.here() ? handle.readAt(dst, position) : FromAnotherWorker.readAt(home, this, dst, position);
    }

    /** As {@link #readAt(ByteBuffer, long)}, into {@code dst} from its start; the same cancel safety. */
    public CancellableFuture<Integer> readAt(MemorySegment dst, long position) {
        return home.here() ? handle.readAt(dst, position) : FromAnotherWorker.readAt(home, this, dst, position);
    }

    /**
     * Reads until {@code dst} is full, one read at a time; fails with
     * {@link java.io.EOFException} (as the cause of UncheckedIOException) if
     * the file ends first, with the bytes it had in {@code dst} (its position
     * after them).
     *
     * <p><b>Cancel safety:</b> cancelling cancels the read in flight (as
     * {@link #readAt}); the bytes of the reads before it are in {@code dst},
     * its position after them.
     */
    public CancellableFuture<Void> readExactAt(ByteBuffer dst, long position) {
        return home.here() ? FileLoops.readExact(handle, dst, position)
                : FromAnotherWorker.readExactAt(home, this, dst, position);
    }

    /**
     * Reads until {@code dst} is full; EOFException (as the cause of
     * UncheckedIOException) if the file ends first.
     *
     * <p><b>Cancel safety:</b> as {@link #readExactAt(ByteBuffer, long)}; how
     * far {@code dst} was filled is not reported.
     */
    public CancellableFuture<Void> readExactAt(MemorySegment dst, long position) {
        return home.here() ? FileLoops.readExact(handle, dst, position, 1)
                : FromAnotherWorker.readExactAt(home, this, dst, position);
    }

    /**
     * Writes some of {@code src} at {@code position}; the count. At most 1 MiB
     * per call on epoll and nio, 64 KiB on io_uring (its copy, see below).
     * NonWritableChannelException at the call if the file was opened without
     * WRITE.
     *
     * <p><b>Cancel safety:</b> a cancelled write may have been written, in
     * part or in full: on io_uring if the kernel took it before the cancel;
     * on epoll and nio whenever its pool thread gets to it, since a blocking
     * call cannot be taken back (it writes a copy of the bytes, unless the
     * file is closed first). Every driver writes from its own copy (io_uring
     * too, of native memory), so {@code src} is the caller's again once
     * {@code cancel()} has returned, and what it holds afterwards is never
     * written by the cancelled write. {@code src}'s position does not move,
     * so writing it again at the same position is safe. A write or fsync of
     * this file made after the cancel waits until the cancelled write has
     * ended (on io_uring until its completion, on epoll and nio until its
     * pool thread is out of the call): a cancelled write never lands over a
     * later one, and a later fsync covers it. Reads do not wait.
     */
    public CancellableFuture<Integer> writeAt(ByteBuffer src, long position) {
        return home.here() ? handle.writeAt(src, position) : FromAnotherWorker.writeAt(home, this, src, position);
    }

    /** As {@link #writeAt(ByteBuffer, long)}, from {@code src}'s start; the same cancel safety. */
    public CancellableFuture<Integer> writeAt(MemorySegment src, long position) {
        return home.here() ? handle.writeAt(src, position) : FromAnotherWorker.writeAt(home, this, src, position);
    }

    /**
     * Writes all of {@code src} at {@code position}, in as many writes as
     * needed.
     *
     * <p><b>Cancel safety:</b> the bytes before {@code src}'s position are
     * written; the write in flight may have been written as well (as
     * {@link #writeAt}).
     */
    public CancellableFuture<Void> writeAllAt(ByteBuffer src, long position) {
        return home.here() ? FileLoops.writeAll(handle, src, position)
                : FromAnotherWorker.writeAllAt(home, this, src, position);
    }

    /**
     * The whole file, as Files.readAllBytes: reads from offset 0 until end of
     * file (at most 2 GiB), starting with a buffer of {@link #size()}.
     *
     * <p><b>Cancel safety:</b> nothing is lost; what was read is dropped.
     */
    public CancellableFuture<byte[]> readAll() {
        return home.run(this, () -> FileLoops.readAll(handle));
    }

    /**
     * The size fstat(2) reports, as FileChannel.size() (a directory's too).
     *
     * <p><b>Cancel safety:</b> nothing to keep.
     */
    public CancellableFuture<Long> size() {
        return home.run(this, () -> handle.size());
    }

    /**
     * fsync(2): data and metadata reach the device.
     *
     * <p><b>Cancel safety:</b> a cancelled fsync may still have run (always
     * on epoll and nio); nothing is lost either way: call it again to know.
     */
    public CancellableFuture<Void> fsync() {
        return home.run(this, () -> handle.fsync());
    }

    public Path path() {
        return Path.of(handle.path());
    }

    /** Whether {@link #close()} was not called yet. */
    public boolean isOpen() {
        return handle.isOpen();
    }

    /**
     * Closes the descriptor. An operation made before and not returned yet
     * fails with AsynchronousCloseException: at once on epoll and nio (the
     * pool thread finishes its call on its own), at its completion on
     * io_uring (close cancels it in the kernel; one the kernel had finished
     * fails all the same, so a write may have been written). An operation
     * called after it throws ClosedChannelException. Idempotent.
     */
    @Override
    public void close() {
        home.close(this, handle::close); // from another worker: on the file's, where its operations run
    }

    @Override
    public String toString() {
        return "File[" + handle.path() + "]";
    }
}
