package io.weft.net;

import static io.weft.net.StealingIoTest.on;
import static io.weft.net.StreamMoveTest.ascii;
import static io.weft.net.StreamMoveTest.text;
import static io.weft.net.TcpTest.loopback;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.Driver;
import io.weft.JoinHandle;
import io.weft.OnceThenCancel;
import io.weft.OtherWorker;
import io.weft.StealingExecutor;
import io.weft.time.Timeout;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A UDP socket of a StealingExecutor used by a task on another worker, once
 * per driver this kernel allows: its sends and receives run on the socket's
 * worker; a receive given up just as its datagram arrived keeps it for the
 * next receive.
 */
@org.junit.jupiter.api.Timeout(value = 2, unit = TimeUnit.MINUTES,
        threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
class StealingUdpTest {

    @ParameterizedTest
    @EnumSource(Driver.class)
    void aSocketBoundHereServesATaskOfTheOtherWorker(Driver d) {
        try (StealingExecutor ex = on(d)) {
            String reply = ex.blockOn(() -> {
                try (UdpSocket srv = UdpSocket.bind(loopback()); UdpSocket cli = UdpSocket.bind(loopback())) {
                    var server = OtherWorker.spawn(() -> {
                        ByteBuffer in = ByteBuffer.allocate(64);
                        SocketAddress from = srv.receiveFrom(in).await();
                        srv.sendTo(ascii("pong:" + text(in, in.position())), from).await();
                        return null;
                    });
                    cli.sendTo(ascii("ping"), srv.localAddress()).await();
                    ByteBuffer back = ByteBuffer.allocate(64);
                    cli.receiveFrom(back).await();
                    server.await();
                    assertThatThrownBy(() -> OtherWorker.spawn(() -> {
                        srv.connect(cli.localAddress());
                        return null;
                    }).await()).hasMessageContaining("connect()");
                    return text(back, back.position());
                }
            });
            assertThat(reply).isEqualTo("pong:ping");
        }
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void aReceiveGivenUpAsItsDatagramArrivedKeepsItForTheNext(Driver d) {
        try (StealingExecutor ex = on(d)) {
            String got = ex.blockOn(() -> {
                try (UdpSocket srv = UdpSocket.bind(loopback()); UdpSocket cli = UdpSocket.bind(loopback())) {
                    cli.sendTo(ascii("kept"), srv.localAddress()).await(); // waits in the kernel for srv
                    AtomicBoolean firstPolled = new AtomicBoolean();
                    JoinHandle<String> body = OtherWorker.spawn(() -> {
                        ByteBuffer lost = ByteBuffer.allocate(64);
                        // the receive runs on the socket's worker and completes; its caller gives up at the wake
                        new OnceThenCancel(srv.receiveFrom(lost), () -> firstPolled.set(true)).await();
                        ByteBuffer in = ByteBuffer.allocate(64);
                        Timeout.of(Duration.ofSeconds(10), srv.receiveFrom(in)).await(); // lost: a timeout
                        return text(in, in.position()) + (lost.position() == 0 ? "" : " (also in the buffer given up)");
                    });
                    OtherWorker.holdUntil(firstPolled::get, "the first poll"); // the receive runs here only after it
                    return body.await();
                }
            });
            assertThat(got).isEqualTo("kept");
        }
    }

    /**
     * A connected socket: a {@code receive()} given up from afar keeps its
     * datagram without a sender, so a {@code receiveFrom} takes the next one
     * from the kernel (never a null sender) and the next {@code receive()}
     * gets the kept one.
     */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void aDatagramKeptByAReceiveIsNotGivenToAReceiveFromWithoutItsSender(Driver d) {
        try (StealingExecutor ex = on(d)) {
            String got = ex.blockOn(() -> {
                try (UdpSocket srv = UdpSocket.bind(loopback()); UdpSocket cli = UdpSocket.bind(loopback())) {
                    srv.connect(cli.localAddress());
                    cli.sendTo(ascii("one"), srv.localAddress()).await();
                    AtomicBoolean firstPolled = new AtomicBoolean();
                    JoinHandle<String> body = OtherWorker.spawn(() -> {
                        new OnceThenCancel(srv.receive(ByteBuffer.allocate(64)), () -> firstPolled.set(true)).await();
                        cli.sendTo(ascii("two"), srv.localAddress()).await();
                        ByteBuffer a = ByteBuffer.allocate(64);
                        SocketAddress from = srv.receiveFrom(a).await();
                        ByteBuffer b = ByteBuffer.allocate(64);
                        int n = Timeout.of(Duration.ofSeconds(10), srv.receive(b)).await();
                        return text(a, a.position()) + " from " + (from == null ? "nobody" : "the peer") + ", then "
                                + text(b, n);
                    });
                    OtherWorker.holdUntil(firstPolled::get, "the first poll");
                    return body.await();
                }
            });
            assertThat(got).isEqualTo("two from the peer, then one");
        }
    }
}
