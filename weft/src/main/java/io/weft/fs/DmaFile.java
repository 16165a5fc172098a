package io.weft.fs;

import io.weft.CancellableFuture;
import io.weft.executor.OnHome;
import io.weft.executor.Worker;
import io.weft.io.FileHandle;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Set;

/**
 * A file opened with O_DIRECT, as glommio's DmaFile: reads and writes bypass
 * the page cache, so offsets, lengths and buffer addresses must be multiples
 * of {@link #ALIGNMENT}; {@link #allocate} gives such buffers. On io_uring
 * the operations are asynchronous in the kernel; elsewhere they run on the
 * blocking pool through an aligned bounce buffer. Checks, errors, closing
 * and the thread rule are {@link File}'s (see the package docs).
 */
public final class DmaFile implements AutoCloseable {
    /** The alignment O_DIRECT needs here: 4096 covers every logical block size up to a page. */
    public static final int ALIGNMENT = 4096;

    private final FileHandle handle;
    /** On a StealingExecutor, the worker that opened it: other workers' tasks use it through there. */
    private final OnHome home;

    private DmaFile(FileHandle handle) {
        this.handle = handle;
        this.home = OnHome.ofCurrent();
    }


    /**
     * Opens {@code path} with O_DIRECT and {@link java.nio.file.StandardOpenOption}s, as {@link File#open}.
     *
     * <p><b>Cancel safety:</b> a cancelled open closes the descriptor it got anyway.
     */
    public static CancellableFuture<DmaFile> open(Path path, OpenOption... options) {
        return Worker.current("DmaFile.open").driver().openFile(path, File.optionSet(options), ALIGNMENT)
                .map(DmaFile::new);
    }

    /** A zeroed buffer of {@code size} bytes (a multiple of ALIGNMENT) aligned to ALIGNMENT, in {@code arena}. */
    public static MemorySegment allocate(Arena arena, long size) {
        check("size", size);
        return arena.allocate(size, ALIGNMENT);
    }

    private static void check(String what, long v) {
        if (v < 0 || v % ALIGNMENT != 0) {
            throw new IllegalArgumentException("O_DIRECT " + what + " " + v + " is not a multiple of " + ALIGNMENT);
        }
    }

    private static void checkBuffer(MemorySegment m, long position) {
        check("file position", position);
        check("length", m.byteSize());
        if (m.isNative() && m.address() % ALIGNMENT != 0) {
            throw new IllegalArgumentException("O_DIRECT buffer address " + Long.toHexString(m.address())
                    + " is not aligned to " + ALIGNMENT + ": use DmaFile.allocate");
        }
    }

    /**
     * Reads into {@code dst} at {@code position}; the count (short at end of file), -1 past it.
     *
     * <p><b>Cancel safety:</b> as {@link File#readAt(MemorySegment, long)}: the file is unchanged; on io_uring the
     * kernel may still fill {@code dst} until the read's completion.
     */
    public CancellableFuture<Integer> readAt(MemorySegment dst, long position) {
        checkBuffer(dst, position);
        return home.run(this, () -> handle.readAt(dst, position));
    }

    /**
     * Reads until {@code dst} is full; {@link java.io.EOFException} (as the cause of UncheckedIOException) if
     * the file ends first, which O_DIRECT shows as a count that is not a multiple of ALIGNMENT.
     *
     * <p><b>Cancel safety:</b> cancelling cancels the read in flight (as {@link #readAt}); the reads before it
     * filled the start of {@code dst}.
     */
    public CancellableFuture<Void> readExactAt(MemorySegment dst, long position) {
        checkBuffer(dst, position);
        return home.run(this, () -> FileLoops.readExact(handle, dst, position, ALIGNMENT));
    }

    /**
     * Writes {@code src} at {@code position}; the count.
     *
     * <p><b>Cancel safety:</b> as {@link File#writeAt(MemorySegment, long)}: a cancelled write may have been
     * written, in part or in full.
     */
    public CancellableFuture<Integer> writeAt(MemorySegment src, long position) {
        checkBuffer(src, position);
        return home.run(this, () -> handle.writeAt(src, position));
    }

    /** fstat(2)'s size. <b>Cancel safety:</b> nothing to keep. */
    public CancellableFuture<Long> size() {
        return home.run(this, () -> handle.size());
    }

    /** fsync(2). <b>Cancel safety:</b> a cancelled fsync may still have run; call it again to know. */
    public CancellableFuture<Void> fsync() {
        return home.run(this, () -> handle.fsync());
    }

    public Path path() {
        return Path.of(handle.path());
    }

    public boolean isOpen() {
        return handle.isOpen();
    }

    /** As {@link File#close()}: a pending operation fails with AsynchronousCloseException. */
    @Override
    public void close() {
        home.close(this, handle::close); // from another worker: on the file's, where its operations run
    }

    @Override
    public String toString() {
        return "DmaFile[" + handle.path() + "]";
    }
}
