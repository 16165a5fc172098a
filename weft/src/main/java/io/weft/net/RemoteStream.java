package io.weft.net;

import io.weft.CancellableFuture;
import io.weft.Context;
import io.weft.Poll;
import io.weft.executor.OnHome;
import io.weft.io.StreamHandle;
import io.weft.io.StreamOps;
import io.weft.task.Task;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A stream of a StealingExecutor as a task of another worker sees it while
 * the stream stays on its own worker because a task there has an operation
 * pending on it ({@link StreamMove}'s shared mode: a proxy's two directions
 * on two workers). A write first sends what fits from the caller's own
 * thread, with no hop ({@link StreamMove#writeNow}: a non-blocking send on
 * the descriptor, held open meanwhile); what must wait, and every read and
 * readable, is made and run on the stream's worker as a task of it, and its
 * result handed back (one hop there and back per operation). The caller's
 * buffer is never touched by the other thread: a read lands in a buffer of
 * its own there and is copied into the caller's here, a forwarded write
 * sends a copy taken here (at most {@link #CHUNK} bytes an operation, as a
 * write may write less than asked).
 *
 * <p><b>Cancel safety.</b> A read given up after it read bytes on the
 * stream's worker hands them back to the stream
 * ({@link StreamMove#giveBack}): the next read, from any task, returns them
 * first; so does one whose count a join took and then gave back (the
 * caller's buffer gives the bytes up again). A write given up after the stream's worker sent it has sent those
 * bytes, and the count is lost, as for a write cancelled on io_uring. A
 * readable given up consumed nothing.
 */
final class RemoteStream implements StreamOps {
    /** The most bytes one forwarded read or write carries. */
    static final int CHUNK = 64 * 1024;

    private final StreamMove mover;

    RemoteStream(StreamMove mover) {
        this.mover = mover;
    }

    /** Bytes read on the stream's worker: the first {@code n} of {@code bytes}, or n of -1 at end of stream. */
    private record Chunk(byte[] bytes, int n) {
    }

    private static CancellableFuture<Chunk> readChunk(StreamHandle h, int len) {
        byte[] b = new byte[len];
        return h.read(ByteBuffer.wrap(b)).map(n -> new Chunk(b, n));
    }

    private void giveBack(Chunk c) {
        if (c.n() > 0) {
            mover.giveBack(Arrays.copyOf(c.bytes(), c.n()));
        }
    }

    @Override
    public CancellableFuture<Integer> read(ByteBuffer dst) {
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("read into a read-only buffer");
        }
        return new ReadInto(dst, null, Math.min(dst.remaining(), CHUNK));
    }

    @Override
    public CancellableFuture<Integer> read(MemorySegment dst) {
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("read into a read-only segment");
        }
        return new ReadInto(null, dst, (int) Math.min(dst.byteSize(), CHUNK));
    }

    /**
     * A forwarded read: the chunk read on the stream's worker is copied into
     * the caller's buffer (or segment) here, once; a later poll returns the
     * same count. Given back by a join that took it and was given up, the
     * bytes come back out of the caller's memory (the buffer's position
     * moves back over them) and go back to the stream, read first by the
     * next read from any task ({@link StreamMove#giveBack}).
     */
    private final class ReadInto implements CancellableFuture<Integer>, io.weft.compose.GivesBack<Integer> {
        private final ByteBuffer buf;
        private final MemorySegment seg;
        private final Forward<Chunk> forward;
        /** The count returned, once the chunk was copied in; null before. */
        private Integer delivered;
        private boolean givenBack;

        ReadInto(ByteBuffer buf, MemorySegment seg, int len) {
            this.buf = buf;
            this.seg = seg;
            this.forward = new Forward<>(h -> readChunk(h, len), RemoteStream.this::giveBack);
        }

        @Override
        public Poll<Integer> poll(Context cx) {
            if (givenBack) {
                throw new IllegalStateException("a forwarded read polled after it gave its bytes back");
            }
            if (delivered == null) {
                Poll<Chunk> p = forward.poll(cx);
                if (!p.isReady()) {
                    return Poll.pending();
                }
                Chunk c = p.get();
                if (c.n() > 0) {
                    if (seg != null) {
                        MemorySegment.copy(MemorySegment.ofArray(c.bytes()), 0, seg, 0, c.n());
                    } else {
                        buf.put(c.bytes(), 0, c.n());
                    }
                }
                delivered = c.n();
            }
            return Poll.ready(delivered);
        }

        @Override
        public void cancel() {
            forward.cancel();
        }

        @Override
        public void giveBack(Integer n) {
            if (delivered == null || !delivered.equals(n)) {
                throw new IllegalStateException("a forwarded read gives back only the count it returned");
            }
            delivered = null;
            givenBack = true;
            if (n > 0) {
                mover.giveBack(io.weft.io.KeptBytes.takenBack(buf, seg, n));
            }
        }
    }

    @Override
    public CancellableFuture<Void> readable() {
        return new Forward<>(StreamHandle::readable, null);
    }

    @Override
    public CancellableFuture<Integer> write(ByteBuffer src) {
        return new DirectFirst(src, null);
    }

    @Override
    public CancellableFuture<Integer> write(MemorySegment src) {
        return new DirectFirst(null, src);
    }

    /**
     * A write: at its first poll, what fits now is sent from this thread
     * ({@link StreamMove#writeNow}, no hop); if nothing went, a copy of (at
     * most {@link #CHUNK} bytes of) the caller's bytes is forwarded.
     * <b>Cancel safety:</b> the direct send completes within that poll; the
     * forwarded write is as the class comment says.
     */
    private final class DirectFirst implements CancellableFuture<Integer> {
        private final ByteBuffer buf;
        private final MemorySegment seg;
        private CancellableFuture<Integer> forwarded;

        DirectFirst(ByteBuffer buf, MemorySegment seg) {
            this.buf = buf;
            this.seg = seg;
        }

        @Override
        public Poll<Integer> poll(Context cx) {
            if (forwarded == null) {
                MemorySegment v = seg != null ? seg : MemorySegment.ofBuffer(buf);
                int n = mover.writeNow(v);
                if (n > 0) {
                    return Poll.ready(sent(n));
                }
                byte[] copy = v.asSlice(0, Math.min(v.byteSize(), CHUNK)).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
                forwarded = new Forward<>(h -> h.write(ByteBuffer.wrap(copy)), null).map(this::sent);
            }
            return forwarded.poll(cx);
        }

        /** {@code n} bytes went out: a buffer's position moves past them. */
        private int sent(int n) {
            if (buf != null) {
                buf.position(buf.position() + n);
            }
            return n;
        }

        @Override
        public void cancel() {
            if (forwarded != null) {
                forwarded.cancel();
            }
        }
    }

    /**
     * {@code atHome} made and run on the stream's worker, as a task of it,
     * its result handed over. If the stream is no longer there when that
     * task runs (it moved, or is moving), the task does nothing and this
     * throws {@link StreamMove.Retry}: the operation looks where the stream
     * is now.
     */
    private final class Forward<T> implements CancellableFuture<T> {
        private final Function<StreamHandle, CancellableFuture<T>> atHome;
        /** Where a result produced for a caller that gave up goes (on any thread); null: nowhere. */
        private final Consumer<T> dropped;
        private Task<Object> task;

        Forward(Function<StreamHandle, CancellableFuture<T>> atHome, Consumer<T> dropped) {
            this.atHome = atHome;
            this.dropped = dropped;
        }

        @Override
        @SuppressWarnings("unchecked")
        public Poll<T> poll(Context cx) {
            if (task == null) {
                task = mover.spawnAtHome(new AtHome());
            }
            Poll<Object> p = OnHome.handOver(task, cx);
            if (!p.isReady()) {
                return Poll.pending();
            }
            task = null;
            if (p.get() == StreamMove.RETRY) {
                throw StreamMove.Retry.INSTANCE;
            }
            return Poll.ready((T) p.get());
        }

        @Override
        @SuppressWarnings("unchecked")
        public void cancel() {
            Task<Object> t = task;
            if (t != null) {
                task = null;
                OnHome.giveUp(t, dropped == null ? null : r -> {
                    if (r != StreamMove.RETRY) {
                        dropped.accept((T) r);
                    }
                });
            }
        }

        /** The task on the stream's worker: the operation, if the stream is still there. */
        private final class AtHome implements CancellableFuture<Object> {
            private CancellableFuture<T> inner;
            private boolean ended;

            @Override
            public Poll<Object> poll(Context cx) {
                if (inner == null) {
                    StreamHandle h = mover.enterAtHome();
                    if (h == null) {
                        return Poll.ready(StreamMove.RETRY);
                    }
                    inner = atHome.apply(h);
                }
                Poll<T> p;
                try {
                    p = inner.poll(cx);
                } catch (RuntimeException | Error failed) {
                    end();
                    throw failed;
                }
                if (!p.isReady()) {
                    return Poll.pending();
                }
                end();
                return Poll.ready(p.get());
            }

            private void end() {
                if (!ended) {
                    ended = true;
                    mover.leftHome();
                }
            }

            @Override
            public void cancel() {
                if (inner != null) {
                    inner.cancel();
                    end();
                }
            }
        }
    }
}
