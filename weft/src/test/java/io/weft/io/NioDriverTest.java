package io.weft.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.Driver;
import io.weft.Futures;
import io.weft.JoinHandle;
import io.weft.LocalExecutor;
import io.weft.TaskCancelledException;
import io.weft.Weft;
import io.weft.executor.Worker;
import io.weft.net.SocketOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.SelectionKey;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rules of the nio driver that the per-driver socket suite (TcpTest) does
 * not see: how it parks and is woken, the interest sets it keeps, what
 * closing does, Unix sockets, datagrams, and how java.nio's errors are
 * renamed. A hang here is a lost wake: the class timeout fails it.
 */
// SEPARATE_THREAD: an interrupt (the default timeout) makes a selector return at once, over and over
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class NioDriverTest {

    static <T> T onNio(Callable<T> body) {
        try (LocalExecutor ex = LocalExecutor.builder().driver(Driver.NIO).build()) {
            return ex.run(body);
        }
    }

    static NioDriver driver() {
        return (NioDriver) Worker.current("test").driver();
    }

    static InetSocketAddress loopback() {
        return new InetSocketAddress("127.0.0.1", 0);
    }

    // ---- parking and waking ----

    @Test
    void aWakeupFromAnotherThreadEndsAPark() throws Exception {
        NioDriver d = NioDriver.open();
        try {
            CountDownLatch parking = new CountDownLatch(1);
            Thread waker = new Thread(() -> {
                try {
                    parking.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                d.wakeup(); // lands during the park, or just before it: either way the park ends
            });
            waker.start();
            parking.countDown();
            d.park(-1);
            waker.join();
        } finally {
            d.close();
        }
    }

    @Test
    void aWakeupBeforeAParkEndsThatParkOnly() throws Exception {
        NioDriver d = NioDriver.open();
        try {
            d.wakeup();
            d.wakeup(); // wakes do not add up
            d.park(-1); // returns at once
            long t0 = System.nanoTime();
            d.park(1); // 1 ns is rounded up to 1 ms: the wake was used up, so this one times out
            assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(1_000_000L);
            d.park(0); // selectNow: never blocks
            d.wakeup();
            d.park(Long.MAX_VALUE); // rounding up to milliseconds does not overflow
            assertThat(d.poll()).isZero();
        } finally {
            d.close();
        }
        d.wakeup(); // after close: nothing happens
        assertThat(d.isOpen()).isFalse();
    }

    @Test
    void anotherThreadWakesTheExecutorParkedInTheSelector() throws Exception {
        CompletableFuture<String> fromOutside = new CompletableFuture<>();
        CountDownLatch awaiting = new CountDownLatch(1);
        Thread other = new Thread(() -> {
            try {
                awaiting.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            fromOutside.complete("hello");
        });
        other.start();
        String got = onNio(() -> {
            driver(); // the loop now parks in the selector instead of LockSupport.park
            assertThat(Weft.current().driver()).isEqualTo(Driver.NIO);
            awaiting.countDown();
            return Futures.fromCompletionStage(fromOutside).await();
        });
        other.join();
        assertThat(got).isEqualTo("hello");
    }

    // ---- interest sets ----

    @Test
    void interestOpsAreHeldOnlyWhileAnOpWaits() {
        onNio(() -> {
            NioDriver d = driver();
            NioListener l = (NioListener) d.listen(loopback(), SocketOptions.DEFAULT);
            assertThat(l.interestOps()).isZero();

            JoinHandle<StreamHandle> acceptor = Weft.spawn(() -> l.accept().await());
            Weft.yieldNow().await(); // the accept would block: it waits
            assertThat(l.interestOps()).isEqualTo(SelectionKey.OP_ACCEPT);
            assertThat(d.pending()).isEqualTo(1);

            NioStream c = (NioStream) d.connect(l.localAddress(), SocketOptions.DEFAULT).await();
            NioStream s = (NioStream) acceptor.await();
            assertThat(l.interestOps()).as("nothing waits on the listener").isZero();
            assertThat(d.pending()).isZero();
            assertThat(c.interestOps()).as("the connect is done").isZero();

            JoinHandle<Integer> reader = Weft.spawn(() -> s.read(ByteBuffer.allocate(8)).await());
            Weft.yieldNow().await();
            assertThat(s.interestOps()).isEqualTo(SelectionKey.OP_READ);
            assertThat(d.pending()).isEqualTo(1);
            c.write(ByteBuffer.wrap(new byte[] {1, 2, 3})).await();
            assertThat(reader.await()).isEqualTo(3);
            assertThat(s.interestOps()).isZero();
            assertThat(d.pending()).isZero();

            // a cancelled read leaves the waiter list and the interest set
            JoinHandle<Integer> abandoned = Weft.spawn(() -> s.read(ByteBuffer.allocate(8)).await());
            Weft.yieldNow().await();
            assertThat(s.interestOps()).isEqualTo(SelectionKey.OP_READ);
            abandoned.abort();
            assertThatThrownBy(abandoned::await).isInstanceOf(TaskCancelledException.class);
            assertThat(s.interestOps()).isZero();
            assertThat(d.pending()).isZero();

            // nothing was lost by the cancel: the next read gets the bytes
            c.write(ByteBuffer.wrap(new byte[] {4, 5})).await();
            ByteBuffer in = ByteBuffer.allocate(8);
            assertThat(s.read(in).await()).isEqualTo(2);
            assertThat(in.get(0)).isEqualTo((byte) 4);

            c.close();
            s.close();
            l.close();
            return null;
        });
    }

    // ---- closing ----

    @Test
    void closingAStreamFailsItsPendingReadAndLaterUse() {
        onNio(() -> {
            NioDriver d = driver();
            ListenerHandle l = d.listen(loopback(), SocketOptions.DEFAULT);
            StreamHandle c = d.connect(l.localAddress(), SocketOptions.DEFAULT).await();
            StreamHandle s = l.accept().await();
            JoinHandle<Throwable> reader = Weft.spawn(() -> {
                try {
                    s.read(ByteBuffer.allocate(8)).await();
                    return null;
                } catch (UncheckedIOException e) {
                    return e.getCause();
                }
            });
            Weft.yieldNow().await();
            Throwable[] refused = new Throwable[1];
            Thread other = new Thread(() -> {
                try {
                    s.close(); // would select on the loop's selector: refused
                } catch (Throwable e) {
                    refused[0] = e;
                }
            });
            other.start();
            other.join();
            assertThat(refused[0]).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("belong to the executor");
            assertThat(s.isOpen()).isTrue();
            s.close();
            s.close(); // idempotent
            assertThat(reader.await()).isInstanceOf(AsynchronousCloseException.class);
            assertThat(d.pending()).isZero();
            assertThatThrownBy(() -> s.read(ByteBuffer.allocate(8)).await()).isInstanceOf(UncheckedIOException.class)
                    .hasCauseInstanceOf(ClosedChannelException.class);
            assertThatThrownBy(s::localAddress).isInstanceOf(ClosedChannelException.class);
            assertThat(c.read(ByteBuffer.allocate(8)).await()).as("the peer sees the close").isEqualTo(-1);
            c.close();
            l.close();
            return null;
        });
    }

    @Test
    void aClosedListenerThatHadWaitedFreesItsPortAtOnce() throws Exception {
        int port = onNio(() -> {
            NioDriver d = driver();
            ListenerHandle l = d.listen(loopback(), SocketOptions.DEFAULT);
            JoinHandle<Throwable> acceptor = Weft.spawn(() -> {
                try {
                    l.accept().await();
                    return null;
                } catch (UncheckedIOException e) {
                    return e.getCause();
                }
            });
            Weft.yieldNow().await(); // OP_ACCEPT is in the selector's interest set now
            int p = ((InetSocketAddress) l.localAddress()).getPort();
            l.close();
            assertThat(acceptor.await()).isInstanceOf(AsynchronousCloseException.class);
            // java.nio alone would close the descriptor at the next selection only: this connect would succeed
            assertThatThrownBy(() -> d.connect(new InetSocketAddress("127.0.0.1", p), SocketOptions.DEFAULT).await())
                    .isInstanceOf(UncheckedIOException.class).cause().isInstanceOf(ConnectException.class)
                    .hasMessage("connect 127.0.0.1:" + p + ": ECONNREFUSED (Connection refused)");
            return p;
        });
        assertThat(port).isPositive();
    }

    @Test
    void aLingerZeroCloseResetsWithoutAFin() {
        Object t = onNio(() -> {
            NioDriver d = driver();
            ListenerHandle l = d.listen(loopback(), SocketOptions.DEFAULT);
            StreamHandle c = d.connect(l.localAddress(), SocketOptions.DEFAULT).await();
            StreamHandle s = l.accept().await();
            JoinHandle<Integer> reader = Weft.spawn(() -> c.read(ByteBuffer.allocate(8)).await());
            Weft.yieldNow().await(); // the read waits: c is registered for OP_READ (and s, as every socket, with no interest)
            s.setLinger(java.time.Duration.ZERO);
            s.close();
            try {
                return "read " + reader.await() + " instead of a reset";
            } catch (io.weft.TaskFailedException e) {
                return (Object) e.getCause().getCause();
            } finally {
                c.close();
                l.close();
            }
        });
        // no FIN before the reset: the peer's read fails instead of returning -1
        assertThat(t).isInstanceOf(SocketException.class);
        assertThat(((Throwable) t).getMessage()).startsWith("read: ECONNRESET (");
    }

    @Test
    void closingTheExecutorClosesTheSelectorAndTheChannels() throws Exception {
        NioSocket[] sockets = new NioSocket[3];
        NioDriver[] driver = new NioDriver[1];
        int port;
        try (LocalExecutor ex = LocalExecutor.builder().driver(Driver.NIO).build()) {
            port = ex.run(() -> {
                NioDriver d = driver();
                driver[0] = d;
                ListenerHandle l = d.listen(loopback(), SocketOptions.DEFAULT);
                StreamHandle c = d.connect(l.localAddress(), SocketOptions.DEFAULT).await();
                StreamHandle s = l.accept().await();
                sockets[0] = (NioSocket) l;
                sockets[1] = (NioSocket) c;
                sockets[2] = (NioSocket) s;
                Weft.spawn(() -> s.read(ByteBuffer.allocate(8)).await()); // still waiting when run returns
                Weft.yieldNow().await();
                assertThat(d.pending()).isEqualTo(1);
                return ((InetSocketAddress) l.localAddress()).getPort();
            });
            assertThat(driver[0].isOpen()).isTrue();
        }
        assertThat(driver[0].isOpen()).isFalse();
        assertThat(driver[0].pending()).as("the waiting read was cancelled with its task").isZero();
        for (NioSocket s : sockets) {
            assertThat(s.isOpen()).isFalse();
            assertThat(s.channel.isOpen()).isFalse();
        }
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
    }

    // ---- Unix domain sockets ----

    @Test
    void unixSocketEchoWithBuffersAndSegments(@TempDir Path dir) {
        UnixDomainSocketAddress path = UnixDomainSocketAddress.of(dir.resolve("echo.sock"));
        int rounds = 200;
        long checked = onNio(() -> {
            NioDriver d = driver();
            ListenerHandle l = d.listen(path, SocketOptions.DEFAULT.withReusePort(true)); // reuse: IP only, ignored
            assertThat(l.localAddress()).isEqualTo(path);
            JoinHandle<Void> server = Weft.spawn(() -> {
                StreamHandle s = l.accept().await();
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment buf = arena.allocate(4096); // native segment in, direct view out
                    int n;
                    while ((n = s.read(buf).await()) > 0) {
                        MemorySegment out = buf.asSlice(0, n);
                        while (out.byteSize() > 0) {
                            out = out.asSlice(s.write(out).await());
                        }
                    }
                } finally {
                    s.close();
                }
            });
            StreamHandle c = d.connect(path, SocketOptions.DEFAULT.withNoDelay(true)).await(); // noDelay: TCP only
            assertThat(c.remoteAddress()).isEqualTo(path);
            assertThat(c.localAddress()).isInstanceOf(UnixDomainSocketAddress.class);
            assertThatThrownBy(() -> c.setNoDelay(true)).isInstanceOf(SocketException.class)
                    .hasMessageContaining("EOPNOTSUPP");
            long ok = 0;
            for (int i = 0; i < rounds; i++) {
                int len = 1 + i * 13 % 3000;
                long[] words = new long[(len + 7) / 8];
                for (int k = 0; k < words.length; k++) {
                    words[k] = i * 1_000_003L + k;
                }
                // a heap segment over long[]: java.nio cannot view it, the bounce buffer carries it
                MemorySegment out = MemorySegment.ofArray(words).asSlice(0, len);
                while (out.byteSize() > 0) {
                    out = out.asSlice(c.write(out).await());
                }
                ByteBuffer in = ByteBuffer.allocateDirect(len);
                while (in.hasRemaining()) {
                    assertThat(c.read(in).await()).isPositive();
                }
                long[] back = new long[words.length];
                MemorySegment.copy(MemorySegment.ofBuffer(in.flip()), 0, MemorySegment.ofArray(back), 0, len);
                MemorySegment expect = MemorySegment.ofArray(words).asSlice(0, len);
                assertThat(MemorySegment.ofArray(back).asSlice(0, len).mismatch(expect)).isEqualTo(-1L);
                ok++;
            }
            // a heap segment over long[] read into: the bytes arrive through the bounce buffer too
            c.write(ByteBuffer.wrap(new byte[] {1, 0, 0, 0, 0, 0, 0, 2})).await();
            long[] one = new long[1];
            int n = 0;
            while (n < 8) {
                n += c.read(MemorySegment.ofArray(one).asSlice(n)).await();
            }
            assertThat(MemorySegment.ofArray(one).get(ValueLayout.JAVA_BYTE, 0)).isEqualTo((byte) 1);
            assertThat(MemorySegment.ofArray(one).get(ValueLayout.JAVA_BYTE, 7)).isEqualTo((byte) 2);
            c.shutdownOutput();
            assertThat(c.read(ByteBuffer.allocate(1)).await()).isEqualTo(-1);
            server.await();
            c.close();
            l.close();
            return ok;
        });
        assertThat(checked).isEqualTo(rounds);
    }

    // ---- datagrams ----

    @Test
    void datagramsToAndFromAnyoneAndBetweenConnectedPeers() {
        onNio(() -> {
            NioDriver d = driver();
            DatagramHandle a = d.bindDatagram(loopback(), SocketOptions.DEFAULT);
            DatagramHandle b = d.bindDatagram(loopback(), SocketOptions.DEFAULT);
            SocketAddress aAddr = a.localAddress();
            SocketAddress bAddr = b.localAddress();

            assertThatThrownBy(() -> a.receive(ByteBuffer.allocate(8)).await())
                    .isInstanceOf(NotYetConnectedException.class);

            JoinHandle<SocketAddress> receiver = Weft.spawn(() -> b.receiveFrom(ByteBuffer.allocate(16)).await());
            Weft.yieldNow().await(); // b waits for a datagram
            assertThat(a.sendTo(ByteBuffer.wrap("ping".getBytes()), bAddr).await()).isEqualTo(4);
            assertThat(receiver.await()).isEqualTo(aAddr);
            assertThat(a.sendTo(ByteBuffer.allocate(0), bAddr).await()).as("an empty datagram").isZero();
            ByteBuffer none = ByteBuffer.allocate(8);
            assertThat(b.receiveFrom(none).await()).isEqualTo(aAddr);
            assertThat(none.position()).isZero();

            b.connect(aAddr);
            a.connect(bAddr);
            assertThat(b.send(ByteBuffer.wrap("pong!".getBytes())).await()).isEqualTo(5);
            ByteBuffer in = ByteBuffer.allocate(3); // shorter than the datagram: truncated
            assertThat(a.receive(in).await()).isEqualTo(3);
            assertThat(new String(in.array())).isEqualTo("pon");
            assertThatThrownBy(() -> a.send(ByteBuffer.allocate(0))).as("connected: java.nio would send nothing")
                    .isInstanceOf(UnsupportedOperationException.class);

            a.close();
            b.close();
            assertThat(a.isOpen()).isFalse();
            assertThatThrownBy(() -> a.send(ByteBuffer.allocate(1)).await()).isInstanceOf(UncheckedIOException.class)
                    .hasCauseInstanceOf(ClosedChannelException.class);
            return null;
        });
    }

    // ---- errors ----

    @Test
    void javaNioErrorsAreRenamedWithTheCallAndTheErrno() {
        IOException reset = new SocketException("Connection reset");
        assertThat(NioErrors.rename("read", reset)).isExactlyInstanceOf(SocketException.class)
                .hasMessage("read: ECONNRESET (Connection reset)").hasCause(reset);

        IOException pipe = new IOException("Broken pipe"); // java.nio's type for EPIPE: made a SocketException
        assertThat(NioErrors.rename("write", pipe)).isExactlyInstanceOf(SocketException.class)
                .hasMessage("write: EPIPE (Broken pipe)").hasCause(pipe);

        assertThat(NioErrors.rename("write", new IOException("Connection reset by peer")))
                .isExactlyInstanceOf(SocketException.class).hasMessage("write: ECONNRESET (Connection reset by peer)");

        IOException refused = new ConnectException("Connection refused");
        assertThat(NioErrors.rename("connect 127.0.0.1:9", refused)).isExactlyInstanceOf(ConnectException.class)
                .hasMessage("connect 127.0.0.1:9: ECONNREFUSED (Connection refused)").hasCause(refused);

        assertThat(NioErrors.rename("bind 127.0.0.1:80", new java.net.BindException("Address already in use")))
                .isExactlyInstanceOf(java.net.BindException.class)
                .hasMessage("bind 127.0.0.1:80: EADDRINUSE (Address already in use)");

        assertThat(NioErrors.rename("read", new IOException("Something new"))).isExactlyInstanceOf(IOException.class)
                .hasMessage("read: Something new");

        IOException closed = new ClosedChannelException();
        assertThat(NioErrors.rename("read", closed)).isSameAs(closed);
        IOException odd = new java.nio.file.FileSystemException("x"); // cannot be re-created: kept as it is
        assertThat(NioErrors.rename("read", odd)).isSameAs(odd);

        assertThat(NioErrors.describe(new InetSocketAddress("::1", 80))).isEqualTo("[0:0:0:0:0:0:0:1]:80");
        assertThat(NioErrors.describe(UnixDomainSocketAddress.of("/tmp/s"))).isEqualTo("/tmp/s");
    }

    /**
     * ETIMEDOUT: java.nio throws ConnectException for a connect and an
     * IOException "Connection timed out" for a read, which the nio driver
     * makes a SocketException; the descriptor drivers (Errno.socketError)
     * give the same types, never SocketTimeoutException (not a
     * SocketException, and what a weft connect timeout throws).
     */
    @Test
    void aTimedOutConnectionIsAConnectExceptionForAConnectAndASocketExceptionElseOnEveryDriver() {
        assertThat(io.weft.sys.Errno.socketError("connect 10.0.0.1:80", -io.weft.sys.Linux.ETIMEDOUT))
                .isExactlyInstanceOf(ConnectException.class)
                .hasMessage("connect 10.0.0.1:80: ETIMEDOUT (Connection timed out)");
        assertThat(io.weft.sys.Errno.socketError("read", io.weft.sys.Linux.ETIMEDOUT))
                .isExactlyInstanceOf(SocketException.class).hasMessage("read: ETIMEDOUT (Connection timed out)");
        assertThat(NioErrors.rename("connect 10.0.0.1:80", new ConnectException("Connection timed out")))
                .isExactlyInstanceOf(ConnectException.class);
        assertThat(NioErrors.rename("read", new IOException("Connection timed out")))
                .isExactlyInstanceOf(SocketException.class);
    }
}
