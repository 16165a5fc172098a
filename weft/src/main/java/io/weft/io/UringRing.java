package io.weft.io;

import io.weft.sys.Errno;
import io.weft.sys.Linux;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * One io_uring instance mapped into this process: the submission queue
 * (SQ), the completion queue (CQ) and the array of submission entries, all
 * shared with the kernel. Mechanism only: {@link UringDriver} decides what to
 * submit and what a completion means. One thread at a time (the executor's
 * loop thread).
 *
 * <p>Who writes what, as in liburing: we write the SQ tail and the CQ head;
 * the kernel writes the SQ head, the CQ tail and the SQ flags.
 * <ul>
 * <li>Entries are written with plain stores, then the SQ tail is published
 *     with a release store in {@link #enter}: pairs with the kernel's
 *     {@code smp_load_acquire} of the SQ tail in {@code io_submit_sqes}.</li>
 * <li>The SQ head is read with acquire: pairs with the kernel's
 *     {@code smp_store_release} once it has consumed entries, after which we
 *     may overwrite them.</li>
 * <li>The CQ tail is read with acquire: pairs with the kernel's
 *     {@code smp_store_release} in {@code io_commit_cqring}, so the entries
 *     below it are visible.</li>
 * <li>The CQ head is stored with release after an entry was read: pairs
 *     with the kernel's acquire of the head before it reuses the entry.</li>
 * </ul>
 */
final class UringRing {
    // io_uring_setup flags (include/uapi/linux/io_uring.h)
    static final int SETUP_CLAMP = 1 << 4, SETUP_SUBMIT_ALL = 1 << 7,
            SETUP_COOP_TASKRUN = 1 << 8, SETUP_TASKRUN_FLAG = 1 << 9, SETUP_SINGLE_ISSUER = 1 << 12,
            SETUP_DEFER_TASKRUN = 1 << 13;
    // io_uring_params.features
    static final int FEAT_SINGLE_MMAP = 1, FEAT_NODROP = 1 << 1, FEAT_EXT_ARG = 1 << 8;
    // io_uring_enter flags
    static final int ENTER_GETEVENTS = 1, ENTER_EXT_ARG = 1 << 3;
    // bits of the SQ ring's flags word
    static final int SQ_CQ_OVERFLOW = 1 << 1, SQ_TASKRUN = 1 << 2;

    private static final long OFF_SQ_RING = 0L, OFF_CQ_RING = 0x8000000L, OFF_SQES = 0x10000000L;
    private static final int PARAMS_SIZE = 120, SQE_SIZE = 64, CQE_SIZE = 16, GETEVENTS_ARG_SIZE = 24;
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    final int fd;
    /** The setup flags the kernel accepted. */
    final int flags;
    final int features;
    final int sqEntries;
    final int cqEntries;

    private final Linux sys;
    private final MemorySegment sq;
    private final MemorySegment cq;
    private final MemorySegment sqes;
    private final long sqSize;
    private final long cqSize;
    private final long sqHead, sqTail, sqFlags, cqHead, cqTail, cqes;
    private final int sqMask, cqMask;
    private final Arena arena = Arena.ofShared();
    /** struct io_uring_getevents_arg, then the struct __kernel_timespec its {@code ts} points at. */
    private final MemorySegment waitArg;
    private final MemorySegment timespec;
    private final Sqe sqe = new Sqe();

    /** Our SQ tail: entries below it are written; published at the next {@link #enter}. */
    private int tail;
    /** Our CQ head: entries below it are handled. */
    private int head;
    private boolean closed;

    private UringRing(Linux sys, int fd, MemorySegment p, MemorySegment sq, MemorySegment cq, MemorySegment sqes,
                      long sqSize, long cqSize) {
        this.sys = sys;
        this.fd = fd;
        this.sq = sq;
        this.cq = cq;
        this.sqes = sqes;
        this.sqSize = sqSize;
        this.cqSize = cqSize;
        this.sqEntries = p.get(ValueLayout.JAVA_INT, 0);
        this.cqEntries = p.get(ValueLayout.JAVA_INT, 4);
        this.flags = p.get(ValueLayout.JAVA_INT, 8);
        this.features = p.get(ValueLayout.JAVA_INT, 20);
        this.sqHead = u32(p, 40);
        this.sqTail = u32(p, 44);
        this.sqMask = sq.get(ValueLayout.JAVA_INT, u32(p, 48));
        this.sqFlags = u32(p, 56);
        long sqArray = u32(p, 64);
        this.cqHead = u32(p, 80);
        this.cqTail = u32(p, 84);
        this.cqMask = cq.get(ValueLayout.JAVA_INT, u32(p, 88));
        this.cqes = u32(p, 100);
        // The SQ array maps ring positions to entries; we always use entry i at position i.
        for (int i = 0; i < sqEntries; i++) {
            sq.set(ValueLayout.JAVA_INT, sqArray + 4L * i, i);
        }
        this.tail = (int) INT.getAcquire(sq, sqTail);
        this.head = (int) INT.getAcquire(cq, cqHead);
        this.waitArg = arena.allocate(GETEVENTS_ARG_SIZE + 16, 8);
        this.timespec = waitArg.asSlice(GETEVENTS_ARG_SIZE, 16);
    }

    private static long u32(MemorySegment p, long off) {
        return Integer.toUnsignedLong(p.get(ValueLayout.JAVA_INT, off));
    }

    /**
     * Sets up a ring of {@code entries} submission entries with the first of
     * {@code flagSets} the kernel accepts (EINVAL: it does not know a flag;
     * try the next set), and maps it. IOException naming the call and errno
     * when the kernel refuses (e.g. "io_uring_setup: EPERM (Operation not
     * permitted)" where io_uring is disabled).
     */
    static UringRing open(int entries, int... flagSets) throws IOException {
        Linux sys = Linux.local();
        int fd = -Linux.EINVAL;
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment p = tmp.allocate(PARAMS_SIZE, 8);
            for (int f : flagSets) {
                p.fill((byte) 0);
                p.set(ValueLayout.JAVA_INT, 8, f);
                fd = sys.ioUringSetup(entries, p);
                if (fd != -Linux.EINVAL) {
                    break;
                }
            }
            if (fd < 0) {
                throw new IOException("io_uring_setup: " + Errno.describe(fd));
            }
            try {
                return map(sys, fd, p);
            } catch (IOException | RuntimeException e) {
                sys.close(fd);
                throw e;
            }
        }
    }

    private static UringRing map(Linux sys, int fd, MemorySegment p) throws IOException {
        int features = p.get(ValueLayout.JAVA_INT, 20);
        if ((features & FEAT_EXT_ARG) == 0 || (features & FEAT_NODROP) == 0) {
            throw new IOException("io_uring: the kernel lacks IORING_FEAT_EXT_ARG or IORING_FEAT_NODROP (Linux 5.11+)");
        }
        int sqEntries = p.get(ValueLayout.JAVA_INT, 0);
        int cqEntries = p.get(ValueLayout.JAVA_INT, 4);
        long sqSize = u32(p, 64) + 4L * sqEntries;
        long cqSize = u32(p, 100) + (long) CQE_SIZE * cqEntries;
        boolean single = (features & FEAT_SINGLE_MMAP) != 0;
        if (single) {
            sqSize = cqSize = Math.max(sqSize, cqSize);
        }
        MemorySegment sq = mmap(sys, sqSize, fd, OFF_SQ_RING, "SQ ring");
        MemorySegment cq = sq;
        MemorySegment sqes = null;
        try {
            if (!single) {
                cq = mmap(sys, cqSize, fd, OFF_CQ_RING, "CQ ring");
            }
            sqes = mmap(sys, (long) SQE_SIZE * sqEntries, fd, OFF_SQES, "SQE array");
            return new UringRing(sys, fd, p, sq, cq, sqes, sqSize, single ? 0 : cqSize);
        } catch (IOException | RuntimeException e) {
            if (sqes != null) {
                sys.munmap(sqes, sqes.byteSize());
            }
            if (cq != sq) {
                sys.munmap(cq, cqSize);
            }
            sys.munmap(sq, sqSize);
            throw e;
        }
    }

    private static MemorySegment mmap(Linux sys, long size, int fd, long off, String what) throws IOException {
        MemorySegment m = sys.mmap(size, Linux.PROT_READ | Linux.PROT_WRITE, Linux.MAP_SHARED | Linux.MAP_POPULATE,
                fd, off);
        long a = m.address();
        if (a < 0 && a > -4096) {
            throw new IOException("mmap(io_uring " + what + "): " + Errno.describe((int) a));
        }
        return m;
    }

    boolean has(int setupFlag) {
        return (flags & setupFlag) != 0;
    }

    // ---- submission ----

    /** A free submission entry, zeroed, or null when the SQ is full (enter first). */
    Sqe next() {
        int consumed = (int) INT.getAcquire(sq, sqHead); // pairs with the kernel's release of the SQ head
        if (tail - consumed == sqEntries) {
            return null;
        }
        sqe.at(sqes, tail & sqMask);
        tail++;
        return sqe;
    }

    /** Entries written and not yet consumed by the kernel. */
    int unsubmitted() {
        return tail - (int) INT.getAcquire(sq, sqHead);
    }

    /** The SQ flags word (IORING_SQ_TASKRUN: task work is waiting; IORING_SQ_CQ_OVERFLOW: completions wait outside the CQ). */
    int sqFlags() {
        return (int) INT.getAcquire(sq, sqFlags);
    }

    /**
     * io_uring_enter: submits what is written; with {@code minComplete} &gt; 0
     * also waits for that many completions, for at most {@code timeoutNanos}
     * (negative: no limit). The kernel's result, or -errno.
     */
    int enter(int minComplete, int flags, long timeoutNanos) {
        INT.setRelease(sq, sqTail, tail); // pairs with the kernel's smp_load_acquire of the SQ tail
        int toSubmit = unsubmitted();
        if (minComplete == 0) {
            return sys.ioUringEnter(fd, toSubmit, 0, flags);
        }
        waitArg.fill((byte) 0);
        if (timeoutNanos >= 0) {
            timespec.set(ValueLayout.JAVA_LONG, 0, timeoutNanos / 1_000_000_000L);
            timespec.set(ValueLayout.JAVA_LONG, 8, timeoutNanos % 1_000_000_000L);
            waitArg.set(ValueLayout.JAVA_LONG, 16, timespec.address());
        }
        return sys.ioUringEnterExt(fd, toSubmit, minComplete, flags | ENTER_GETEVENTS | ENTER_EXT_ARG, waitArg,
                GETEVENTS_ARG_SIZE);
    }

    // ---- completion ----

    /** Whether a completion is waiting at the head of the CQ. */
    boolean hasCompletion() {
        return (int) INT.getAcquire(cq, cqTail) != head; // pairs with the kernel's release of the CQ tail
    }

    /** user_data of the completion at the head (call only when {@link #hasCompletion()}). */
    long userData() {
        return cq.get(ValueLayout.JAVA_LONG, cqes + (long) (head & cqMask) * CQE_SIZE);
    }

    /** res of the completion at the head: the operation's result or -errno. */
    int res() {
        return cq.get(ValueLayout.JAVA_INT, cqes + (long) (head & cqMask) * CQE_SIZE + 8);
    }

    /** Gives the head entry back to the kernel. */
    void advance() {
        head++;
        INT.setRelease(cq, cqHead, head); // pairs with the kernel's acquire of the CQ head
    }

    // ---- teardown ----

    /** Unmaps the rings and closes the descriptor; the kernel cancels what is still in flight. Idempotent. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        sys.munmap(sqes, sqes.byteSize());
        if (cq != sq) {
            sys.munmap(cq, cqSize);
        }
        sys.munmap(sq, sqSize);
        sys.close(fd);
        arena.close();
    }

    @Override
    public String toString() {
        return "io_uring[fd=" + fd + ", sq=" + sqEntries + ", cq=" + cqEntries + ", flags=0x"
                + Integer.toHexString(flags) + ", features=0x" + Integer.toHexString(features) + "]";
    }
}
