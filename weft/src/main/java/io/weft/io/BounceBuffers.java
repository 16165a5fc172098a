package io.weft.io;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Direct buffers that a file job on the blocking pool reads into or writes
 * from ({@link ChannelFile}): memory the job owns, so a task that gives up
 * waiting (cancel) never has a pool thread write into memory it reuses or
 * has freed. The loop copies between the task's buffer and the bounce
 * buffer on its own thread. Buffers of up to 64 KiB (aligned to 4 KiB) are
 * kept for reuse, at most 64 of them; any thread may borrow and give back.
 */
final class BounceBuffers {
    private BounceBuffers() {
    }

    private static final int POOLED = 64 * 1024;
    private static final ConcurrentLinkedQueue<ByteBuffer> BUFFERS = new ConcurrentLinkedQueue<>();

    /**
     * A direct buffer of {@code len} bytes (position 0, limit len), aligned to
     * {@code align} (a power of two; 1 for none). Give it back with
     * {@link #giveBack} once no thread uses it.
     */
    static ByteBuffer borrow(int len, int align) {
        if (len <= POOLED && align <= 4096) {
            ByteBuffer b = BUFFERS.poll();
            if (b != null) {
                return b.clear().limit(len);
            }
            return ByteBuffer.allocateDirect(POOLED + 4096).alignedSlice(4096).limit(POOLED).slice().limit(len);
        }
        int a = Math.max(align, 8);
        return ByteBuffer.allocateDirect(len + a).alignedSlice(a).limit(len).slice();
    }

    static void giveBack(ByteBuffer b) {
        if (b.capacity() == POOLED && BUFFERS.size() < 64) {
            BUFFERS.add(b);
        }
    }
}
