package io.weft.examples;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Buffers lent to connections only while they have bytes to handle: a
 * connection waits for data with {@code readable()}, holding no buffer, takes
 * one for {@code tryRead} and the answer, and gives it back when done. One
 * pool per executor (its tasks run one at a time on one thread, so no lock);
 * it keeps at most {@code keep} free buffers, so memory follows the busy
 * connections, not the open ones.
 */
final class Buffers {
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
    private final int size;
    private final boolean direct;
    private final int keep;

    Buffers(int size, boolean direct, int keep) {
        this.size = size;
        this.direct = direct;
        this.keep = keep;
    }

    /** A cleared buffer: a free one, or a new one. */
    ByteBuffer take() {
        ByteBuffer b = free.poll();
        if (b == null) {
            return direct ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size);
        }
        return b.clear();
    }

    /** Gives {@code b} back (kept for the next take while fewer than {@code keep} are free). */
    void give(ByteBuffer b) {
        if (free.size() < keep) {
            free.push(b);
        }
    }
}
