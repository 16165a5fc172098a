package io.weft.io;

import io.weft.CancellableFuture;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * An open file of one executor's driver. Positional reads and writes only
 * (no file pointer), as glommio's. Failures surface from {@code await()} as
 * {@link java.io.UncheckedIOException} whose cause names the path.
 */
public interface FileHandle {

    /** Reads into {@code dst} from its position at file offset {@code position}; the count, -1 at end of file. */
    CancellableFuture<Integer> readAt(ByteBuffer dst, long position);

    CancellableFuture<Integer> readAt(MemorySegment dst, long position);

    /** Writes {@code src}'s remaining bytes at {@code position}; the count (may be short). */
    CancellableFuture<Integer> writeAt(ByteBuffer src, long position);

    CancellableFuture<Integer> writeAt(MemorySegment src, long position);

    CancellableFuture<Long> size();

    /** Flushes data and metadata to the device (fsync(2)). */
    CancellableFuture<Void> fsync();

    String path();

    boolean isOpen();

    void close();
}
