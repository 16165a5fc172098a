package io.weft.io;

import io.weft.CancellableFuture;
import io.weft.Context;
import io.weft.Poll;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * A connected stream socket (TCP or Unix) of the {@link NioDriver}, over a
 * non-blocking {@link SocketChannel}. Reads and writes take heap and direct
 * ByteBuffers and MemorySegments: direct memory (a direct buffer, a native
 * segment viewed by {@link MemorySegment#asByteBuffer()}) is handed to
 * java.nio as it is, heap memory goes through the driver's bounce buffer.
 */
public final class NioStream extends NioSocket implements StreamHandle {
    private final SocketChannel ch;
    /** shutdownOutput was called: java.nio would say ClosedChannelException, the descriptor drivers EPIPE. */
    boolean outputShut; // loop thread; NioDriver.adopt sets it for a stream that moved here shut
    /** Bytes handed back undelivered ({@link #unread}); the next read returns them first. Loop thread only. */
    private final KeptBytes kept = new KeptBytes();

    NioStream(NioDriver driver, SocketChannel ch) {
        super(driver, ch);
        this.ch = ch;
    }

    @Override
    protected int opOf(int bit) {
        return switch (bit) {
            case NioOp.READ -> SelectionKey.OP_READ;
            case NioOp.WRITE -> SelectionKey.OP_WRITE;
            case NioOp.CONNECT -> SelectionKey.OP_CONNECT;
            default -> throw new IllegalArgumentException("readiness bit " + bit);
        };
    }

    @Override
    public CancellableFuture<Integer> read(ByteBuffer dst) {
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("read into a read-only buffer");
        }
        return new ReadOp(this, dst, null);
    }

    @Override
    public CancellableFuture<Integer> read(MemorySegment dst) {
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("read into a read-only segment");
        }
        return new ReadOp(this, null, dst);
    }

    @Override
    public CancellableFuture<DetachedStream> detach() {
        NioStream self = this;
        return new CancellableFuture<>() {
            @Override
            public Poll<DetachedStream> poll(Context cx) {
                driver.checkThread();
                try {
                    checkOpen();
                } catch (ClosedChannelException e) {
                    throw new UncheckedIOException(e);
                }
                if (waiters.head() != null) {
                    throw new IllegalStateException("detach of " + self + ": an operation of a task is pending on it;"
                            + " a stream moves with nothing pending");
                }
                closed = true; // for this executor: the channel stays open and moves
                driver.deregister(self);
                return Poll.ready(new DetachedStream.Nio(ch, kept.drain(), outputShut));
            }

            @Override
            public void cancel() {
                // nothing was taken: the stream stays where it is
            }
        };
    }

    /**
     * Puts {@code bytes} back before every byte not yet read and wakes the
     * reads and readables waiting on this stream: a waiting one takes them
     * at its next poll ({@link NioOp#immediate}, which the driver asks of a
     * waiting op too).
     */
    @Override
    public void unread(byte[] bytes) {
        driver.checkThread();
        kept.unread(bytes);
        if (bytes.length > 0) {
            waiters.wake(NioOp.READ);
        }
    }

    @Override
    public CancellableFuture<Void> readable() {
        return new ReadableOp(this).map(ready -> null);
    }

    /** {@link SocketChannel#read} now; heap memory through the bounce buffer, as a read op. */
    @Override
    public int tryRead(ByteBuffer dst) {
        driver.checkThread();
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("read into a read-only buffer");
        }
        try {
            checkOpen();
        } catch (ClosedChannelException e) {
            throw new UncheckedIOException(e);
        }
        if (!dst.hasRemaining()) {
            return 0;
        }
        int k = kept.take(dst);
        if (k > 0) {
            return k;
        }
        Integer n;
        try {
            n = new ReadOp(this, dst, null).attempt();
        } catch (IOException e) {
            throw failure("read", e);
        }
        if (n == null) {
            readiness &= ~NioOp.READ; // would block: the next wait is for the selector
            return 0;
        }
        return n;
    }

    @Override
    public CancellableFuture<Integer> write(ByteBuffer src) {
        return new WriteOp(this, src, null);
    }

    @Override
    public CancellableFuture<Integer> write(MemorySegment src) {
        return new WriteOp(this, null, src);
    }

    @Override
    public int writeNow(MemorySegment src) {
        if (outputShut || src.byteSize() == 0) {
            return 0; // the usual road reports a shut output
        }
        try {
            return ch.write(src.asByteBuffer()); // non-blocking: 0 when there is no room
        } catch (ClosedChannelException closedOrMoving) {
            return 0;
        } catch (IOException e) {
            throw failure("write", e);
        }
    }

    @Override
    public void shutdownOutput() throws IOException {
        checkOpen();
        try {
            ch.shutdownOutput();
        } catch (IOException e) {
            throw NioErrors.rename("shutdownOutput", e);
        }
        outputShut = true;
    }

    @Override
    public void setNoDelay(boolean on) throws IOException {
        checkOpen();
        try {
            ch.setOption(StandardSocketOptions.TCP_NODELAY, on);
        } catch (UnsupportedOperationException e) {
            throw NioErrors.socketError("setsockopt(TCP_NODELAY)", "EOPNOTSUPP", "not a TCP socket");
        } catch (IOException e) {
            throw NioErrors.rename("setsockopt(TCP_NODELAY)", e);
        }
    }

    /** SO_LINGER in whole seconds; a positive linger under one second is rounded up (0 would reset). */
    @Override
    public void setLinger(Duration linger) throws IOException {
        checkOpen();
        int secs;
        if (linger == null) {
            secs = -1;
        } else if (linger.isZero()) {
            secs = 0;
        } else {
            long up = linger.getSeconds() + (linger.getNano() > 0 ? 1 : 0);
            secs = (int) Math.min(Integer.MAX_VALUE, up);
        }
        try {
            ch.setOption(StandardSocketOptions.SO_LINGER, secs);
        } catch (UnsupportedOperationException e) {
            throw NioErrors.socketError("setsockopt(SO_LINGER)", "EOPNOTSUPP", "not supported by this socket");
        } catch (IOException e) {
            throw NioErrors.rename("setsockopt(SO_LINGER)", e);
        }
    }

    @Override
    public SocketAddress remoteAddress() throws IOException {
        checkOpen();
        try {
            return ch.getRemoteAddress();
        } catch (IOException e) {
            throw NioErrors.rename("getpeername", e);
        }
    }

    @Override
    public String toString() {
        return "NioStream[" + ch + (closed ? ", closed]" : "]");
    }

    /** A direct ByteBuffer over a native segment (at most 2 GiB of it); null for a heap segment. */
    static ByteBuffer directView(MemorySegment seg) {
        return seg.isNative() ? seg.asSlice(0, Math.min(seg.byteSize(), Integer.MAX_VALUE - 8)).asByteBuffer() : null;
    }

    /**
     * A read: {@link SocketChannel#read}; 0 from java.nio means it would
     * block (the buffer has room). Direct memory is read into as it is; heap
     * memory through the driver's bounce buffer, at most
     * {@link NioDriver#BOUNCE} bytes a call (java.nio would take a temporary
     * direct buffer as large as the whole heap buffer).
     */
    static final class ReadOp extends NioOp<Integer> implements io.weft.compose.GivesBack<Integer> {
        private final ByteBuffer buf;
        private final MemorySegment seg;

        ReadOp(NioStream s, ByteBuffer buf, MemorySegment seg) {
            super(s);
            this.buf = buf != null ? buf : directView(seg);
            this.seg = seg;
        }

        /** See {@link KeptBytes#giveBack}. */
        @Override
        public void giveBack(Integer n) {
            KeptBytes.giveBack((NioStream) socket, buf, seg, n);
        }

        @Override
        public int interest() {
            return READ;
        }

        @Override
        String call() {
            return "read";
        }

        @Override
        Integer immediate() {
            if ((buf != null ? buf.remaining() : seg.byteSize()) == 0) {
                return 0;
            }
            KeptBytes kept = ((NioStream) socket).kept;
            int n = buf != null ? kept.take(buf) : kept.take(seg);
            return n == 0 ? null : n;
        }

        @Override
        Integer attempt() throws IOException {
            SocketChannel ch = ((NioStream) socket).ch;
            int n;
            if (buf != null && buf.isDirect()) {
                n = ch.read(buf);
            } else {
                long room = buf != null ? buf.remaining() : seg.byteSize();
                ByteBuffer b = driver.bounce((int) Math.min(room, NioDriver.BOUNCE));
                n = ch.read(b);
                if (n > 0) {
                    if (buf != null) {
                        buf.put(buf.position(), b, 0, n).position(buf.position() + n);
                    } else {
                        MemorySegment.copy(MemorySegment.ofBuffer(b.flip()), 0, seg, 0, n);
                    }
                }
            }
            return n == 0 ? null : n;
        }
    }

    /**
     * Readability, with no buffer: ready (TRUE: java.nio's null means "would
     * block") while the read bit is set; it may be stale, and tryRead then
     * clears it.
     */
    static final class ReadableOp extends NioOp<Boolean> {
        ReadableOp(NioStream s) {
            super(s);
        }

        @Override
        public int interest() {
            return READ;
        }

        @Override
        String call() {
            return "poll";
        }

        @Override
        Boolean immediate() {
            return ((NioStream) socket).kept.isEmpty() ? null : Boolean.TRUE;
        }

        @Override
        Boolean attempt() {
            return Boolean.TRUE; // called only while the read bit is set
        }
    }

    /**
     * A write: {@link SocketChannel#write}; 0 from java.nio means it would
     * block (the buffer is not empty). Heap memory goes through the bounce
     * buffer, as for reads (java.nio would copy all that remains at every
     * partial write).
     */
    static final class WriteOp extends NioOp<Integer> {
        private final ByteBuffer buf;
        private final MemorySegment seg;

        WriteOp(NioStream s, ByteBuffer buf, MemorySegment seg) {
            super(s);
            this.buf = buf != null ? buf : directView(seg);
            this.seg = seg;
        }

        @Override
        public int interest() {
            return WRITE;
        }

        @Override
        String call() {
            return "write";
        }

        @Override
        Integer immediate() {
            return (buf != null ? buf.remaining() : seg.byteSize()) == 0 ? 0 : null;
        }

        @Override
        Integer attempt() throws IOException {
            NioStream s = (NioStream) socket;
            if (s.outputShut) {
                throw new UncheckedIOException(NioErrors.socketError("write", "EPIPE",
                        "Broken pipe: the output was shut down"));
            }
            int n;
            if (buf != null && buf.isDirect()) {
                n = s.ch.write(buf);
            } else {
                long left = buf != null ? buf.remaining() : seg.byteSize();
                int len = (int) Math.min(left, NioDriver.BOUNCE);
                ByteBuffer b = driver.bounce(len);
                if (buf != null) {
                    b.put(0, buf, buf.position(), len);
                } else {
                    MemorySegment.copy(seg, 0, MemorySegment.ofBuffer(b), 0, len);
                }
                n = s.ch.write(b);
                if (buf != null) {
                    buf.position(buf.position() + n);
                }
            }
            return n == 0 ? null : n;
        }
    }

    /**
     * {@link SocketChannel#connect}, then {@link SocketChannel#finishConnect}
     * once the selector reports OP_CONNECT. A failed or cancelled connect
     * closes its socket: nobody will ever get it.
     */
    static final class ConnectOp extends NioOp<StreamHandle> {
        private final SocketAddress target;
        private boolean started;

        ConnectOp(NioStream s, SocketAddress target) {
            super(s);
            this.target = target;
        }

        @Override
        public int interest() {
            return CONNECT;
        }

        @Override
        String call() {
            return "connect " + NioErrors.describe(target);
        }

        @Override
        StreamHandle attempt() throws IOException {
            NioStream s = (NioStream) socket;
            boolean done;
            if (!started) {
                started = true;
                done = s.ch.connect(target);
            } else {
                done = s.ch.finishConnect();
            }
            return done ? s : null;
        }

        @Override
        void failed() {
            socket.close();
        }

        @Override
        public void cancel() {
            boolean wasPending = state == NEW || state == WAITING;
            super.cancel();
            if (wasPending) {
                socket.close();
            }
        }
    }
}
