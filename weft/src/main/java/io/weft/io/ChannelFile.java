package io.weft.io;

import io.weft.CancellableFuture;
import io.weft.Context;
import io.weft.Poll;
import io.weft.Waker;
import io.weft.blocking.BlockingJob;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A file on the epoll and nio drivers: a {@link FileChannel} whose calls run
 * on the {@link io.weft.blocking.BlockingPool}. Data passes through a bounce
 * buffer owned by the job ({@link BounceBuffers}), copied on the loop thread,
 * so a cancelled read never writes into the task's memory after it gave up. With {@code direct} (O_DIRECT) the
 * bounce buffer is aligned to {@code alignment}. Loop thread only, checked
 * at each call and poll ({@link FileContract}).
 *
 * <p>A blocking call cannot be interrupted, so closing fails the pending
 * operations at once ({@link PoolOp#closed}) and leaves each job to finish
 * on its own, with its bounce buffer; FileChannel.close() itself waits for
 * a pread or pwrite a pool thread is in the middle of.
 *
 * <p>A write (or fsync) cancelled while a pool thread is in it still lands,
 * so a later write or fsync of the file waits for it to end before its own
 * call ({@link #writesAhead}): what the later write puts at a position is
 * never overwritten by the cancelled one, as io_uring holds a later write
 * back behind a cancelled one still in the kernel
 * ({@code FdSocket.cancelledInKernel}). Reads do not wait.
 */
public final class ChannelFile implements FileHandle {
    private final IoDriver driver;
    private final FileChannel channel;
    private final String path;
    private final int alignment;
    private final boolean readable;
    private final boolean writable;
    private boolean closed;
    /** Ops polled and not finished, a doubly linked list: close fails them. */
    private PoolOp<?> pending;
    /** Jobs of this file submitted to the pool and not ended (pool threads decrement it). */
    private final AtomicInteger running = new AtomicInteger();
    /** Writes and fsyncs given up while a pool thread was in them, maybe not ended yet (loop thread; null if none). */
    private ArrayList<BlockingJob<?>> cancelledWrites;

    private ChannelFile(IoDriver driver, FileChannel channel, String path, int alignment, boolean readable,
                        boolean writable) {
        this.driver = driver;
        this.channel = channel;
        this.path = path;
        this.alignment = alignment;
        this.readable = readable;
        this.writable = writable;
    }

    /** A file over a channel opened by the caller (tests give one whose calls they hold). */
    static ChannelFile over(IoDriver driver, FileChannel channel, String path, boolean readable, boolean writable) {
        return new ChannelFile(driver, channel, path, 1, readable, writable);
    }

    /**
     * Opens on the pool; {@code alignment} &gt; 1 asks for O_DIRECT. A
     * cancelled open closes what it opened.
     */
    public static CancellableFuture<FileHandle> open(IoDriver driver, Path path, Set<? extends OpenOption> options,
                                                     int alignment) {
        boolean read = FileContract.reads(options);
        boolean write = FileContract.writes(options);
        String p = path.toString();
        return BlockingJob.submit(() -> {
            HashSet<OpenOption> opts = new HashSet<>(options);
            if (read) {
                opts.add(StandardOpenOption.READ);
            }
            if (alignment > 1) {
                opts.add(com.sun.nio.file.ExtendedOpenOption.DIRECT);
            }
            try {
                return (FileHandle) new ChannelFile(driver, FileChannel.open(path, opts), p, alignment, read, write);
            } catch (IOException e) {
                throw new UncheckedIOException(FileContract.rename("open", p, e));
            }
        }, h -> ((ChannelFile) h).closeOnPool());
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public void checkThread() {
        FileContract.checkThread(driver, path);
    }

    @Override
    public void check(int access) {
        FileContract.check(driver, path, closed, access, readable, writable);
    }

    @Override
    public CancellableFuture<Integer> readAt(ByteBuffer dst, long position) {
        return readAt(MemorySegment.ofBuffer(dst), position, dst);
    }

    @Override
    public CancellableFuture<Integer> readAt(MemorySegment dst, long position) {
        return readAt(dst, position, null);
    }

    private CancellableFuture<Integer> readAt(MemorySegment dst, long position, ByteBuffer advance) {
        check(FileContract.READ);
        checkPosition(position);
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("read into a read-only buffer");
        }
        int len = (int) Math.min(dst.byteSize(), 1 << 20);
        ByteBuffer bounce = len == 0 ? null : BounceBuffers.borrow(len, alignment);
        return new PoolOp<>(this, "pread", bounce, len == 0 ? null : () -> {
            try {
                return channel.read(bounce, position);
            } catch (IOException e) {
                throw new UncheckedIOException(FileContract.rename("pread", path, e));
            }
        }, 0, n -> {
            if (n > 0) {
                MemorySegment.copy(MemorySegment.ofBuffer(bounce.flip()), 0, dst, 0, n);
                if (advance != null) {
                    advance.position(advance.position() + n);
                }
            }
        });
    }

    @Override
    public CancellableFuture<Integer> writeAt(ByteBuffer src, long position) {
        return writeAt(MemorySegment.ofBuffer(src), position, src);
    }

    @Override
    public CancellableFuture<Integer> writeAt(MemorySegment src, long position) {
        return writeAt(src, position, null);
    }

    private CancellableFuture<Integer> writeAt(MemorySegment src, long position, ByteBuffer advance) {
        check(FileContract.WRITE);
        checkPosition(position);
        int len = (int) Math.min(src.byteSize(), 1 << 20);
        ByteBuffer bounce = len == 0 ? null : BounceBuffers.borrow(len, alignment);
        return new PoolOp<>(this, "pwrite", bounce, len == 0 ? null : () -> {
            int n = 0;
            try {
                while (bounce.hasRemaining()) {
                    n += channel.write(bounce, position + n);
                }
                return n;
            } catch (IOException e) {
                if (n > 0) {
                    return n; // a short write, as pwrite(2) and io_uring report it: the failure comes at the next call
                }
                throw new UncheckedIOException(FileContract.rename("pwrite", path, e));
            }
        }, 0, n -> {
            if (advance != null) {
                advance.position(advance.position() + n);
            }
        }).copyingFirst(src, len).behindCancelledWrites();
    }

    private static void checkPosition(long position) {
        if (position < 0) {
            throw new IllegalArgumentException("negative file position " + position);
        }
    }

    @Override
    public CancellableFuture<Long> size() {
        check(FileContract.ANY);
        return new PoolOp<>(this, "fstat", null, () -> {
            try {
                return channel.size();
            } catch (IOException e) {
                throw new UncheckedIOException(FileContract.rename("fstat", path, e));
            }
        }, null, null);
    }

    @Override
    public CancellableFuture<Void> fsync() {
        check(FileContract.ANY);
        return new PoolOp<Void>(this, "fsync", null, () -> {
            try {
                channel.force(true);
                return null;
            } catch (IOException e) {
                throw new UncheckedIOException(FileContract.rename("fsync", path, e));
            }
        }, null, null).behindCancelledWrites();
    }

    /**
     * Fails the pending operations at once (their jobs finish on their own),
     * then closes the channel: here if no job of this file runs, else on the
     * pool, since {@code FileChannel.close()} waits for a read or write a
     * pool thread is in the middle of and the loop thread must not wait on
     * the disk (a failure to close there is logged).
     */
    @Override
    public void close() {
        checkThread();
        if (closed) {
            return;
        }
        closed = true;
        for (PoolOp<?> op = pending; op != null; op = pending) {
            op.closed();
        }
        if (running.get() == 0) { // no job can start from now on: closed is set
            closeChannel();
        } else {
            BlockingJob.submit(() -> {
                try {
                    closeChannel();
                } catch (UncheckedIOException e) {
                    io.weft.task.Log.get().log(System.Logger.Level.WARNING, "closing " + path
                            + " after its last pool job failed", e);
                }
                return null;
            });
        }
    }

    private void closeChannel() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(FileContract.rename("close", path, e));
        }
    }

    /** Jobs of this file submitted and not ended (for tests). */
    int jobsRunning() {
        return running.get();
    }

    /**
     * The cancelled writes (and fsyncs) that a pool thread may still be in,
     * for a write or fsync about to be submitted: its job waits for them to
     * end before its call. Null if none. Those that ended are forgotten.
     */
    private BlockingJob<?>[] writesAhead() {
        if (cancelledWrites == null) {
            return null;
        }
        cancelledWrites.removeIf(BlockingJob::isDone);
        return cancelledWrites.isEmpty() ? null : cancelledWrites.toArray(new BlockingJob<?>[0]);
    }

    /** A write's job, given up while a pool thread is in it: later writes wait for its end. */
    private void cancelledWhileRunning(BlockingJob<?> write) {
        if (cancelledWrites == null) {
            cancelledWrites = new ArrayList<>(2);
        }
        cancelledWrites.add(write);
    }

    /** The discard action of a cancelled open: no executor thread is involved, nothing can be pending. */
    private void closeOnPool() {
        closed = true;
        closeChannel();
    }

    @Override
    public String toString() {
        return "ChannelFile[" + path + (closed ? ", closed]" : "]");
    }

    /**
     * One call of a file on the pool: the job, the bounce buffer it owns
     * until a poll returns its value, and the waker of the op's last pending
     * poll. Loop thread only. States: NEW (not polled yet); LISTED (polled,
     * waiting, in the file's {@code pending} list); CLOSED (the file closed
     * while it was listed: its next poll throws AsynchronousCloseException);
     * DONE (a poll returned or threw); CANCELLED. When an op leaves NEW or
     * LISTED other than by a poll that took the value, its job is cancelled
     * and keeps the bounce buffer (a pool thread may still be writing it).
     */
    private static final class PoolOp<T> implements CancellableFuture<T> {
        private static final int NEW = 0, LISTED = 1, CLOSED = 2, DONE = 3, CANCELLED = 4, CLOSED_AFTER_JOB = 5;
        /** {@link #start}: no pool thread took the job yet; one did; the op dropped it first (it does nothing). */
        private static final int QUEUED = 0, STARTED = 1, DROPPED = 2;
        /**
         * Who came first, the pool thread that takes the job (QUEUED to
         * STARTED) or the op giving it up (QUEUED to DROPPED: a close, a
         * cancel). A dropped job reads and writes nothing, and never touches
         * the bounce buffer; a started one runs its call to the end.
         */
        private final java.util.concurrent.atomic.AtomicInteger start = new java.util.concurrent.atomic.AtomicInteger();

        private final ChannelFile file;
        private final String call;
        private final ByteBuffer bounce;
        /** Null when no call is needed (zero bytes): the value is {@link #now}. */
        private final Callable<T> body;
        /** Submitted at the first poll, as io_uring submits its ops: a cancel before it starts nothing. */
        private BlockingJob<T> job;
        private final T now;
        private final Consumer<T> onValue;
        /** A write's bytes, copied into the bounce buffer at the first poll (when io_uring would read them). */
        private MemorySegment source;
        private int sourceLength;
        /** A write or fsync: it waits for the file's cancelled writes to end, and holds later ones back if cancelled. */
        private boolean ordered;
        /** The cancelled writes its job waits for before its call; null if none. */
        private BlockingJob<?>[] waitsFor;
        private int state = NEW;
        private Waker waker;
        private PoolOp<?> prev;
        private PoolOp<?> next;

        PoolOp(ChannelFile file, String call, ByteBuffer bounce, Callable<T> body, T now, Consumer<T> onValue) {
            this.file = file;
            this.call = call;
            this.bounce = bounce;
            this.body = body;
            this.now = now;
            this.onValue = onValue;
        }

        /** The op copies {@code len} bytes of {@code src} into the bounce buffer before it submits its job. */
        PoolOp<T> copyingFirst(MemorySegment src, int len) {
            this.source = src;
            this.sourceLength = len;
            return this;
        }

        /** The op changes the file: it runs after the file's cancelled writes still running, and holds back later ones. */
        PoolOp<T> behindCancelledWrites() {
            this.ordered = true;
            return this;
        }

        private void submit() {
            if (source != null) {
                MemorySegment.copy(source, 0, MemorySegment.ofBuffer(bounce), 0, sourceLength);
                source = null;
            }
            BlockingJob<?>[] ahead = ordered ? file.writesAhead() : null;
            waitsFor = ahead;
            file.running.incrementAndGet();
            job = BlockingJob.submit(() -> {
                try {
                    if (ahead != null) {
                        for (BlockingJob<?> j : ahead) {
                            // still QUEUED meanwhile: a cancel or close drops this job, and nudges j to end the wait
                            j.awaitEnd(() -> start.get() == DROPPED);
                        }
                    }
                    if (!start.compareAndSet(QUEUED, STARTED)) {
                        return null; // dropped before a pool thread took it: nothing is read or written
                    }
                    return body.call();
                } finally {
                    file.running.decrementAndGet(); // pairs with close(), which closes inline only at 0
                }
            });
        }

        @Override
        public Poll<T> poll(Context cx) {
            file.checkThread();
            switch (state) {
                case DONE, CANCELLED -> throw new IllegalStateException("file operation " + call + " on " + file.path
                        + " polled after it " + (state == DONE ? "completed" : "was cancelled") + " (state " + state
                        + ")");
                case CLOSED -> {
                    state = DONE;
                    throw FileContract.closedWhilePending(file.path, call);
                }
                case CLOSED_AFTER_JOB -> { // the close is reported once the call under way has ended
                    try {
                        if (!job.poll(cx).isReady()) {
                            waker = cx.waker();
                            return Poll.pending();
                        }
                    } catch (RuntimeException | Error ended) {
                        // its end is what the close waited for; the close is the answer
                    }
                    state = DONE;
                    waker = null;
                    giveBack();
                    throw FileContract.closedWhilePending(file.path, call);
                }
                default -> {
                }
            }
            if (file.closed) { // NEW: made before the close, polled after it
                leave(DONE);
                throw FileContract.closedWhilePending(file.path, call);
            }
            if (body == null) {
                state = DONE;
                return Poll.ready(now);
            }
            if (job == null) {
                submit();
            }
            Poll<T> p;
            try {
                p = job.poll(cx);
            } catch (Throwable t) {
                unlink();
                state = DONE;
                waker = null;
                giveBack();
                throw t;
            }
            if (!p.isReady()) {
                waker = cx.waker();
                if (state == NEW) {
                    link();
                    state = LISTED;
                }
                return p;
            }
            unlink();
            state = DONE;
            waker = null;
            if (onValue != null) {
                onValue.accept(p.get());
            }
            giveBack();
            return p;
        }

        /**
         * Nothing more is taken from the job: its value, if it comes, is
         * dropped; the bounce buffer stays with it. Before the first poll
         * nothing was submitted, and nothing will be.
         */
        @Override
        public void cancel() {
            if (state == NEW || state == LISTED) {
                leave(CANCELLED);
            } else if (state == CLOSED) {
                state = CANCELLED;
            } else if (state == CLOSED_AFTER_JOB) {
                state = CANCELLED;
                waker = null;
                job.cancel(); // it keeps the bounce buffer: a pool thread is in the call
            }
        }

        /**
         * The file closed while this op was listed: it fails at its next
         * poll, which this asks for. A job no pool thread took yet is dropped
         * (it does nothing) and the op fails at once; one a pool thread is
         * running is waited for, so that the failure is reported only once
         * the call is over (as io_uring reports it at the op's completion):
         * nothing the op was to write lands after its failure.
         */
        void closed() {
            Waker w = waker;
            if (job != null && !dropJob()) {
                unlink();
                state = CLOSED_AFTER_JOB; // its waker stays: the job's end wakes it too
            } else {
                leave(CLOSED);
            }
            if (w != null) {
                w.wake();
            }
        }

        /**
         * Gives up the job and moves to {@code to}: a job that runs keeps the
         * bounce buffer (a pool thread may be writing it); one never submitted
         * gives it back.
         */
        private void leave(int to) {
            unlink();
            state = to;
            waker = null;
            if (job == null) {
                giveBack();
            } else if (dropJob()) {
                job.cancel();
                giveBack(); // the dropped job never touches it
            } else {
                job.cancel(); // running: it keeps the bounce buffer (a pool thread may be writing it)
                if (ordered && to == CANCELLED) {
                    file.cancelledWhileRunning(job); // it may land yet: later writes go after it
                }
            }
        }

        /** Whether the job will do nothing: dropped now, or before; false once a pool thread took it. */
        private boolean dropJob() {
            if (start.compareAndSet(QUEUED, DROPPED)) {
                if (waitsFor != null) {
                    for (BlockingJob<?> j : waitsFor) {
                        j.nudge(); // its pool thread stops waiting at once: it will do nothing
                    }
                }
                return true;
            }
            return start.get() == DROPPED;
        }

        private void giveBack() {
            if (bounce != null) {
                BounceBuffers.giveBack(bounce);
            }
        }

        private void link() {
            next = file.pending;
            if (next != null) {
                next.prev = this;
            }
            file.pending = this;
        }

        private void unlink() {
            if (state != LISTED) {
                return;
            }
            if (prev == null) {
                file.pending = next;
            } else {
                prev.next = next;
            }
            if (next != null) {
                next.prev = prev;
            }
            prev = null;
            next = null;
        }
    }
}
