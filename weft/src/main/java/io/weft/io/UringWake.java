package io.weft.io;

import io.weft.sys.Errno;
import io.weft.sys.Linux;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * How other threads wake the io_uring loop ({@link UringDriver#wakeup()}):
 * an eventfd that always has a read in the ring, re-armed after each
 * completion. A wake written while no read is armed stays in the eventfd's
 * counter, so the read armed before the next wait completes at once: no
 * wake is lost. The read's completion runs as task work of the thread that
 * submitted it, so a loop that moves to another thread arms one of its own
 * ({@link #armedBy}).
 *
 * <p>{@link #wakeup()} is for any thread; everything else for the loop
 * thread.
 */
final class UringWake {
    /** user_data of the eventfd read. */
    static final long USER_DATA = -1L;

    private final int eventFd;
    private final WakeSignal signal;
    /** What the read reads into: the eventfd's counter, the number of wakeup() calls it carries. */
    private final MemorySegment buf;
    /** Reads in the kernel: 1, or 2 for a moment after a rebind; 0 only until the next submission. */
    private int reads;
    /** The thread that submitted the newest read (its completion runs as that thread's task work). */
    private Thread armedBy;
    private long received;

    private UringWake(int eventFd, MemorySegment buf) {
        this.eventFd = eventFd;
        this.signal = new WakeSignal(eventFd);
        this.buf = buf;
    }

    /** A blocking eventfd (the ring waits for it; a write blocks only at 2^64-2), its counter read into {@code arena}. */
    static UringWake open(Arena arena) throws IOException {
        int ev = Linux.local().eventfd(0, Linux.O_CLOEXEC);
        if (ev < 0) {
            throw new IOException("eventfd: " + Errno.describe(ev));
        }
        return new UringWake(ev, arena.allocate(8, 8));
    }

    /** Writes the read into {@code sqe}: its completion ends a park when another thread calls {@link #wakeup()}. */
    void arm(Sqe sqe) {
        sqe.opcode(Sqe.OP_READ).fd(eventFd).addr(buf).len(8).off(0).userData(USER_DATA);
        reads++;
        armedBy = Thread.currentThread();
    }

    /** A read completed with {@code res}; true if none is left in the kernel (arm another). */
    boolean completed(int res) {
        if (res == 8) {
            received += buf.get(ValueLayout.JAVA_LONG, 0); // the eventfd's counter: wakeup() calls
        }
        reads--;
        return reads == 0;
    }

    /** Reads in the kernel. */
    int reads() {
        return reads;
    }

    /** Whether the newest read is another thread's than {@code loop} (which asks): a rebind arms one of its own. */
    boolean armedByOtherThan(Thread loop) {
        return reads > 0 && armedBy != loop && Thread.currentThread() == loop;
    }

    /** Any thread. */
    void wakeup() {
        signal.signal(); // nothing once closed: the number may be another descriptor's by then
    }

    /** wakeup() calls that reached the loop. */
    long received() {
        return received;
    }

    void close(Linux sys) {
        signal.close(sys);
    }
}
