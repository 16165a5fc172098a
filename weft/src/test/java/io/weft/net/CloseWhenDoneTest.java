package io.weft.net;

import static io.weft.net.MoveStreamTest.assumeDriver;
import static io.weft.net.TcpTest.loopback;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.Driver;
import io.weft.JoinHandle;
import io.weft.LocalExecutor;
import io.weft.TaskCancelledException;
import io.weft.Weft;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * MovedStream.closeWhenDone, per driver: a connection handed to a task that
 * never ran is closed when that task ends; one the task attached is the
 * task's; and it does not hide the task's failure.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CloseWhenDoneTest {

    @ParameterizedTest
    @EnumSource(Driver.class)
    void aConnectionHandedToATaskAbortedBeforeItRanIsClosed(Driver d) {
        assumeDriver(d);
        try (LocalExecutor ex = LocalExecutor.builder().driver(d).build()) {
            int read = ex.run(() -> {
                try (TcpListener l = TcpListener.bind(loopback());
                        TcpStream client = TcpStream.connect(l.localAddress()).await()) {
                    MovedStream<TcpStream> conn = l.accept().await().detach().await();
                    JoinHandle<Void> handler = conn.closeWhenDone(Weft.spawn(() -> {
                        try (TcpStream s = conn.attach()) {
                            s.writeAll(ByteBuffer.wrap(new byte[] {1})).await();
                        }
                    }));
                    handler.abort(); // before it ever ran: its body never attaches the stream
                    assertThatThrownBy(handler::await).isInstanceOf(TaskCancelledException.class);
                    assertThatThrownBy(conn::attach).isInstanceOf(IllegalStateException.class)
                            .hasMessageContaining("attached or closed already");
                    return client.read(ByteBuffer.allocate(8)).await(); // the server side is closed: the end
                }
            });
            assertThat(read).isEqualTo(-1);
        }
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void aStreamTheTaskAttachedAndHandedOnStaysOpen(Driver d) {
        assumeDriver(d);
        try (LocalExecutor ex = LocalExecutor.builder().driver(d).build()) {
            byte got = ex.run(() -> {
                try (TcpListener l = TcpListener.bind(loopback());
                        TcpStream client = TcpStream.connect(l.localAddress()).await()) {
                    MovedStream<TcpStream> conn = l.accept().await().detach().await();
                    try (TcpStream served = conn.closeWhenDone(Weft.spawn(conn::attach)).await()) {
                        served.writeAll(ByteBuffer.wrap(new byte[] {42})).await(); // after the task ended
                        ByteBuffer one = ByteBuffer.allocate(1);
                        client.readExact(one).await();
                        return one.get(0);
                    }
                }
            });
            assertThat(got).isEqualTo((byte) 42);
        }
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void aFailureOfTheTaskIsStillReportedWhenNobodyAwaitsIt(Driver d) {
        assumeDriver(d);
        List<String> reported = new CopyOnWriteArrayList<>();
        try (LocalExecutor ex = LocalExecutor.builder().driver(d)
                .onUnobservedFailure((task, error) -> reported.add(error.getMessage())).build()) {
            int read = ex.run(() -> {
                try (TcpListener l = TcpListener.bind(loopback());
                        TcpStream client = TcpStream.connect(l.localAddress()).await()) {
                    MovedStream<TcpStream> conn = l.accept().await().detach().await();
                    conn.closeWhenDone(Weft.spawn(() -> {
                        try (TcpStream s = conn.attach()) {
                            throw new IllegalStateException("the handler failed");
                        }
                    }));
                    return client.read(ByteBuffer.allocate(8)).await();
                }
            });
            assertThat(read).isEqualTo(-1);
        }
        assertThat(reported).containsExactly("the handler failed");
    }
}
