package io.weft.fs;

import io.weft.CancellableFuture;
import io.weft.executor.ExecutorCore;
import io.weft.io.FileHandle;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Set;

/**
 * A file of the current executor, read and written at explicit offsets. On
 * io_uring the operations are asynchronous in the kernel; on epoll and nio
 * they run on a small pool of blocking threads, so the executor's thread
 * never waits on the disk. Failures surface from {@code await()} as
 * {@link UncheckedIOException} whose cause names the path:
 * {@link java.nio.file.NoSuchFileException},
 * {@link java.nio.file.AccessDeniedException}, ...
 *
 * <pre>{@code
 * try (File f = File.open(path, StandardOpenOption.READ).await()) {
 *     byte[] all = f.readAll().await();
 * }
 * }</pre>
 */
public final class File implements AutoCloseable {
    final FileHandle handle;

    File(FileHandle handle) {
        this.handle = handle;
    }

    /** Opens {@code path} with {@link java.nio.file.StandardOpenOption}s (READ when none is given). */
    public static CancellableFuture<File> open(Path path, OpenOption... options) {
        return ExecutorCore.current("File.open").driver().openFile(path, Set.of(options), 1).map(File::new);
    }

    /** Reads into {@code dst} at file offset {@code position}; the count, or -1 at end of file. */
    public CancellableFuture<Integer> readAt(ByteBuffer dst, long position) {
        return handle.readAt(dst, position);
    }

    public CancellableFuture<Integer> readAt(MemorySegment dst, long position) {
        return handle.readAt(dst, position);
    }

    /** Writes some of {@code src} at {@code position}; the count. */
    public CancellableFuture<Integer> writeAt(ByteBuffer src, long position) {
        return handle.writeAt(src, position);
    }

    public CancellableFuture<Integer> writeAt(MemorySegment src, long position) {
        return handle.writeAt(src, position);
    }

    /** Writes all of {@code src} at {@code position}, in as many writes as needed. */
    public CancellableFuture<Void> writeAllAt(ByteBuffer src, long position) {
        return FileLoops.writeAll(handle, src, position);
    }

    /** The whole file (at most 2 GiB). */
    public CancellableFuture<byte[]> readAll() {
        return FileLoops.readAll(handle);
    }

    public CancellableFuture<Long> size() {
        return handle.size();
    }

    /** fsync(2): data and metadata reach the device. */
    public CancellableFuture<Void> fsync() {
        return handle.fsync();
    }

    public Path path() {
        return Path.of(handle.path());
    }

    public boolean isOpen() {
        return handle.isOpen();
    }

    @Override
    public void close() {
        handle.close();
    }

    @Override
    public String toString() {
        return "File[" + handle.path() + "]";
    }
}
