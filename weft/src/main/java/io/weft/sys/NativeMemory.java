package io.weft.sys;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Native memory that is given back at once: libc's {@code aligned_alloc}
 * and {@code free}. An {@link java.lang.foreign.Arena} frees only when it is
 * closed, all of it (a shared arena's close is a handshake with every
 * thread); a buffer pool that must shrink when load falls needs to free one
 * buffer at a time, from whichever thread runs the loop. Memory from here is
 * not zeroed and is not tracked by the JVM: every {@link #allocate} must be
 * matched by one {@link #free}.
 */
public final class NativeMemory {
    private NativeMemory() {
    }

    private static final MethodHandle ALIGNED_ALLOC;
    private static final MethodHandle FREE;

    static {
        MethodHandle alloc = null;
        MethodHandle free = null;
        if (Linux.isAvailable()) {
            Linker linker = Linker.nativeLinker();
            var libc = linker.defaultLookup();
            alloc = linker.downcallHandle(libc.find("aligned_alloc").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
            free = linker.downcallHandle(libc.find("free").orElseThrow(),
                    FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
        }
        ALIGNED_ALLOC = alloc;
        FREE = free;
    }

    /**
     * {@code size} bytes aligned to {@code alignment} (a power of two;
     * {@code size} a multiple of it). Throws {@link OutOfMemoryError} if libc
     * has none.
     */
    public static MemorySegment allocate(long size, long alignment) {
        if (ALIGNED_ALLOC == null) {
            throw new UnsupportedOperationException(Linux.unavailableReason());
        }
        if (Long.bitCount(alignment) != 1 || size <= 0 || size % alignment != 0) {
            throw new IllegalArgumentException("aligned_alloc(" + alignment + ", " + size
                    + "): the size must be a positive multiple of a power-of-two alignment");
        }
        MemorySegment p;
        try {
            p = (MemorySegment) ALIGNED_ALLOC.invokeExact(alignment, size);
        } catch (Throwable t) {
            throw new IllegalStateException("aligned_alloc failed", t);
        }
        if (p.address() == 0) {
            throw new OutOfMemoryError("aligned_alloc(" + alignment + ", " + size + "): no native memory left");
        }
        return p.reinterpret(size);
    }

    /** Gives back memory from {@link #allocate}; the segment must not be used afterwards. */
    public static void free(MemorySegment m) {
        try {
            FREE.invokeExact(m);
        } catch (Throwable t) {
            throw new IllegalStateException("free failed", t);
        }
    }
}
