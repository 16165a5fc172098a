package io.weft.io;

import io.weft.CancellableFuture;
import io.weft.Poll;
import io.weft.blocking.BlockingJob;
import io.weft.sys.Errno;
import io.weft.sys.Linux;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * A file on the io_uring driver: positional reads and writes and fsync are
 * true asynchronous operations in the ring (IORING_OP_READ, _WRITE, _FSYNC
 * with an offset); size is fstat(2) on the loop thread. The descriptor is
 * opened on the {@link io.weft.blocking.BlockingPool} (an open may wait on the disk). Loop
 * thread only, checked at each call and poll ({@link FileContract}).
 *
 * <p>Closing cancels the ops in the kernel as for a socket (see
 * {@link UringDriver}); each keeps its buffers until its own completion,
 * then fails with AsynchronousCloseException, even when the kernel had
 * finished it (a write may have been written).
 */
public final class FdFile extends FdSocket implements FileHandle {
    private final String path;
    private final boolean readable;
    private final boolean writable;

    FdFile(FdDriver driver, int fd, String path, boolean readable, boolean writable) {
        super(driver, fd);
        this.path = path;
        this.readable = readable;
        this.writable = writable;
    }

    static final int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0100, O_EXCL = 0200, O_TRUNC = 01000,
            O_APPEND = 02000, O_DSYNC = 010000, O_SYNC = 04010000;
    /** O_DIRECT differs by architecture: 040000 (x86_64 and the generic value), 0200000 on aarch64. */
    static final int O_DIRECT = "aarch64".equals(System.getProperty("os.arch")) ? 0200000 : 040000;
    /** O_NOFOLLOW likewise: 0400000 (x86_64 and generic), 0100000 on aarch64. */
    static final int O_NOFOLLOW = "aarch64".equals(System.getProperty("os.arch")) ? 0100000 : 0400000;

    /** The open(2) flags for {@code options} (as FileChannel.open reads them). */
    static int flags(Set<? extends OpenOption> options, boolean direct) {
        boolean read = FileContract.reads(options);
        boolean write = FileContract.writes(options); // options checked at the call: IoDriver.openFile
        int f = (read && write) ? O_RDWR : write ? O_WRONLY : O_RDONLY;
        for (OpenOption o : options) {
            if (o instanceof StandardOpenOption so) {
                switch (so) {
                    case CREATE -> f |= write ? O_CREAT : 0;
                    case CREATE_NEW -> f |= write ? O_CREAT | O_EXCL : 0;
                    case TRUNCATE_EXISTING -> f |= write ? O_TRUNC : 0;
                    case APPEND -> f |= O_APPEND;
                    case DSYNC -> f |= O_DSYNC;
                    case SYNC -> f |= O_SYNC;
                    case READ, WRITE, SPARSE, DELETE_ON_CLOSE -> {
                    } // DELETE_ON_CLOSE: an unlink after the open (see open)
                }
            } else if (o == java.nio.file.LinkOption.NOFOLLOW_LINKS) {
                f |= O_NOFOLLOW; // a symbolic link fails with ELOOP, as FileChannel.open's does
            } // no other option gets here: FileContract.checkOptions refused it
        }
        return f | Linux.O_CLOEXEC | (direct ? O_DIRECT : 0);
    }

    /**
     * Opens on the pool, then wraps the descriptor on the loop thread. A
     * cancelled open closes the descriptor it got anyway. DELETE_ON_CLOSE
     * unlinks the name right after the open, as FileChannel does on Linux:
     * the file lives on while open, and goes with its last descriptor.
     */
    public static CancellableFuture<FileHandle> open(FdDriver driver, Path path, Set<? extends OpenOption> options,
                                                     boolean direct) {
        int flags = flags(options, direct);
        boolean read = FileContract.reads(options);
        boolean write = FileContract.writes(options);
        boolean deleteOnClose = options.contains(StandardOpenOption.DELETE_ON_CLOSE);
        String p = path.toString();
        BlockingJob<Integer> job = BlockingJob.submit(() -> {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment name = a.allocateFrom(p);
                int fd = Linux.local().open(name, flags, 0666);
                if (fd < 0) {
                    throw new UncheckedIOException(Errno.fileError("open", p, fd));
                }
                if (deleteOnClose) {
                    Linux.local().unlink(name); // a failure is ignored, as FileChannel ignores it
                }
                return fd;
            }
        }, fd -> Linux.local().close(fd));
        return job.map(fd -> {
            FdFile f = new FdFile(driver, fd, p, read, write);
            try {
                driver.register(f); // closed with the driver's sockets at its close, if the user never closes it
            } catch (IOException | RuntimeException e) {
                Linux.local().close(fd);
                throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
            }
            return f;
        });
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
    UncheckedIOException closedFailure() {
        return closed ? FileContract.closedWhilePending(path, "operation") : null;
    }

    @Override
    UncheckedIOException failure(String call, long res) {
        UncheckedIOException c = closedFailure();
        return c != null ? c : new UncheckedIOException(Errno.fileError(call, path, (int) res));
    }

    @Override
    public CancellableFuture<Integer> readAt(ByteBuffer dst, long position) {
        check(FileContract.READ);
        return new RwOp(driver, this, true, MemorySegment.ofBuffer(dst), dst, position);
    }

    @Override
    public CancellableFuture<Integer> readAt(MemorySegment dst, long position) {
        check(FileContract.READ);
        return new RwOp(driver, this, true, dst, null, position);
    }

    @Override
    public CancellableFuture<Integer> writeAt(ByteBuffer src, long position) {
        check(FileContract.WRITE);
        return new RwOp(driver, this, false, MemorySegment.ofBuffer(src), src, position);
    }

    @Override
    public CancellableFuture<Integer> writeAt(MemorySegment src, long position) {
        check(FileContract.WRITE);
        return new RwOp(driver, this, false, src, null, position);
    }

    /**
     * fstat(2) at the first poll, on the loop thread: it reads the inode and
     * does not wait on a local disk (FileChannel.size() makes the same call).
     */
    @Override
    public CancellableFuture<Long> size() {
        check(FileContract.ANY);
        return new CancellableFuture<>() {
            @Override
            public Poll<Long> poll(io.weft.Context cx) {
                checkThread();
                if (closed) {
                    throw FileContract.closedWhilePending(path, "fstat");
                }
                if (!cx.consumeBudget()) {
                    return Poll.pending();
                }
                long size = Linux.local().fstatSize(fd);
                if (size < 0) {
                    throw new UncheckedIOException(Errno.fileError("fstat", path, (int) size));
                }
                return Poll.ready(size);
            }

            @Override
            public void cancel() {
                // nothing was asked of the kernel
            }
        };
    }

    @Override
    public CancellableFuture<Void> fsync() {
        check(FileContract.ANY);
        return new FsyncOp(driver, this);
    }

    /** Pending ops end as in {@link UringDriver}'s "Closing a socket": cancelled in the kernel, then failing. */
    @Override
    public void close() {
        checkThread();
        super.close();
    }

    @Override
    public String toString() {
        return "FdFile[" + path + ", fd=" + fd + (closed ? ", closed]" : "]");
    }

    /**
     * An op of a file: checks the thread and the open file at its first
     * poll, and fails with AsynchronousCloseException when the file was
     * closed before its value was returned, whatever the kernel did.
     */
    abstract static class FileOp<T> extends FdOp<T> {
        final FdFile file;

        FileOp(FdDriver driver, FdFile f) {
            super(driver, f);
            this.file = f;
        }

        /** The system call, for messages. */
        abstract String call();

        /** The value when the kernel is not needed (a zero-length read or write), or null. */
        T immediate() {
            return null;
        }

        /** The value of a non-negative kernel result. */
        abstract T value(long res);

        @Override
        public Poll<T> poll(io.weft.Context cx) {
            if (state == NEW) {
                file.checkThread();
                if (file.closed) {
                    state = DONE;
                    throw FileContract.closedWhilePending(file.path, call());
                }
                T now = immediate();
                if (now != null) {
                    state = DONE;
                    return Poll.ready(now);
                }
            }
            return super.poll(cx);
        }

        @Override
        public long attempt(Linux sys) {
            throw new UnsupportedOperationException("file operations run on a completion driver only");
        }

        @Override
        public final T complete(long res) {
            if (file.closed) {
                throw FileContract.closedWhilePending(file.path, call()); // close cancelled it, or came first
            }
            if (res < 0) {
                throw new UncheckedIOException(Errno.fileError(call(), file.path, (int) res));
            }
            return value(res);
        }
    }

    /** pread / pwrite as IORING_OP_READ / IORING_OP_WRITE at an offset. */
    static final class RwOp extends FileOp<Integer> {
        private final boolean read;
        private final MemorySegment seg;
        private final ByteBuffer advance;
        private final long position;

        RwOp(FdDriver driver, FdFile f, boolean read, MemorySegment seg, ByteBuffer advance, long position) {
            super(driver, f);
            if (position < 0) {
                throw new IllegalArgumentException("negative file position " + position);
            }
            if (read && seg.isReadOnly()) {
                throw new IllegalArgumentException("read into a read-only buffer");
            }
            this.read = read;
            this.seg = seg;
            this.advance = advance;
            this.position = position;
        }

        @Override
        String call() {
            return read ? "pread" : "pwrite";
        }

        @Override
        Integer immediate() {
            return seg.byteSize() == 0 ? 0 : null;
        }

        @Override
        public int interest() {
            return read ? READ : WRITE;
        }

        @Override
        public void prepare(Sqe sqe) {
            MemorySegment k = kernelMemory(seg, Integer.MAX_VALUE & ~4095L, !read);
            sqe.opcode(read ? Sqe.OP_READ : Sqe.OP_WRITE).fd(socket.fd).addr(k).len((int) k.byteSize()).off(position);
        }

        @Override
        Integer value(long res) {
            if (read && res == 0) {
                return -1;
            }
            if (read && nativeBuf != null) {
                MemorySegment.copy(nativeBuf, 0, seg, 0, res);
            }
            if (advance != null) {
                advance.position(advance.position() + (int) res);
            }
            return (int) res;
        }
    }

    static final class FsyncOp extends FileOp<Void> {
        FsyncOp(FdDriver driver, FdFile f) {
            super(driver, f);
        }

        @Override
        String call() {
            return "fsync";
        }

        @Override
        public int interest() {
            return WRITE;
        }

        @Override
        public void prepare(Sqe sqe) {
            sqe.opcode(Sqe.OP_FSYNC).fd(socket.fd);
        }

        @Override
        Void value(long res) {
            return null;
        }
    }
}
