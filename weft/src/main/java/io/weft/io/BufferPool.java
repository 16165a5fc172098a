package io.weft.io;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;

/**
 * Native buffers a completion driver lends to the kernel for heap data (a
 * heap array may move; the kernel needs an address that stays put). One
 * size, {@link #MAX_CHUNK}; a longer transfer is done in chunks (a short
 * read or write, as the kernel may do anyway). Loop thread only; the memory
 * is freed when the driver closes, after every lent buffer came back.
 */
public final class BufferPool {
    public static final int MAX_CHUNK = 64 * 1024;

    private final Arena arena = Arena.ofShared();
    private final ArrayDeque<MemorySegment> free = new ArrayDeque<>();
    private int lent;

    /** A buffer of at least {@code len} bytes (at most MAX_CHUNK), page aligned. */
    public MemorySegment borrow(long len) {
        if (len > MAX_CHUNK) {
            throw new IllegalArgumentException("buffer of " + len + " bytes > " + MAX_CHUNK);
        }
        MemorySegment b = free.poll();
        if (b == null) {
            b = arena.allocate(MAX_CHUNK, 4096);
        }
        lent++;
        return b;
    }

    public void release(MemorySegment b) {
        lent--;
        if (free.size() < 256) {
            free.push(b);
        }
    }

    public int lent() {
        return lent;
    }

    /** Frees all memory: call only once no buffer is lent to the kernel. */
    public void close() {
        free.clear();
        arena.close();
    }
}
