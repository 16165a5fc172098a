package io.weft.fs;

import io.weft.CancellableFuture;
import io.weft.Context;
import io.weft.Future;
import io.weft.Futures;
import io.weft.Poll;
import io.weft.io.FileHandle;
import java.io.EOFException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/** Loops of single file operations: write all, read all. */
final class FileLoops {
    private FileLoops() {
    }

    static CancellableFuture<Void> writeAll(FileHandle h, ByteBuffer src, long position) {
        return new Loop<>(h) {
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

    static CancellableFuture<byte[]> readAll(FileHandle h) {
        return new Loop<byte[]>(h) {
            Future<Long> size = h.size();
            ByteBuffer buf;
            long pos;

            @Override
            Poll<byte[]> start(Context cx) {
                Poll<Long> p = size.poll(cx);
                if (!p.isReady()) {
                    return Poll.pending();
                }
                if (p.get() > Integer.MAX_VALUE - 16) {
                    throw new UncheckedIOException(new java.io.IOException("file " + h.path() + " is larger than 2 GiB"));
                }
                buf = ByteBuffer.allocate((int) (long) p.get());
                return null;
            }

            @Override
            CancellableFuture<Integer> next() {
                return buf.hasRemaining() ? h.readAt(buf, pos) : null;
            }

            @Override
            void got(int n) {
                if (n < 0) {
                    throw new UncheckedIOException(new EOFException("file " + h.path() + " shrank while being read"));
                }
                pos += n;
            }

            @Override
            byte[] result() {
                return buf.array();
            }
        };
    }

    private abstract static class Loop<R> implements CancellableFuture<R> {
        final FileHandle h;
        private Future<Integer> op;
        private boolean started;

        Loop(FileHandle h) {
            this.h = h;
        }

        /** Before the first op; null to go on, or pending. */
        Poll<R> start(Context cx) {
            return null;
        }

        abstract CancellableFuture<Integer> next();

        abstract void got(int n);

        abstract R result();

        @Override
        public Poll<R> poll(Context cx) {
            if (!started) {
                Poll<R> p = start(cx);
                if (p != null) {
                    return p;
                }
                started = true;
            }
            for (;;) {
                if (op == null) {
                    op = next();
                    if (op == null) {
                        return Poll.ready(result());
                    }
                }
                Poll<Integer> p = op.poll(cx);
                if (!p.isReady()) {
                    return Poll.pending();
                }
                op = null;
                got(p.get());
            }
        }

        @Override
        public void cancel() {
            if (op != null) {
                Futures.cancel(op);
                op = null;
            }
        }
    }
}
