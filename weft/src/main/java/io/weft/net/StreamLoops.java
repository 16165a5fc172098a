package io.weft.net;

import io.weft.CancellableFuture;
import io.weft.Context;
import io.weft.Future;
import io.weft.Futures;
import io.weft.Poll;
import io.weft.io.StreamOps;
import java.io.EOFException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/** readExact and writeAll: one op at a time until the buffer is full or empty. */
final class StreamLoops {
    private StreamLoops() {
    }

    static CancellableFuture<Void> readExact(StreamOps h, ByteBuffer dst) {
        return new Loop(h, dst, true);
    }

    static CancellableFuture<Void> writeAll(StreamOps h, ByteBuffer src) {
        return new Loop(h, src, false);
    }

    private static final class Loop implements CancellableFuture<Void> {
        private final StreamOps h;
        private final ByteBuffer buf;
        private final boolean reading;
        private Future<Integer> op;

        Loop(StreamOps h, ByteBuffer buf, boolean reading) {
            this.h = h;
            this.buf = buf;
            this.reading = reading;
        }

        @Override
        public Poll<Void> poll(Context cx) {
            while (buf.hasRemaining()) {
                if (op == null) {
                    op = reading ? h.read(buf) : h.write(buf);
                }
                Poll<Integer> p = op.poll(cx);
                if (!p.isReady()) {
                    return Poll.pending();
                }
                op = null;
                if (p.get() < 0) {
                    throw new UncheckedIOException(new EOFException("end of stream with " + buf.remaining()
                            + " byte(s) still to read"));
                }
            }
            return Poll.ready(null);
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
