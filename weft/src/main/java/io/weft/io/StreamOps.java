package io.weft.io;

import io.weft.CancellableFuture;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * The awaited operations of a connected stream: what a stream's own
 * {@link StreamHandle} does on its loop thread, and what a task of another
 * worker of a StealingExecutor has forwarded to that thread
 * ({@code io.weft.net.RemoteStream}).
 */
public interface StreamOps {

    /** Reads into {@code dst} from its position; the count, or -1 at end of stream. */
    CancellableFuture<Integer> read(ByteBuffer dst);

    /** Reads into {@code dst} (native or heap); the count, or -1 at end of stream. */
    CancellableFuture<Integer> read(MemorySegment dst);

    /** Ready once a read would not wait (bytes, the end of stream or an error); holds no buffer meanwhile. */
    CancellableFuture<Void> readable();

    /** Writes from {@code src} from its position; the count written (at least 1 unless src is empty). */
    CancellableFuture<Integer> write(ByteBuffer src);

    CancellableFuture<Integer> write(MemorySegment src);
}
