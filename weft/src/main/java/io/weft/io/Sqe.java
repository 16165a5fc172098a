package io.weft.io;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A view of one io_uring submission queue entry (struct io_uring_sqe, 64
 * bytes). The driver points it at a free entry, zeroes it, and hands it to
 * {@link FdOp#prepare}; the op writes its fields.
 */
public final class Sqe {
    public static final byte OP_NOP = 0, OP_FSYNC = 3, OP_POLL_ADD = 6, OP_TIMEOUT = 11, OP_ACCEPT = 13,
            OP_ASYNC_CANCEL = 14, OP_CONNECT = 16, OP_OPENAT = 18, OP_CLOSE = 19, OP_READ = 22, OP_WRITE = 23,
            OP_SEND = 26, OP_RECV = 27, OP_SHUTDOWN = 34, OP_SENDMSG = 9, OP_RECVMSG = 10;

    private MemorySegment sqes;
    private long base;

    /** Points this view at entry {@code index} of {@code sqes} and zeroes it. */
    public Sqe at(MemorySegment sqes, int index) {
        this.sqes = sqes;
        this.base = (long) index * 64;
        sqes.asSlice(base, 64).fill((byte) 0);
        return this;
    }

    public Sqe opcode(byte op) {
        sqes.set(ValueLayout.JAVA_BYTE, base, op);
        return this;
    }

    public Sqe flags(int flags) {
        sqes.set(ValueLayout.JAVA_BYTE, base + 1, (byte) flags);
        return this;
    }

    public Sqe fd(int fd) {
        sqes.set(ValueLayout.JAVA_INT, base + 4, fd);
        return this;
    }

    /** off, or addr2 (a pointer for accept's addrlen). */
    public Sqe off(long off) {
        sqes.set(ValueLayout.JAVA_LONG, base + 8, off);
        return this;
    }

    public Sqe addr(long addr) {
        sqes.set(ValueLayout.JAVA_LONG, base + 16, addr);
        return this;
    }

    public Sqe addr(MemorySegment m) {
        return addr(m.address());
    }

    public Sqe len(int len) {
        sqes.set(ValueLayout.JAVA_INT, base + 24, len);
        return this;
    }

    /** The per-op flags word: rw_flags, msg_flags, accept_flags, timeout_flags, cancel_flags. */
    public Sqe opFlags(int f) {
        sqes.set(ValueLayout.JAVA_INT, base + 28, f);
        return this;
    }

    public Sqe userData(long u) {
        sqes.set(ValueLayout.JAVA_LONG, base + 32, u);
        return this;
    }

    public Sqe bufIndex(short i) {
        sqes.set(ValueLayout.JAVA_SHORT, base + 40, i);
        return this;
    }
}
