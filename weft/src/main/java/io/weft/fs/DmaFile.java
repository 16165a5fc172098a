package io.weft.fs;

import io.weft.CancellableFuture;
import io.weft.executor.ExecutorCore;
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
 * blocking pool through an aligned bounce buffer.
 */
public final class DmaFile implements AutoCloseable {
    /** The alignment O_DIRECT needs here: 4096 covers every logical block size up to a page. */
    public static final int ALIGNMENT = 4096;

    private final FileHandle handle;

    private DmaFile(FileHandle handle) {
        this.handle = handle;
    }

    public static CancellableFuture<DmaFile> open(Path path, OpenOption... options) {
        return ExecutorCore.current("DmaFile.open").driver().openFile(path, Set.of(options), ALIGNMENT)
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

    /** Reads into {@code dst} at {@code position}; the count (short at end of file), -1 past it. */
    public CancellableFuture<Integer> readAt(MemorySegment dst, long position) {
        checkBuffer(dst, position);
        return handle.readAt(dst, position);
    }

    public CancellableFuture<Integer> writeAt(MemorySegment src, long position) {
        checkBuffer(src, position);
        return handle.writeAt(src, position);
    }

    public CancellableFuture<Long> size() {
        return handle.size();
    }

    public CancellableFuture<Void> fsync() {
        return handle.fsync();
    }

    public Path path() {
        return Path.of(handle.path());
    }

    @Override
    public void close() {
        handle.close();
    }

    @Override
    public String toString() {
        return "DmaFile[" + handle.path() + "]";
    }
}
