package io.weft.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.Driver;
import io.weft.Future;
import io.weft.Futures;
import io.weft.Poll;
import io.weft.time.TimedOutException;
import io.weft.time.Timeout;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A join that took a stream read's bytes and is then given up (its deadline
 * passed) gives them back, on every driver: the next read returns them
 * first, and the caller's buffer is where it was before the read. They
 * used to be lost: the next read waited for bytes that had already come.
 * The same for an accepted connection: the next accept returns it (it used
 * to be closed); and for a datagram: the next receive returns it.
 */
@org.junit.jupiter.api.Timeout(value = 60, unit = java.util.concurrent.TimeUnit.SECONDS,
        threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
class SocketGiveBackTest {
    private static final Duration WAIT = Duration.ofSeconds(5); // a hang guard

    /** Never ready. */
    private static final Future<Integer> NEVER = cx -> Poll.pending();

    /** A join of {@code read} and a future never ready, under a Timeout long enough for the read to complete. */
    private static void tookThenGaveUp(Future<Integer> read) {
        assertThatThrownBy(() -> Timeout.of(Duration.ofMillis(300), Futures.join(read, NEVER)).await())
                .isInstanceOf(TimedOutException.class);
    }

    private static String text(ByteBuffer b) {
        return StandardCharsets.US_ASCII.decode(b.flip()).toString();
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void theBytesOfAReadTakenByAJoinThatWasGivenUpAreReadAgain(Driver d) {
        TcpTest.on(d, SocketGiveBackTest::readsGivenBack);
    }

    /** The same on a StealingExecutor of two workers, the stream used by the task on the worker that accepted it. */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void theBytesOfAReadGivenBackOnAStealingExecutorAreReadAgain(Driver d) {
        try (var ex = StealingIoTest.on(d)) {
            ex.blockOn(SocketGiveBackTest::readsGivenBack);
        }
    }

    private static Void readsGivenBack() throws Exception {
        try (TcpListener l = TcpListener.bind(TcpTest.loopback()); Socket peer = new Socket()) {
            peer.connect(l.localAddress());
            try (TcpStream s = Timeout.of(WAIT, l.accept()).await()) {
                OutputStream out = peer.getOutputStream();
                out.write("hello".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                ByteBuffer buf = ByteBuffer.allocate(64);
                buf.put((byte) '>');
                s.readable().await();
                tookThenGaveUp(s.read(buf));
                assertThat(buf.position()).as("the buffer is where it was").isEqualTo(1);
                out.write(" world".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                ByteBuffer again = ByteBuffer.allocate(64);
                while (again.position() < "hello world".length()) {
                    Timeout.of(WAIT, s.read(again)).await();
                }
                assertThat(text(again)).isEqualTo("hello world");

                out.write("segment".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                s.readable().await();
                MemorySegment seg = Arena.ofAuto().allocate(64);
                tookThenGaveUp(s.read(seg));
                ByteBuffer last = ByteBuffer.allocate(64);
                while (last.position() < "segment".length()) {
                    Timeout.of(WAIT, s.read(last)).await();
                }
                assertThat(text(last)).isEqualTo("segment");
                assertThat(seg.get(ValueLayout.JAVA_BYTE, 0)).isEqualTo((byte) 's'); // it had read them
            }
        }
        return null;
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void aConnectionAcceptedByAJoinThatWasGivenUpIsAcceptedAgain(Driver d) {
        TcpTest.on(d, () -> {
            try (TcpListener l = TcpListener.bind(TcpTest.loopback()); Socket peer = new Socket()) {
                peer.connect(l.localAddress());
                peer.getOutputStream().write("first".getBytes(StandardCharsets.US_ASCII));
                assertThatThrownBy(() -> Timeout.of(Duration.ofMillis(300),
                        Futures.join(l.accept(), cx -> Poll.<TcpStream>pending())).await())
                        .isInstanceOf(TimedOutException.class);
                try (TcpStream s = Timeout.of(WAIT, l.accept()).await()) {
                    ByteBuffer got = ByteBuffer.allocate(64);
                    while (got.position() < "first".length()) {
                        Timeout.of(WAIT, s.read(got)).await();
                    }
                    assertThat(text(got)).isEqualTo("first");
                }
            }
            return null;
        });
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void aDatagramReceivedByAJoinThatWasGivenUpIsReceivedAgainInOrder(Driver d) {
        TcpTest.on(d, () -> {
            try (UdpSocket u = UdpSocket.bind(TcpTest.loopback());
                 java.net.DatagramSocket peer = new java.net.DatagramSocket(TcpTest.loopback())) {
                for (String m : new String[] {"d1", "d2"}) {
                    byte[] b = m.getBytes(StandardCharsets.US_ASCII);
                    peer.send(new java.net.DatagramPacket(b, b.length, u.localAddress()));
                }
                ByteBuffer buf = ByteBuffer.allocate(64);
                assertThatThrownBy(() -> Timeout.of(Duration.ofMillis(300),
                        Futures.join(u.receiveFrom(buf), cx -> Poll.pending())).await())
                        .isInstanceOf(TimedOutException.class);
                assertThat(buf.position()).as("the datagram was taken out of the buffer again").isZero();
                for (String m : new String[] {"d1", "d2"}) {
                    ByteBuffer got = ByteBuffer.allocate(64);
                    java.net.SocketAddress from = Timeout.of(WAIT, u.receiveFrom(got)).await();
                    assertThat(text(got)).isEqualTo(m);
                    assertThat(from).isEqualTo(peer.getLocalSocketAddress());
                }
            }
            return null;
        });
    }
}
