package io.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.weft.io.Drivers;
import io.weft.net.TcpListener;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An executor's reactor at its edges, on every driver: woken after it
 * closed, a waker that throws when I/O becomes ready, a grace too long to
 * count in nanoseconds.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ReactorEdgesTest {

    static void assumeDriver(Driver d) {
        String why = Drivers.whyNot(d);
        assumeTrue(why == null, () -> d + " driver unavailable here: " + why);
    }

    /**
     * Every close of a StealingExecutor wakes its workers' reactors; a second
     * close (or a shutdown after a close) woke reactors already closed,
     * writing 8 bytes to the eventfd's old number, by then another file's.
     */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void aSecondCloseWritesIntoNoDescriptor(Driver d, @TempDir Path dir) throws Exception {
        assumeDriver(d);
        StealingExecutor ex = StealingExecutor.builder().workers(1).driver(d).build();
        ex.blockOn(() -> {
            TcpListener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).close(); // opens the reactor
            return null;
        });
        ex.close();
        List<FileChannel> files = new ArrayList<>();
        try {
            for (int i = 0; i < 64; i++) { // take the lowest free numbers: the reactor's old ones among them
                files.add(FileChannel.open(Files.createFile(dir.resolve("f" + i)), StandardOpenOption.READ,
                        StandardOpenOption.WRITE));
            }
            ex.close();
            ex.shutdown(Duration.ZERO);
            for (FileChannel f : files) {
                assertThat(f.size()).as("a file opened after the first close").isZero();
            }
        } finally {
            for (FileChannel f : files) {
                f.close();
            }
        }
    }

    /**
     * A future polled by hand with a waker that throws, made ready by I/O:
     * the reactor reports the throw and goes on (as a timer's or a join's
     * wake does); it killed the loop's thread, and a close then waited for
     * ever.
     */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void aWakerThatThrowsWhenIoIsReadyStopsNoLoop(Driver d) throws Exception {
        assumeDriver(d);
        Context bad = new Context(() -> {
            throw new IllegalStateException("a waker that throws");
        });
        try (LocalExecutor local = LocalExecutor.builder().driver(d).build();
             StealingExecutor stealing = StealingExecutor.builder().workers(1).driver(d).build()) {
            TcpListener[] ls = new TcpListener[2];
            SocketAddress a = local.run(() -> {
                ls[0] = TcpListener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                assertThat(ls[0].accept().poll(bad).isReady()).isFalse();
                return ls[0].localAddress();
            });
            SocketAddress b = stealing.blockOn(() -> {
                ls[1] = TcpListener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                assertThat(ls[1].accept().poll(bad).isReady()).isFalse();
                return ls[1].localAddress();
            });
            try (Socket x = new Socket(); Socket y = new Socket()) {
                x.connect(a);
                y.connect(b);
                assertThat(local.run(() -> {
                    for (int i = 0; i < 5; i++) {
                        Weft.sleep(Duration.ofMillis(10)).await(); // the reactor sees the connection
                    }
                    ls[0].close();
                    return 42;
                })).isEqualTo(42);
                assertThat(stealing.blockOn(() -> {
                    for (int i = 0; i < 5; i++) {
                        Weft.sleep(Duration.ofMillis(10)).await();
                    }
                    ls[1].close();
                    return 43;
                })).isEqualTo(43);
            }
        }
    }

    /** A grace too long to count in nanoseconds is waited for as long as it takes (here: nothing runs). */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void aShutdownWithAnEndlessGraceEndsWhenTheTasksDo(Driver d) {
        assumeDriver(d);
        LocalExecutor local = LocalExecutor.builder().driver(d).build();
        StealingExecutor stealing = StealingExecutor.builder().workers(1).driver(d).build();
        assertThat(local.shutdown(ChronoUnit.FOREVER.getDuration())).isTrue();
        assertThat(stealing.shutdown(ChronoUnit.FOREVER.getDuration())).isTrue();
        assertThat(stealing.isClosed()).isTrue();
    }
}
