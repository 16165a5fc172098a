package io.weft.net;

import io.weft.Future;
import io.weft.executor.ExecutorCore;
import io.weft.io.StreamHandle;
import io.weft.time.Timeout;
import io.weft.time.TimeoutFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * A TCP connection of the current executor. Reads and writes take heap or
 * direct {@link ByteBuffer}s and {@link MemorySegment}s and return futures;
 * a failure surfaces from {@code await()} as {@link UncheckedIOException}
 * whose cause is the IOException java.nio would throw (ConnectException,
 * SocketException "ECONNRESET ...", AsynchronousCloseException, ...). End of
 * stream is -1, as in java.nio.
 */
public final class TcpStream implements AutoCloseable {
    private final StreamHandle handle;

    TcpStream(StreamHandle handle) {
        this.handle = handle;
    }

    /** Connects to {@code address}. */
    public static Future<TcpStream> connect(SocketAddress address) {
        return connect(address, SocketOptions.DEFAULT);
    }

    public static Future<TcpStream> connect(SocketAddress address, SocketOptions options) {
        if (!(address instanceof InetSocketAddress)) {
            throw new IllegalArgumentException("TcpStream.connect needs an InetSocketAddress, got " + address);
        }
        return ExecutorCore.current("TcpStream.connect").driver().connect(address, options).map(TcpStream::new);
    }

    /**
     * Connects, giving up after {@code timeout}: then fails with
     * UncheckedIOException whose cause is a {@link SocketTimeoutException}.
     */
    public static Future<TcpStream> connect(SocketAddress address, Duration timeout) {
        Timeout<TcpStream> t = Timeout.of(timeout, connect(address));
        return cx -> {
            try {
                return t.poll(cx);
            } catch (TimeoutFailure e) {
                SocketTimeoutException ste = new SocketTimeoutException("connect " + address + ": timed out after "
                        + timeout);
                ste.initCause(e);
                throw new UncheckedIOException(ste);
            }
        };
    }

    /** Reads into {@code dst}; the count, or -1 at end of stream (0 only if dst has no room). */
    public Future<Integer> read(ByteBuffer dst) {
        return handle.read(dst);
    }

    public Future<Integer> read(MemorySegment dst) {
        return handle.read(dst);
    }

    /** Writes some of {@code src} (at least one byte unless it is empty); the count. */
    public Future<Integer> write(ByteBuffer src) {
        return handle.write(src);
    }

    public Future<Integer> write(MemorySegment src) {
        return handle.write(src);
    }

    /** Fills {@code dst}; fails with EOFException (as cause) if the stream ends first. */
    public Future<Void> readExact(ByteBuffer dst) {
        return StreamLoops.readExact(handle, dst);
    }

    /** Writes all of {@code src}, in as many writes as the kernel needs. */
    public Future<Void> writeAll(ByteBuffer src) {
        return StreamLoops.writeAll(handle, src);
    }

    /** Half-close: the peer reads end of stream; this side can still read. */
    public void shutdownOutput() throws IOException {
        handle.shutdownOutput();
    }

    public void setNoDelay(boolean on) throws IOException {
        handle.setNoDelay(on);
    }

    /**
     * SO_LINGER: {@code null} (the default) lets close return at once while
     * the kernel sends what is buffered; {@code Duration.ZERO} makes close
     * drop the buffer and reset the connection (RST).
     */
    public void setLinger(Duration linger) throws IOException {
        if (linger != null && linger.isNegative()) {
            throw new IllegalArgumentException("setLinger(" + linger + "): must not be negative");
        }
        handle.setLinger(linger);
    }

    public InetSocketAddress localAddress() throws IOException {
        return (InetSocketAddress) handle.localAddress();
    }

    public InetSocketAddress remoteAddress() throws IOException {
        return (InetSocketAddress) handle.remoteAddress();
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
        return "TcpStream[" + handle + "]";
    }
}
