package io.weft.io;

import io.weft.Context;
import io.weft.Driver;
import io.weft.Poll;
import io.weft.Waker;
import io.weft.sys.Errno;
import io.weft.sys.Linux;
import io.weft.task.Wakes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The io_uring driver: operations are submitted to the kernel and complete
 * there (the design of glommio and monoio, on the FFM API only).
 *
 * <p>How it submits, keeps what the kernel uses, cancels, orders ops
 * after a cancel, closes sockets, wakes, which ring flags it takes and why,
 * how a loop that moves between threads is handled, and why its sockets
 * are blocking: the package comment, "The io_uring driver".
 *
 * <p>Thread contract: as {@link IoDriver}, everything on the loop thread but
 * {@link #wakeup()}.
 */
public final class UringDriver extends FdDriver {

    /** Submission entries of a ring (the completion queue has twice as many). */
    public static final int DEFAULT_ENTRIES = 4096;
    /** How long {@link #close()} waits for the kernel to return what is in flight. */
    static final long CLOSE_TIMEOUT_NANOS = 5_000_000_000L;

    /** user_data of the eventfd read that carries wakes from other threads. */
    private static final long WAKE = UringWake.USER_DATA;
    /** user_data of an async cancel: its own completion is ignored. */
    private static final long CANCEL = -2L;
    /** IORING_ASYNC_CANCEL_ALL: every request with the user_data, not only the first. */
    private static final int ASYNC_CANCEL_ALL = 1;
    /** Drivers whose close timed out with ops still in the kernel: their memory must stay reachable and mapped. */
    private static final List<UringDriver> ABANDONED = new ArrayList<>();


    private final UringRing ring;
    private final UringWake wake;
    private final Arena arena = Arena.ofShared();
    private final SocketTable sockets = new SocketTable();

    /** The in-flight table. */
    private final UringSlots slots = new UringSlots();

    /** Changes each time the loop moves to another thread: an op of an earlier epoch was submitted by another thread. */
    private int epoch;
    private Thread loopThread = Thread.currentThread();
    private boolean closed;

    // counters
    private final UringStats stats = new UringStats();

    private UringDriver(UringRing ring) throws IOException {
        this.ring = ring;
        this.wake = UringWake.open(arena);
    }

    /** A ring of {@link #DEFAULT_ENTRIES}; IOException naming the call and errno when the kernel refuses. */
    public static UringDriver open() throws IOException {
        return open(DEFAULT_ENTRIES);
    }

    /** A ring of {@code entries} submission entries (a power of two; tests use tiny rings to reach the full paths). */
    public static UringDriver open(int entries) throws IOException {
        UringRing ring = UringRing.open(entries,
                UringRing.SETUP_CLAMP | UringRing.SETUP_SUBMIT_ALL | UringRing.SETUP_COOP_TASKRUN
                        | UringRing.SETUP_TASKRUN_FLAG,
                UringRing.SETUP_CLAMP);
        UringDriver d;
        try {
            d = new UringDriver(ring); // its eventfd is blocking: the ring waits for it (see "Blocking descriptors")
        } catch (IOException | RuntimeException e) {
            ring.close();
            throw e;
        }
        try {
            d.armWake();
            d.submitNow();
        } catch (RuntimeException e) {
            ring.close();
            d.wake.close(Linux.local());
            throw e;
        }
        return d;
    }

    @Override
    public Driver kind() {
        return Driver.URING;
    }

    @Override
    protected int socketFlags() {
        return 0; // blocking: see "Blocking descriptors"
    }

    /** The setup flags the kernel accepted (IORING_SETUP_*). */
    public int setupFlags() {
        return ring.flags;
    }

    // =====================================================================
    // Operations
    // =====================================================================

    @Override
    public <T> Poll<T> pollOp(FdOp<T> op, Context cx) {
        op.socket.checkThread();
        switch (op.state) {
            case FdOp.NEW -> {
                if (op.socket.closed) {
                    op.state = FdOp.DONE;
                    UncheckedIOException c = op.waitedBehind ? op.socket.closedFailure() : null;
                    throw c != null ? c : op.socket.failure("use of a closed socket", -Linux.EBADF);
                }
                if (closed) {
                    throw new IllegalStateException("I/O on a closed io_uring driver");
                }
                FdOp<?> ahead = op.socket.cancelledInKernel(op.interest());
                if (ahead != null) {
                    // Its completion may still bring bytes (or a connection) that come before ours: wait
                    // for it, then the op's poll takes what it kept first.
                    ahead.alsoWake(cx.waker());
                    op.waitedBehind = true; // pending from now on: a close fails it as closed asynchronously
                    return Poll.pending();
                }
                op.waker = cx.waker(); // first: a file op's submit may reap, and so its own completion
                submit(op);
                return Poll.pending();
            }
            case FdOp.WAITING -> {
                if (!op.hasResult) {
                    op.waker = cx.waker();
                    return Poll.pending();
                }
                if (op.socket.closed && op.interest() == FdOp.READ) {
                    // A read, receive or accept completed, its result not yet taken, when its socket closed: it
                    // fails as any op pending at a close (as on epoll and nio, which had not made the call yet);
                    // what the kernel gave it goes as a cancelled op's (an accepted descriptor is closed). A
                    // write the kernel did keeps its count: its bytes went, and a caller told otherwise would
                    // send them again.
                    op.state = FdOp.DONE;
                    op.waker = null;
                    keep(op, op.result);
                    throw op.socket.closedFailure();
                }
                if (!cx.consumeBudget()) {
                    return Poll.pending(); // budget spent: the task was woken to run again later
                }
                op.state = FdOp.DONE;
                op.waker = null;
                try {
                    return Poll.ready(op.complete(op.result));
                } finally {
                    giveBack(op); // after complete: a read copies out of the lent buffer
                }
            }
            default -> throw new IllegalStateException("I/O operation polled after it "
                    + (op.state == FdOp.DONE ? "completed" : "was cancelled") + " (state " + op.state + ")");
        }
    }

    @Override
    public void cancelOp(FdOp<?> op) {
        op.socket.checkThread();
        int was = op.state;
        op.state = FdOp.CANCELLED;
        op.waker = null;
        if (was != FdOp.WAITING) {
            return; // NEW: never submitted
        }
        if (op.inKernel) {
            if (op.interest() == FdOp.WRITE) {
                op.countedCancelledWrite = true;
                op.socket.cancelledWrites = op.socket.cancelledWrites + 1; // the loop thread is the one writer
            }
            cancelInKernel(slots.userData(op.slot)); // the op leaves the table at its own completion
        } else if (op.hasResult) {
            op.hasResult = false; // completed, never looked at: keep what it got
            keep(op, op.result);
        } else {
            throw new IllegalStateException("cancel of " + op + ": WAITING, yet neither in the kernel nor completed");
        }
    }

    @Override
    protected boolean cancelledInKernel(FdSocket s, int interest) {
        return s.cancelledInKernel(interest) != null;
    }

    /** Writes op's entry; the op is WAITING and in the table until its completion. */
    private void submit(FdOp<?> op) {
        Sqe sqe = sqe();
        int slot = slots.take(op, epoch);
        try {
            op.prepare(sqe);
        } catch (RuntimeException | Error e) {
            sqe.opcode(Sqe.OP_NOP).userData(CANCEL); // the entry is taken: make it harmless
            slots.drop(slot);
            giveBack(op);
            throw e;
        }
        sqe.userData(slots.userData(slot));
        op.slot = slot;
        op.state = FdOp.WAITING;
        op.inKernel = true;
        op.hasResult = false;
        op.socket.inKernel++;
        op.socket.waiters.add(op);
        stats.submitted++;
        if (op.socket instanceof FdFile) {
            // A file op goes to the kernel at once, as fio does by default (iodepth_batch_submit=1): the
            // device starts on it while the loop runs the other tasks. One enter per file op; measured
            // with 32 tasks of random 4 KiB O_DIRECT reads: 62-68k IOPS instead of 52-56k (fio: 65-69k).
            // Socket ops keep the one batch per loop turn, where the batch pays.
            submitNow();
        }
    }

    /** Queues IORING_OP_ASYNC_CANCEL for the requests with {@code userData}. */
    private void cancelInKernel(long userData) {
        Sqe sqe = sqe();
        sqe.opcode(Sqe.OP_ASYNC_CANCEL).fd(-1).addr(userData).userData(CANCEL);
        if (userData == WAKE) {
            sqe.opFlags(ASYNC_CANCEL_ALL);
        }
        stats.cancels++;
    }

    /** A free submission entry; a full SQ is submitted first. */
    private Sqe sqe() {
        Sqe sqe = ring.next();
        if (sqe == null) {
            submitNow();
            sqe = ring.next();
            if (sqe == null) {
                throw new IllegalStateException("io_uring SQ still full after io_uring_enter: " + ring);
            }
        }
        return sqe;
    }

    /** Submits what is written, without waiting; completions stay in the CQ for the next reap. */
    private void submitNow() {
        for (int attempt = 0; ring.unsubmitted() > 0; attempt++) {
            int rc = enter(0, 0, -1);
            if (attempt < 100) {
                if (rc > 0 || rc == -Linux.EINTR) {
                    continue;
                }
                if (rc == -Linux.EAGAIN || rc == -Linux.EBUSY) {
                    reap(); // the kernel is short of room for completions: make some
                    continue;
                }
            }
            throw new IllegalStateException("io_uring_enter (submit " + ring.unsubmitted() + "): "
                    + (rc < 0 ? Errno.describe(rc) : rc + " taken"));
        }
    }

    private int enter(int minComplete, int flags, long timeoutNanos) {
        stats.enters++;
        return ring.enter(minComplete, flags, timeoutNanos);
    }

    private void giveBack(FdOp<?> op) {
        MemorySegment b = op.nativeBuf;
        if (b != null) {
            op.nativeBuf = null;
            release(b);
        }
    }

    /** A cancelled op's result: keep what must not be lost, then give its buffer back. */
    private void keep(FdOp<?> op, long res) {
        if (res >= 0) {
            stats.lateResults++;
        }
        try {
            op.completeCancelled(res);
        } catch (RuntimeException e) {
            io.weft.task.Log.get().log(System.Logger.Level.WARNING, "a cancelled I/O operation failed to keep its result " + res
                    + " on " + op.socket, e);
        } finally {
            giveBack(op);
        }
    }

    // =====================================================================
    // Completions
    // =====================================================================

    /** Handles every completion in the CQ; returns how many tasks it woke. Re-entrant (the head moves first). */
    private int reap() {
        int woken = 0;
        while (ring.hasCompletion()) {
            long ud = ring.userData();
            int res = ring.res();
            ring.advance();
            woken += completion(ud, res);
        }
        return woken;
    }

    private int completion(long ud, int res) {
        if (ud == CANCEL) {
            return 0;
        }
        if (ud == WAKE) {
            if (wake.completed(res) && !closed) {
                armWake();
            }
            return 0;
        }
        FdOp<?> op = slots.find(ud, res);
        int slot = (int) ud;
        boolean earlierThread = slots.epoch(slot) != epoch;
        slots.drop(slot);
        stats.completed++;
        op.slot = -1;
        op.inKernel = false;
        op.socket.inKernel--;
        op.socket.waiters.remove(op);
        if (op.state == FdOp.CANCELLED) {
            if (op.countedCancelledWrite) {
                op.countedCancelledWrite = false;
                op.socket.cancelledWrites = op.socket.cancelledWrites - 1;
            }
            keep(op, res);
            Waker behind = op.waker; // ops of the same direction that waited for this one
            op.waker = null;
            if (behind != null) {
                Wakes.wakeReporting(behind, "an I/O operation"); // a throw would stop the reactor's loop
                return 1;
            }
            return 0;
        }
        if (res == -Linux.ECANCELED && earlierThread && !op.socket.closed && !closed && op.restart()) {
            // Not asked for: the thread that submitted it has exited, and the kernel ends the ops of an exiting
            // thread. Submitted again from this one.
            giveBack(op);
            stats.restarts++;
            submit(op);
            return 0;
        }
        op.result = res;
        op.hasResult = true;
        Waker w = op.waker;
        op.waker = null;
        if (w != null) {
            Wakes.wakeReporting(w, "an I/O operation");
            return 1;
        }
        return 0;
    }

    /** Queues a read of the eventfd: its completion ends a park when another thread calls {@link #wakeup()}. */
    private void armWake() {
        wake.arm(sqe());
    }

    // =====================================================================
    // The loop's calls
    // =====================================================================

    @Override
    public int poll() {
        if (closed) {
            return 0;
        }
        int n = 0;
        for (int round = 0; round < 8; round++) {
            boolean flush = (ring.sqFlags() & (UringRing.SQ_TASKRUN | UringRing.SQ_CQ_OVERFLOW)) != 0;
            if (ring.unsubmitted() > 0 || flush) {
                // GETEVENTS with min 0: runs the completion work waiting for this thread and moves overflowed
                // completions into the CQ, without waiting
                int rc = enter(0, UringRing.ENTER_GETEVENTS, -1);
                if (rc < 0 && rc != -Linux.EINTR && rc != -Linux.EAGAIN && rc != -Linux.EBUSY) {
                    throw new IllegalStateException("io_uring_enter: " + Errno.describe(rc));
                }
            } else if (round > 0) {
                break;
            }
            int r = reap();
            n += r;
            if (r == 0 && ring.unsubmitted() == 0) {
                break;
            }
        }
        handled(n);
        return n;
    }

    @Override
    public void park(long timeoutNanos) {
        if (closed) {
            return;
        }
        if (timeoutNanos == 0 || ring.hasCompletion()) {
            poll();
            return;
        }
        if (wake.reads() == 0) {
            armWake(); // not reachable in practice: reap re-arms; without it a wake could not end this wait
        }
        int rc = enter(1, 0, timeoutNanos);
        if (rc < 0 && rc != -Linux.ETIME && rc != -Linux.EINTR && rc != -Linux.EAGAIN && rc != -Linux.EBUSY) {
            throw new IllegalStateException("io_uring_enter (wait): " + Errno.describe(rc));
        }
        poll(); // handles what is there, and what overflowed
    }

    @Override
    public void wakeup() {
        wake.wakeup();
    }

    @Override
    public void bindTo(Thread loop) {
        super.bindTo(loop);
        if (loop != loopThread) {
            loopThread = loop;
            epoch++;
        }
        if (!closed && wake.armedByOtherThan(loop)) {
            // The wake read's completion runs as task work of the thread that submitted it; one of this
            // thread's takes over, so a wake never waits for that thread to enter the kernel.
            cancelInKernel(WAKE);
            armWake();
        }
    }

    @Override
    public int pending() {
        return slots.size();
    }

    // =====================================================================
    // Sockets
    // =====================================================================

    @Override
    protected void register(FdSocket s) {
        sockets.add(s);
    }

    @Override
    protected void deregister(FdSocket s) {
        sockets.remove(s);
    }

    @Override
    protected boolean wakeWhenCancelledOpsEnd(FdSocket s, Waker w) {
        if (s.inKernel == 0) {
            return false;
        }
        FdOp<?> op = (FdOp<?>) s.waiters.head(); // every op of s in the kernel is on this list
        op.alsoWake(w); // woken at its completion (see completion)
        return true;
    }

    @Override
    protected void closing(FdSocket s) {
        if (s.inKernel > 0) {
            checkThread(); // it writes to the SQ
            // user_data first: queuing a cancel may reap, and a completion takes its op off the list
            long[] live = new long[s.inKernel];
            int n = 0;
            for (ListedOp<?> l = s.waiters.head(); l != null && n < live.length; l = l.nextWaiter()) {
                FdOp<?> op = (FdOp<?>) l;
                if (op.state != FdOp.CANCELLED) {
                    live[n++] = slots.userData(op.slot);
                }
            }
            for (int i = 0; i < n; i++) {
                cancelInKernel(live[i]); // the op completes with -ECANCELED: AsynchronousCloseException
            }
            // Now, before close(2) frees the number: an entry of this socket still in the SQ must take its file
            // reference from this socket, not from the next one given the same number.
            submitNow();
        }
        sockets.remove(s);
    }

    // =====================================================================
    // Closing
    // =====================================================================

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true; // no wake read is re-armed from here on
        for (int slot = 0; slot < slots.limit(); slot++) {
            FdOp<?> op = slots.at(slot);
            if (op != null && op.state != FdOp.CANCELLED) {
                op.state = FdOp.CANCELLED; // nobody will poll it: its completion goes to completeCancelled
                op.waker = null;
                cancelInKernel(slots.userData(slot));
            }
        }
        if (wake.reads() > 0) {
            cancelInKernel(WAKE);
        }
        sockets.closeAll();
        long deadline = System.nanoTime() + CLOSE_TIMEOUT_NANOS;
        while (slots.size() > 0 || wake.reads() > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            int rc = enter(1, 0, Math.min(left, 100_000_000L));
            if (rc < 0 && rc != -Linux.ETIME && rc != -Linux.EINTR && rc != -Linux.EAGAIN && rc != -Linux.EBUSY) {
                io.weft.task.Log.get().log(System.Logger.Level.WARNING, "io_uring_enter while closing: " + Errno.describe(rc));
                break;
            }
            reap();
        }
        boolean drained = slots.size() == 0 && wake.reads() == 0;
        wake.close(sys);
        ring.close(); // the kernel cancels what is left in its own time
        if (drained) {
            arena.close();
            buffers.close();
        } else {
            io.weft.task.Log.get().log(System.Logger.Level.WARNING, "io_uring driver closed with " + slots.size() + " operation(s) and "
                    + wake.reads() + " wake read(s) still in the kernel after " + CLOSE_TIMEOUT_NANOS / 1_000_000
                    + " ms; their buffers are kept for the life of the JVM");
            synchronized (ABANDONED) {
                ABANDONED.add(this); // the kernel may still write into them
            }
        }
    }

    // =====================================================================
    // Stats
    // =====================================================================

    /** The driver's counters. */
    public UringStats stats() {
        return stats;
    }

    /**
     * {@link #wakeup()} calls that reached the loop (read from the eventfd's counter; exact while one wake read
     * is armed, i.e. except for a moment after the loop moved to another thread).
     */
    public long wakeupsReceived() {
        return wake.received();
    }

    /** Entries written and not yet taken by the kernel. */
    int unsubmitted() {
        return ring.unsubmitted();
    }

    /** Native buffers lent to the kernel right now. */
    public int buffersLent() {
        return buffers.lent();
    }

    @Override
    public String toString() {
        return "UringDriver[" + ring + ", inFlight=" + slots.size() + ", sockets=" + sockets.size() + "]";
    }
}
