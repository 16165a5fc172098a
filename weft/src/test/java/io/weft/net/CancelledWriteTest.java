package io.weft.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.CancellableFuture;
import io.weft.Context;
import io.weft.Driver;
import io.weft.Poll;
import io.weft.Weft;
import io.weft.time.Timeout;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A write given up while it waits for room never reads the caller's buffer
 * afterwards, on every driver: the caller may reuse a direct buffer as soon
 * as cancel() returned, and the peer never receives what it put there.
 */
@org.junit.jupiter.api.Timeout(value = 60, unit = TimeUnit.SECONDS,
        threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
class CancelledWriteTest {
    private static final int CHUNK = 64 * 1024;

    /**
     * Direct 64 KiB writes of 'a' fill the socket until one waits (in the
     * kernel on io_uring); it is cancelled, the buffer is filled with 'b',
     * and the peer drains the bytes of the writes that completed (on
     * io_uring the room this makes lets the kernel retry the send, in the
     * task work of this very thread's system calls, before the cancel is
     * submitted). Then a last write "END" and the end of stream: the peer
     * got 'a's (some of the cancelled write's, perhaps), then "END", and no
     * 'b' at all.
     */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void aCancelledWriteNeverSendsWhatTheBufferHoldsAfterTheCancel(Driver d) {
        TcpTest.on(d, () -> {
            try (ServerSocket server = new ServerSocket()) {
                server.setReceiveBufferSize(8192); // few bytes fill the socket
                server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                try (TcpStream s = TcpStream.connect(server.getLocalSocketAddress()).await();
                     Socket peer = server.accept()) {
                    ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK);
                    long sent = 0;
                    CancellableFuture<Integer> waiting = null;
                    while (waiting == null) {
                        fill(buf, (byte) 'a');
                        AtomicInteger woken = new AtomicInteger();
                        Context cx = new Context(woken::incrementAndGet);
                        CancellableFuture<Integer> w = s.write(buf);
                        Poll<Integer> p = w.poll(cx);
                        for (int i = 0; i < 4 && !p.isReady(); i++) {
                            Weft.yieldNow().await(); // io_uring: submitted, and tried by the kernel
                            if (woken.get() > 0) {
                                p = w.poll(cx);
                            }
                        }
                        if (p.isReady()) {
                            sent += p.get();
                        } else {
                            waiting = w; // no room: it waits (in the kernel on io_uring)
                        }
                    }
                    waiting.cancel();
                    fill(buf, (byte) 'b'); // the caller reuses its buffer
                    InputStream in = peer.getInputStream();
                    byte[] first = in.readNBytes((int) sent); // room: on io_uring the kernel may retry the send now
                    assertThat(onlyA(first, first.length)).as("the completed writes").isTrue();
                    CompletableFuture<byte[]> rest = CompletableFuture.supplyAsync(() -> {
                        try {
                            return in.readAllBytes();
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });
                    Timeout.of(Duration.ofSeconds(10), s.writeAll(ByteBuffer.wrap("END".getBytes(StandardCharsets.US_ASCII))))
                            .await();
                    s.shutdownOutput();
                    byte[] tail = rest.get(10, TimeUnit.SECONDS);
                    String end = new String(tail, tail.length - Math.min(3, tail.length), Math.min(3, tail.length),
                            StandardCharsets.US_ASCII);
                    assertThat(end).as("the last write, last").isEqualTo("END");
                    int b = 0;
                    for (int i = 0; i < tail.length - 3; i++) {
                        b += tail[i] == 'b' ? 1 : 0;
                    }
                    assertThat(b).as("bytes the caller put in its buffer after the cancel, received by the peer")
                            .isZero();
                    assertThat(onlyA(tail, tail.length - 3)).as("only the cancelled write's own bytes before END")
                            .isTrue();
                }
            }
            return null;
        });
    }

    private static void fill(ByteBuffer b, byte v) {
        b.clear();
        for (int i = 0; i < b.capacity(); i++) {
            b.put(i, v);
        }
    }

    private static boolean onlyA(byte[] a, int n) {
        for (int i = 0; i < n; i++) {
            if (a[i] != 'a') {
                return false;
            }
        }
        return true;
    }
}
