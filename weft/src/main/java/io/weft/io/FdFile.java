package io.weft.io;

import io.weft.CancellableFuture;
import io.weft.Poll;
import io.weft.sys.Errno;
import io.weft.sys.Linux;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * A file on the io_uring driver: positional reads and writes and fsync are
 * true asynchronous operations in the ring (IORING_OP_READ, _WRITE, _FSYNC
 * with an offset). The descriptor is opened on the {@link BlockingPool} (an
 * open may wait on the disk). Loop thread only, as sockets.
 */
public final class FdFile extends FdSocket implements FileHandle {
    private final String path;

    FdFile(FdDriver driver, int fd, String path) {
        super(driver, fd);
        this.path = path;
    }

    static final int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0100, O_EXCL = 0200, O_TRUNC = 01000,
            O_APPEND = 02000, O_DSYNC = 010000, O_SYNC = 04010000;
    /** O_DIRECT differs by architecture: 040000 (x86_64 and the generic value), 0200000 on aarch64. */
    static final int O_DIRECT = "aarch64".equals(System.getProperty("os.arch")) ? 0200000 : 040000;

    /** The open(2) flags for {@code options} (as FileChannel.open reads them). */
    static int flags(Set<? extends OpenOption> options, boolean direct) {
        boolean read = options.contains(StandardOpenOption.READ);
        boolean write = options.contains(StandardOpenOption.WRITE) || options.contains(StandardOpenOption.APPEND);
        if (!read && !write) {
            read = true;
        }
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
                        if (so == StandardOpenOption.DELETE_ON_CLOSE) {
                            throw new UnsupportedOperationException("DELETE_ON_CLOSE is not supported");
                        }
                    }
                }
            } else if (o != java.nio.file.LinkOption.NOFOLLOW_LINKS) {
                throw new UnsupportedOperationException("open option " + o + " is not supported");
            }
        }
        return f | Linux.O_CLOEXEC | (direct ? O_DIRECT : 0);
    }

    /**
     * Opens on the pool, then wraps the descriptor on the loop thread. A
     * cancelled open closes the descriptor it got anyway.
     */
    public static CancellableFuture<FileHandle> open(FdDriver driver, Path path, Set<? extends OpenOption> options,
                                                     boolean direct) {
        int flags = flags(options, direct);
        String p = path.toString();
        BlockingPool.Job<Integer> job = BlockingPool.submit(() -> {
            try (Arena a = Arena.ofConfined()) {
                int fd = Linux.local().open(a.allocateFrom(p), flags, 0666);
                if (fd < 0) {
                    throw new UncheckedIOException(Errno.fileError("open", p, fd));
                }
                return fd;
            }
        }, fd -> Linux.local().close(fd));
        return job.map(fd -> new FdFile(driver, fd, p));
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
    public void checkOpen() {
        if (closed) {
            ClosedChannelException e = new ClosedChannelException();
            e.initCause(new IOException("file " + path + " is closed"));
            throw new UncheckedIOException(e);
        }
    }

    @Override
    UncheckedIOException failure(String call, long res) {
        UncheckedIOException c = closedFailure();
        return c != null ? c : new UncheckedIOException(Errno.fileError(call, path, (int) res));
    }

    @Override
    public CancellableFuture<Integer> readAt(ByteBuffer dst, long position) {
        checkOpen();
        return new RwOp(driver, this, true, MemorySegment.ofBuffer(dst), dst, position);
    }

    @Override
    public CancellableFuture<Integer> readAt(MemorySegment dst, long position) {
        checkOpen();
        return new RwOp(driver, this, true, dst, null, position);
    }

    @Override
    public CancellableFuture<Integer> writeAt(ByteBuffer src, long position) {
        checkOpen();
        return new RwOp(driver, this, false, MemorySegment.ofBuffer(src), src, position);
    }

    @Override
    public CancellableFuture<Integer> writeAt(MemorySegment src, long position) {
        checkOpen();
        return new RwOp(driver, this, false, src, null, position);
    }

    @Override
    public CancellableFuture<Long> size() {
        checkOpen();
        long end = driver.sys().lseek(fd, 0, 2); // SEEK_END: reads the inode's size, never waits on the disk
        if (end < 0) {
            UncheckedIOException e = new UncheckedIOException(Errno.fileError("lseek", path, (int) end));
            return IoFutures.failing(e);
        }
        return IoFutures.ready(end);
    }

    @Override
    public CancellableFuture<Void> fsync() {
        checkOpen();
        return new FsyncOp(driver, this);
    }

    @Override
    public String toString() {
        return "FdFile[" + path + ", fd=" + fd + (closed ? ", closed]" : "]");
    }

    /** pread / pwrite as IORING_OP_READ / IORING_OP_WRITE at an offset. */
    static final class RwOp extends FdOp<Integer> {
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
        public Poll<Integer> poll(io.weft.Context cx) {
            if (state == NEW && seg.byteSize() == 0) {
                state = DONE;
                return Poll.ready(0);
            }
            return super.poll(cx);
        }

        @Override
        public int interest() {
            return read ? READ : WRITE;
        }

        @Override
        public long attempt(Linux sys) {
            throw new UnsupportedOperationException("file operations run on a completion driver only");
        }

        @Override
        public void prepare(Sqe sqe) {
            MemorySegment k = kernelMemory(seg, Integer.MAX_VALUE & ~4095L, !read);
            sqe.opcode(read ? Sqe.OP_READ : Sqe.OP_WRITE).fd(socket.fd).addr(k).len((int) k.byteSize()).off(position);
        }

        @Override
        public Integer complete(long res) {
            if (res < 0) {
                throw socket.failure(read ? "pread" : "pwrite", res);
            }
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

    static final class FsyncOp extends FdOp<Void> {
        FsyncOp(FdDriver driver, FdFile f) {
            super(driver, f);
        }

        @Override
        public int interest() {
            return WRITE;
        }

        @Override
        public long attempt(Linux sys) {
            throw new UnsupportedOperationException("file operations run on a completion driver only");
        }

        @Override
        public void prepare(Sqe sqe) {
            sqe.opcode(Sqe.OP_FSYNC).fd(socket.fd);
        }

        @Override
        public Void complete(long res) {
            if (res < 0) {
                throw socket.failure("fsync", res);
            }
            return null;
        }
    }
}
