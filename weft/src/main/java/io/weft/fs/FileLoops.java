package io.weft.fs;

import io.weft.CancellableFuture;
import io.weft.Context;
import io.weft.Futures;
import io.weft.Poll;
import io.weft.io.FileContract;
import io.weft.io.FileHandle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Loops of single file operations: write all, read all, read exact. Each
 * checks at its call as one operation would (thread, open, mode), runs one
 * operation at a time, and cancels that one when it is cancelled. An
 * operation it needs after the file was closed fails as a pending one does
 * (AsynchronousCloseException): the loop was pending.
 */
final class FileLoops {
    private FileLoops() {
    }

    static CancellableFuture<Void> writeAll(FileHandle h, ByteBuffer src, long position) {
        h.check(FileContract.WRITE);
        checkPosition(position);
        return new Loop<>(h, "pwrite") {
            long pos = position;

            @Override
            CancellableFuture<Integer> next() {
                return src.hasRemaining() ? h.writeAt(src, pos) : null;
            }

            @Override
            void got(int n) {
                pos += n;
            }

            @Override
            Void result() {
                return null;
            }
        };
    }

    /** Reads until {@code dst} is full; EOFException (as UncheckedIOException) if the file ends first. */
    static CancellableFuture<Void> readExact(FileHandle h, ByteBuffer dst, long position) {
        h.check(FileContract.READ);
        checkPosition(position);
        int start = dst.position();
        return new Loop<>(h, "pread") {
            @Override
            CancellableFuture<Integer> next() {
                return dst.hasRemaining() ? h.readAt(dst, position + dst.position() - start) : null;
            }

            @Override
            void got(int n) {
                if (n < 0) {
                    throw FileContract.endOfFile(h.path(), position + dst.position() - start, dst.remaining());
                }
            }

            @Override
            Void result() {
                return null;
            }
        };
    }

    /**
     * Reads until {@code dst} is full; EOFException (as UncheckedIOException)
     * if the file ends first. With {@code alignment} &gt; 1 (O_DIRECT), a
     * count that is not a multiple of it is the end of the file: the next
     * read could not start there.
     */
    static CancellableFuture<Void> readExact(FileHandle h, MemorySegment dst, long position, int alignment) {
        h.check(FileContract.READ);
        checkPosition(position);
        return new Loop<>(h, "pread") {
            long done;

            @Override
            CancellableFuture<Integer> next() {
                return done < dst.byteSize() ? h.readAt(dst.asSlice(done), position + done) : null;
            }

            @Override
            void got(int n) {
                if (n > 0) {
                    done += n;
                }
                if (n < 0 || (alignment > 1 && n % alignment != 0 && done < dst.byteSize())) {
                    throw FileContract.endOfFile(h.path(), position + done, dst.byteSize() - done);
                }
            }

            @Override
            Void result() {
                return null;
            }
        };
    }

    /**
     * The bytes up to the end of the file, as Files.readAllBytes: a buffer
     * of fstat's size, then reads until one returns end of file (a file that
     * grew or shrank meanwhile gives what the reads found; a directory fails
     * in its first read, even when fstat says 0).
     */
    static CancellableFuture<byte[]> readAll(FileHandle h) {
        h.check(FileContract.READ);
        return new Loop<byte[]>(h, "pread") {
            CancellableFuture<Long> size = h.size();
            ByteBuffer buf;
            /** One byte read when buf is full: end of file, or the file grew. */
            ByteBuffer probe;
            boolean probing;
            boolean end;
            long pos;

            @Override
            Poll<byte[]> start(Context cx) {
                Poll<Long> p = size.poll(cx);
                if (!p.isReady()) {
                    return Poll.pending();
                }
                size = null;
                buf = ByteBuffer.allocate(checkSize(p.get()));
                return null;
            }

            @Override
            void cancelStart() {
                if (size != null) {
                    size.cancel();
                    size = null;
                }
            }

            @Override
            CancellableFuture<Integer> next() {
                if (end) {
                    return null;
                }
                probing = !buf.hasRemaining();
                if (!probing) {
                    return h.readAt(buf, pos);
                }
                if (probe == null) {
                    probe = ByteBuffer.allocate(1);
                }
                return h.readAt(probe.clear(), pos);
            }

            @Override
            void got(int n) {
                if (n < 0) {
                    end = true;
                    return;
                }
                pos += n;
                if (probing && n > 0) { // the file grew: a larger buffer, the byte first
                    int grown = checkSize(Math.max(buf.capacity() * 2L, buf.capacity() + 8192L));
                    buf = ByteBuffer.allocate(grown).put(buf.flip()).put(probe.flip());
                }
            }

            @Override
            byte[] result() {
                return buf.hasRemaining() ? Arrays.copyOf(buf.array(), buf.position()) : buf.array();
            }

            private int checkSize(long size) {
                if (size > Integer.MAX_VALUE - 16) {
                    throw new UncheckedIOException(new IOException("file " + h.path() + " is larger than 2 GiB"));
                }
                return (int) size;
            }
        };
    }

    private static void checkPosition(long position) {
        if (position < 0) {
            throw new IllegalArgumentException("negative file position " + position);
        }
    }

    private abstract static class Loop<R> implements CancellableFuture<R> {
        final FileHandle h;
        /** The call of the loop's operations, for the AsynchronousCloseException of a closed file. */
        private final String call;
        private CancellableFuture<Integer> op;
        private boolean started;

        Loop(FileHandle h, String call) {
            this.h = h;
            this.call = call;
        }

        /** Before the first op; null to go on, or pending. */
        Poll<R> start(Context cx) {
            return null;
        }

        /** Gives up what {@link #start} waits for. */
        void cancelStart() {
        }

        /** The next operation, or null when done. */
        abstract CancellableFuture<Integer> next();

        abstract void got(int n);

        abstract R result();

        @Override
        public Poll<R> poll(Context cx) {
            h.checkThread();
            if (!started) {
                Poll<R> p = start(cx);
                if (p != null) {
                    return p;
                }
                started = true;
            }
            for (;;) {
                if (op == null) {
                    if (!h.isOpen()) {
                        throw FileContract.closedWhilePending(h.path(), call);
                    }
                    op = next();
                    if (op == null) {
                        return Poll.ready(result());
                    }
                }
                Poll<Integer> p;
                try {
                    p = op.poll(cx);
                } catch (RuntimeException | Error e) {
                    op = null;
                    throw e;
                }
                if (!p.isReady()) {
                    return Poll.pending();
                }
                op = null;
                got(p.get());
            }
        }

        @Override
        public void cancel() {
            cancelStart();
            if (op != null) {
                Futures.cancel(op);
                op = null;
            }
        }
    }
}
