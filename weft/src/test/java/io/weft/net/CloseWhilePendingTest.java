package io.weft.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.weft.CancellableFuture;
import io.weft.Context;
import io.weft.Driver;
import io.weft.Poll;
import io.weft.Weft;
import io.weft.time.Timeout;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An operation made and polled before its socket's close fails with
 * AsynchronousCloseException, on every driver, also when it waited behind
 * a cancelled operation of the same direction (on io_uring it is not in
 * the kernel then, but waits for the cancelled one's completion).
 */
@org.junit.jupiter.api.Timeout(value = 60, unit = java.util.concurrent.TimeUnit.SECONDS,
        threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
class CloseWhilePendingTest {
    private static final Duration WAIT = Duration.ofSeconds(5); // a hang guard

    /**
     * op1 is polled (in the kernel on io_uring), then cancelled; op2 is
     * polled and waits (behind op1 on io_uring); the socket is closed; op2,
     * polled until it ends, fails with exactly AsynchronousCloseException.
     */
    private static void closedBehindACancelledOp(Supplier<CancellableFuture<?>> make, Runnable close) {
        Context cx = new Context(() -> { });
        CancellableFuture<?> op1 = make.get();
        assertThat(op1.poll(cx).isReady()).isFalse();
        for (int i = 0; i < 4; i++) {
            Weft.yieldNow().await(); // io_uring: submitted
        }
        op1.cancel();
        CancellableFuture<?> op2 = make.get();
        assertThat(op2.poll(cx).isReady()).as("nothing to take yet").isFalse();
        close.run();
        for (int i = 0; i < 2000; i++) {
            Poll<?> p;
            try {
                p = op2.poll(cx);
            } catch (UncheckedIOException e) {
                assertThat(e.getCause()).isExactlyInstanceOf(AsynchronousCloseException.class);
                return;
            }
            if (p.isReady()) {
                fail("an operation pending at close returned " + p.get());
            }
            Weft.sleep(Duration.ofMillis(5)).await(); // io_uring: the cancelled op's completion comes first
        }
        fail("the operation pending at close never ended");
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void aReadWaitingBehindACancelledReadFailsAsClosedAsynchronously(Driver d) {
        TcpTest.on(d, () -> {
            try (TcpListener l = TcpListener.bind(TcpTest.loopback()); Socket peer = new Socket()) {
                peer.connect(l.localAddress());
                TcpStream s = Timeout.of(WAIT, l.accept()).await();
                closedBehindACancelledOp(() -> s.read(ByteBuffer.allocate(64)), s::close);
            }
            return null;
        });
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void anAcceptWaitingBehindACancelledAcceptFailsAsClosedAsynchronously(Driver d) {
        TcpTest.on(d, () -> {
            TcpListener l = TcpListener.bind(TcpTest.loopback());
            closedBehindACancelledOp(l::accept, l::close);
            return null;
        });
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void aReceiveWaitingBehindACancelledReceiveFailsAsClosedAsynchronously(Driver d) {
        TcpTest.on(d, () -> {
            try (DatagramSocket peer = new DatagramSocket(TcpTest.loopback())) {
                UdpSocket u = UdpSocket.bind(TcpTest.loopback());
                u.connect(peer.getLocalSocketAddress());
                closedBehindACancelledOp(() -> u.receive(ByteBuffer.allocate(64)), u::close);
            }
            return null;
        });
    }
    /**
     * An accept polled before the close whose connection had come (on
     * io_uring: completed in the kernel, its descriptor in the completion)
     * fails as any op pending at close, on every driver, and the connection
     * is not left open: the peer reads its end.
     */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void anAcceptWhoseConnectionCameBeforeTheCloseFailsAndClosesIt(Driver d) {
        Object[] got = TcpTest.on(d, () -> {
            TcpListener l = TcpListener.bind(TcpTest.loopback());
            Context cx = new Context(() -> { });
            CancellableFuture<TcpStream> a = l.accept();
            assertThat(a.poll(cx).isReady()).isFalse();
            try (Socket peer = new Socket()) {
                peer.connect(l.localAddress());
                peer.setSoTimeout(5000);
                for (int i = 0; i < 5; i++) {
                    Weft.sleep(Duration.ofMillis(10)).await(); // the connection reaches the driver
                }
                l.close();
                Object outcome;
                try {
                    Poll<TcpStream> p = a.poll(cx);
                    outcome = p.isReady() ? "accepted" : "pending";
                    if (p.isReady()) {
                        p.get().close();
                    }
                } catch (UncheckedIOException e) {
                    outcome = e.getCause().getClass().getSimpleName();
                }
                int end;
                try {
                    end = peer.getInputStream().read();
                } catch (java.net.SocketException reset) {
                    end = -2;
                }
                return new Object[] {outcome, end};
            }
        });
        assertThat(got[0]).as("the accept pending at close").isEqualTo("AsynchronousCloseException");
        assertThat((int) got[1]).as("the peer's read: its end (-1), or a reset (-2)").isLessThan(0);
    }

    /** A receive polled before the close whose datagram had come fails as any op pending at close, on every driver. */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void aReceiveWhoseDatagramCameBeforeTheCloseFails(Driver d) {
        Object got = TcpTest.on(d, () -> {
            try (DatagramSocket peer = new DatagramSocket(TcpTest.loopback())) {
                UdpSocket u = UdpSocket.bind(TcpTest.loopback());
                Context cx = new Context(() -> { });
                CancellableFuture<?> r = u.receiveFrom(ByteBuffer.allocate(64));
                assertThat(r.poll(cx).isReady()).isFalse();
                peer.send(new java.net.DatagramPacket(new byte[] {1, 2, 3}, 3, u.localAddress()));
                for (int i = 0; i < 5; i++) {
                    Weft.sleep(Duration.ofMillis(10)).await(); // the datagram reaches the driver
                }
                u.close();
                try {
                    Poll<?> p = r.poll(cx);
                    return p.isReady() ? "received" : "pending";
                } catch (UncheckedIOException e) {
                    return e.getCause().getClass().getSimpleName();
                }
            }
        });
        assertThat(got).as("the receive pending at close").isEqualTo("AsynchronousCloseException");
    }
    /**
     * A write done before the close (on io_uring: completed in the kernel,
     * its count not taken yet) returns its count on every driver: its bytes
     * went, and a caller told otherwise would send them again.
     */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void aWriteDoneBeforeTheCloseReturnsItsCount(Driver d) {
        Object got = TcpTest.on(d, () -> {
            try (TcpListener l = TcpListener.bind(TcpTest.loopback()); Socket peer = new Socket()) {
                peer.connect(l.localAddress());
                TcpStream s = Timeout.of(WAIT, l.accept()).await();
                CancellableFuture<Integer> w = s.write(ByteBuffer.wrap("hello".getBytes()));
                Context cx = new Context(() -> { });
                Poll<Integer> p = w.poll(cx);
                if (!p.isReady()) {
                    for (int i = 0; i < 5; i++) {
                        Weft.sleep(Duration.ofMillis(10)).await(); // the completion reaches the driver
                    }
                }
                s.close();
                try {
                    return p.isReady() ? p.get() : w.poll(cx).get();
                } catch (UncheckedIOException e) {
                    return e.getCause().getClass().getSimpleName();
                }
            }
        });
        assertThat(got).isEqualTo(5);
    }
}
