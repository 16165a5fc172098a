package io.weft.io;

import io.weft.CancellableFuture;
import io.weft.Context;
import io.weft.Poll;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Set;

/**
 * A file on the epoll and nio drivers: a {@link FileChannel} whose calls run
 * on the {@link BlockingPool}. Data passes through a bounce buffer owned by
 * the job, copied on the loop thread, so a cancelled read never writes into
 * the task's memory after it gave up. With {@code direct} (O_DIRECT) the
 * bounce buffer is aligned to {@code alignment}.
 */
public final class ChannelFile implements FileHandle {
    private final FileChannel channel;
    private final String path;
    private final int alignment;
    private boolean closed;

    private ChannelFile(FileChannel channel, String path, int alignment) {
        this.channel = channel;
        this.path = path;
        this.alignment = alignment;
    }

    /** Opens on the pool; {@code alignment} &gt; 1 asks for O_DIRECT. A cancelled open closes what it opened. */
    public static CancellableFuture<FileHandle> open(Path path, Set<? extends OpenOption> options, int alignment) {
        return BlockingPool.submit(() -> {
            java.util.HashSet<OpenOption> opts = new java.util.HashSet<>(options);
            if (opts.isEmpty()) {
                opts.add(java.nio.file.StandardOpenOption.READ);
            }
            if (alignment > 1) {
                opts.add(com.sun.nio.file.ExtendedOpenOption.DIRECT);
            }
            try {
                return (FileHandle) new ChannelFile(FileChannel.open(path, opts), path.toString(), alignment);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, FileHandle::close);
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    private void checkOpen() {
        if (closed) {
            ClosedChannelException e = new ClosedChannelException();
            e.initCause(new IOException("file " + path + " is closed"));
            throw new UncheckedIOException(e);
        }
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
        checkOpen();
        checkPosition(position);
        int len = (int) Math.min(dst.byteSize(), 1 << 20);
        if (len == 0) {
            return IoFutures.ready(0);
        }
        ByteBuffer bounce = BlockingPool.borrow(len, alignment);
        BlockingPool.Job<Integer> job = BlockingPool.submit(() -> {
            try {
                int n = channel.read(bounce, position);
                return n;
            } catch (IOException e) {
                throw new UncheckedIOException(failure("pread", e));
            }
        });
        return new Copying(job, bounce, n -> {
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
        checkOpen();
        checkPosition(position);
        int len = (int) Math.min(src.byteSize(), 1 << 20);
        if (len == 0) {
            return IoFutures.ready(0);
        }
        ByteBuffer bounce = BlockingPool.borrow(len, alignment);
        MemorySegment.copy(src, 0, MemorySegment.ofBuffer(bounce), 0, len);
        BlockingPool.Job<Integer> job = BlockingPool.submit(() -> {
            try {
                int n = 0;
                while (bounce.hasRemaining()) {
                    n += channel.write(bounce, position + n);
                }
                return n;
            } catch (IOException e) {
                throw new UncheckedIOException(failure("pwrite", e));
            }
        });
        return new Copying(job, bounce, n -> {
            if (advance != null) {
                advance.position(advance.position() + n);
            }
        });
    }

    private static void checkPosition(long position) {
        if (position < 0) {
            throw new IllegalArgumentException("negative file position " + position);
        }
    }

    private IOException failure(String call, IOException e) {
        if (e instanceof java.nio.file.FileSystemException || e instanceof ClosedChannelException) {
            return e;
        }
        return new java.nio.file.FileSystemException(path, null, call + ": " + e.getMessage());
    }

    @Override
    public CancellableFuture<Long> size() {
        checkOpen();
        return BlockingPool.submit(() -> {
            try {
                return channel.size();
            } catch (IOException e) {
                throw new UncheckedIOException(failure("fstat", e));
            }
        });
    }

    @Override
    public CancellableFuture<Void> fsync() {
        checkOpen();
        return BlockingPool.submit(() -> {
            try {
                channel.force(true);
                return null;
            } catch (IOException e) {
                throw new UncheckedIOException(failure("fsync", e));
            }
        });
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                channel.close();
            } catch (IOException e) {
                throw new UncheckedIOException(failure("close", e));
            }
        }
    }

    /** A pooled job whose result is copied on the loop thread; the bounce buffer goes back after. */
    private static final class Copying implements CancellableFuture<Integer> {
        private final BlockingPool.Job<Integer> job;
        private final ByteBuffer bounce;
        private final java.util.function.IntConsumer onResult;
        private boolean done;

        Copying(BlockingPool.Job<Integer> job, ByteBuffer bounce, java.util.function.IntConsumer onResult) {
            this.job = job;
            this.bounce = bounce;
            this.onResult = onResult;
        }

        @Override
        public Poll<Integer> poll(Context cx) {
            Poll<Integer> p;
            try {
                p = job.poll(cx);
            } catch (Throwable t) {
                done = true;
                BlockingPool.giveBack(bounce);
                throw t;
            }
            if (!p.isReady()) {
                return p;
            }
            done = true;
            onResult.accept(p.get());
            BlockingPool.giveBack(bounce);
            return p;
        }

        @Override
        public void cancel() {
            if (!done) {
                done = true;
                job.cancel(); // the bounce buffer stays with the job; it is not pooled again
            }
        }
    }
}
