package io.weft.net;

import io.weft.CancellableFuture;
import io.weft.io.StreamHandle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * A connected stream socket of the current executor: {@link TcpStream} or
 * {@link UnixStream}. Reads and writes take heap or direct
 * {@link ByteBuffer}s and {@link MemorySegment}s and return futures; a
 * failure surfaces from {@code await()} as {@link UncheckedIOException}
 * whose cause is the IOException java.nio would throw (ConnectException,
 * SocketException "ECONNRESET ...", AsynchronousCloseException, ...). End of
 * stream is -1, as in java.nio.
 */
public abstract sealed class SocketStream implements AutoCloseable permits TcpStream, UnixStream {
    final StreamHandle handle;

    SocketStream(StreamHandle handle) {
        this.handle = handle;
    }

    /** Reads into {@code dst}; the count, or -1 at end of stream (0 only if dst has no room). */
    public CancellableFuture<Integer> read(ByteBuffer dst) {
        return handle.read(dst);
    }

    public CancellableFuture<Integer> read(MemorySegment dst) {
        return handle.read(dst);
    }

    /** Writes some of {@code src} (at least one byte unless it is empty); the count. */
    public CancellableFuture<Integer> write(ByteBuffer src) {
        return handle.write(src);
    }

    public CancellableFuture<Integer> write(MemorySegment src) {
        return handle.write(src);
    }

    /** Fills {@code dst}; fails with EOFException (as cause) if the stream ends first. */
    public CancellableFuture<Void> readExact(ByteBuffer dst) {
        return StreamLoops.readExact(handle, dst);
    }

    /** Writes all of {@code src}, in as many writes as the kernel needs. */
    public CancellableFuture<Void> writeAll(ByteBuffer src) {
        return StreamLoops.writeAll(handle, src);
    }

    /** Half-close: the peer reads end of stream; this side can still read. */
    public void shutdownOutput() throws IOException {
        handle.shutdownOutput();
    }

    public void setNoDelay(boolean on) throws IOException {
        handle.setNoDelay(on);
    }

    public boolean isOpen() {
        return handle.isOpen();
    }

    /** Closes; idempotent. Pending operations fail with AsynchronousCloseException. */
    @Override
    public void close() {
        handle.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + handle + "]";
    }
}
