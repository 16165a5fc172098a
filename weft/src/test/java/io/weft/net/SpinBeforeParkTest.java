package io.weft.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.weft.Driver;
import io.weft.ExecutorMetrics;
import io.weft.LocalExecutor;
import io.weft.StealingExecutor;
import io.weft.io.Drivers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An executor that spins before it parks ({@code spinBeforePark}) on each
 * executor kind: its spin watches the reactor too, so a spin of 10 s never
 * holds I/O back (a spin that did made each round trip below wait for it);
 * and a StealingExecutor's spinning workers take wakes from another thread
 * without parking.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SpinBeforeParkTest {
    private static final Duration LONG_SPIN = Duration.ofSeconds(10);

    private static void available(Driver d) {
        String why = Drivers.whyNot(d);
        assumeTrue(why == null, () -> d + " driver unavailable here: " + why);
    }

    /**
     * 200 round trips of one byte with an echo peer on a plain thread (so
     * that the executor goes idle while each answer is on its way); the
     * elapsed nanoseconds.
     */
    private static Callable<Long> pingPong(InetSocketAddress peer) {
        return () -> {
            long t0 = System.nanoTime();
            try (TcpStream c = TcpStream.connect(peer).await()) {
                ByteBuffer one = ByteBuffer.allocate(1);
                for (int i = 0; i < 200; i++) {
                    c.writeAll(ByteBuffer.wrap(new byte[] {(byte) i})).await();
                    c.read(one.clear()).await();
                    assertThat(one.get(0)).isEqualTo((byte) i);
                    if (System.nanoTime() - t0 > LONG_SPIN.toNanos()) {
                        break; // held back already: the caller's assertion fails
                    }
                }
            }
            return System.nanoTime() - t0;
        };
    }

    /** An echo server of one connection on a plain thread, with blocking java.net sockets. */
    private static ServerSocket plainEcho() throws IOException {
        ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("plain-echo").start(() -> {
            try (server; Socket s = server.accept()) {
                s.setTcpNoDelay(true);
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                for (int b; (b = in.read()) >= 0; ) {
                    out.write(b);
                    out.flush();
                }
            } catch (IOException ignored) {
                // the test's connection went: done
            }
        });
        return server;
    }

    private static InetSocketAddress addressOf(ServerSocket s) {
        return new InetSocketAddress(s.getInetAddress(), s.getLocalPort());
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void aLocalExecutorsSpinDoesNotHoldIoBack(Driver d) throws Exception {
        available(d);
        try (ServerSocket peer = plainEcho();
                LocalExecutor ex = LocalExecutor.builder().driver(d).spinBeforePark(LONG_SPIN).build()) {
            long took = ex.run(pingPong(addressOf(peer)));
            assertThat(took).as("200 round trips, each of which a spin holding I/O back would delay by 10 s")
                    .isLessThan(LONG_SPIN.toNanos());
        }
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void aStealingExecutorsSpinDoesNotHoldIoBack(Driver d) throws Exception {
        available(d);
        try (ServerSocket peer = plainEcho();
                StealingExecutor ex = StealingExecutor.builder().workers(2).driver(d).spinBeforePark(LONG_SPIN)
                        .build()) {
            long took = ex.blockOn(pingPong(addressOf(peer)));
            assertThat(took).as("200 round trips, each of which a spin holding I/O back would delay by 10 s")
                    .isLessThan(LONG_SPIN.toNanos());
        }
    }

    /** Tasks spawned one after another from this thread, each awaited: spinning workers never park meanwhile. */
    @Test
    void spinningWorkersTakeWorkFromAnotherThreadWithoutParking() {
        try (StealingExecutor ex = StealingExecutor.builder().workers(2).spinBeforePark(LONG_SPIN).build()) {
            ex.spawn(() -> 0).await(); // both workers have started and gone idle, spinning
            long before = parks(ex);
            for (int i = 0; i < 200; i++) {
                int v = i;
                assertThat(ex.spawn(() -> v).await()).isEqualTo(v);
            }
            assertThat(parks(ex) - before).as("parks while spinning workers were given work").isZero();
        }
    }

    private static long parks(StealingExecutor ex) {
        return ex.metrics().stream().mapToLong(ExecutorMetrics::parks).sum();
    }
}
