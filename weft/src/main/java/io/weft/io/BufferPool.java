package io.weft.io;

import io.weft.sys.NativeMemory;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;

/**
 * Native buffers a completion driver lends to the kernel for heap data (a
 * heap array may move; the kernel needs an address that stays put).
 *
 * <h2>Sizes</h2>
 * Three classes, {@value #SMALL}, {@value #MEDIUM} and {@link #MAX_CHUNK}
 * bytes: an operation borrows the smallest that holds its transfer, so a
 * 100-byte write costs a 4 KiB buffer and a 100-byte copy, not 64 KiB. A
 * transfer longer than {@link #MAX_CHUNK} is done in chunks (a short read or
 * write, as the kernel may do anyway). Buffers are page aligned (O_DIRECT
 * needs it) and not zeroed: the kernel or the copy fills what is read.
 *
 * <h2>The bound</h2>
 * Native memory is what is lent (the operations in flight, each holding one
 * buffer until its completion) plus at most {@link #cacheBytes()} of free
 * buffers kept for reuse; a buffer given back beyond that is freed at once
 * ({@link NativeMemory#free}). So memory follows the load: it is never
 * bounded by how many operations ran, only by how many run at once. The
 * cache is 4 MiB unless the system property
 * {@code weft.uring.bufferCacheBytes} says otherwise (0 frees every buffer
 * at once).
 *
 * <p>Loop thread only. {@link #close()} frees the cache; it is called once no
 * buffer is lent to the kernel any more.
 */
public final class BufferPool {
    public static final int SMALL = 4 * 1024;
    public static final int MEDIUM = 16 * 1024;
    public static final int MAX_CHUNK = 64 * 1024;
    private static final int[] SIZES = {SMALL, MEDIUM, MAX_CHUNK};
    private static final int ALIGNMENT = 4096;
    static final long DEFAULT_CACHE_BYTES = 4L << 20;

    private final long cacheBytes;
    @SuppressWarnings("unchecked")
    private final ArrayDeque<MemorySegment>[] free = new ArrayDeque[SIZES.length];
    private long freeBytes;
    private int lent;
    private long lentBytes;
    private long allocations;

    public BufferPool() {
        this(Long.getLong("weft.uring.bufferCacheBytes", DEFAULT_CACHE_BYTES));
    }

    /** A pool that keeps at most {@code cacheBytes} of free buffers. */
    public BufferPool(long cacheBytes) {
        if (cacheBytes < 0) {
            throw new IllegalArgumentException("weft.uring.bufferCacheBytes must not be negative, was " + cacheBytes);
        }
        this.cacheBytes = cacheBytes;
        for (int i = 0; i < SIZES.length; i++) {
            free[i] = new ArrayDeque<>();
        }
    }

    private static int sizeClass(long len) {
        for (int i = 0; i < SIZES.length; i++) {
            if (len <= SIZES[i]) {
                return i;
            }
        }
        throw new IllegalArgumentException("buffer of " + len + " bytes > " + MAX_CHUNK);
    }

    /** A buffer of the smallest class that holds {@code len} bytes (at most {@link #MAX_CHUNK}). */
    public MemorySegment borrow(long len) {
        int c = sizeClass(len);
        MemorySegment b = free[c].poll();
        if (b != null) {
            freeBytes -= b.byteSize();
        } else {
            b = NativeMemory.allocate(SIZES[c], ALIGNMENT);
            allocations++;
        }
        lent++;
        lentBytes += b.byteSize();
        return b;
    }

    /** Takes back a buffer from {@link #borrow}: kept for reuse while the cache has room, else freed. */
    public void release(MemorySegment b) {
        int c = sizeClass(b.byteSize());
        if (b.byteSize() != SIZES[c]) {
            throw new IllegalArgumentException("release of a " + b.byteSize() + "-byte segment: not a buffer of this pool"
                    + " (they are " + SIZES[0] + ", " + SIZES[1] + " or " + SIZES[2] + " bytes)");
        }
        lent--;
        lentBytes -= b.byteSize();
        if (freeBytes + b.byteSize() <= cacheBytes) {
            free[c].push(b);
            freeBytes += b.byteSize();
        } else {
            NativeMemory.free(b);
        }
    }

    /** Buffers lent now. */
    public int lent() {
        return lent;
    }

    /** Native memory this pool holds now: lent plus cached. */
    public long nativeBytes() {
        return lentBytes + freeBytes;
    }

    /** The most free memory kept for reuse. */
    public long cacheBytes() {
        return cacheBytes;
    }

    /** Buffers allocated since the pool was made (each reuse from the cache is not one). */
    public long allocations() {
        return allocations;
    }

    /**
     * Frees the cached buffers: call only once no buffer is lent to the
     * kernel. Buffers still lent are not freed (the kernel may write them):
     * that is reported, as it means an op ended without giving its buffer back.
     */
    public void close() {
        if (lent != 0) {
            io.weft.task.Log.get().log(System.Logger.Level.WARNING, "buffer pool closed with " + lent
                    + " buffer(s) of " + lentBytes + " bytes still lent: they stay allocated");
        }
        for (ArrayDeque<MemorySegment> q : free) {
            MemorySegment b;
            while ((b = q.poll()) != null) {
                NativeMemory.free(b);
            }
        }
        freeBytes = 0;
    }
}
