package io.weft.io;

import io.weft.CancellableFuture;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * An open file of one executor's driver. Positional reads and writes only
 * (no file pointer), as glommio's. Each operation checks at its call, in
 * this order (see {@link FileContract}): the thread (IllegalStateException),
 * that the file is open (ClosedChannelException), the mode
 * (NonReadableChannelException, NonWritableChannelException); its future
 * checks the thread at each poll, and {@link #close()} checks it too.
 * Failures of the system call surface from {@code await()} as
 * {@link java.io.UncheckedIOException} whose cause names the path, the call
 * and the errno; an operation pending when the file is closed fails with
 * AsynchronousCloseException.
 */
public interface FileHandle {

    /** Reads into {@code dst} from its position at file offset {@code position}; the count, -1 at end of file. */
    CancellableFuture<Integer> readAt(ByteBuffer dst, long position);

    CancellableFuture<Integer> readAt(MemorySegment dst, long position);

    /** Writes {@code src}'s remaining bytes at {@code position}; the count (may be short). */
    CancellableFuture<Integer> writeAt(ByteBuffer src, long position);

    CancellableFuture<Integer> writeAt(MemorySegment src, long position);

    /** fstat(2)'s size, as FileChannel.size(). */
    CancellableFuture<Long> size();

    /** Flushes data and metadata to the device (fsync(2)). */
    CancellableFuture<Void> fsync();

    /**
     * The checks of a call needing {@code access} ({@link FileContract#ANY},
     * {@link FileContract#READ}, {@link FileContract#WRITE}), for a loop of
     * operations that checks at its own call.
     */
    void check(int access);

    /** Throws IllegalStateException unless called on the executor's loop thread. */
    void checkThread();

    String path();

    boolean isOpen();

    /** Closes the descriptor; operations pending on it fail with AsynchronousCloseException. Idempotent. */
    void close();
}
