package io.weft.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.weft.Driver;
import io.weft.LocalExecutor;
import io.weft.Weft;
import io.weft.net.TcpListener;
import io.weft.sync.Channel;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Wakes from another thread reach an executor that waits inside its driver:
 * a plain thread sends 20,000 values one at a time through a shared channel
 * of capacity 1 to a task whose executor has opened its driver (a listener
 * is bound), so the loop parks in epoll_wait / io_uring_enter / select
 * between values. A lost wake would hang the exchange (the timeout only
 * turns a hang into a failure).
 */
class DriverWakeTest {

    @ParameterizedTest
    @EnumSource(Driver.class)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void remoteWakesEndParksInTheDriver(Driver d) throws Exception {
        String why = Drivers.whyNot(d);
        assumeTrue(why == null, () -> d + " driver unavailable here: " + why);
        int n = 20_000;
        Channel<Integer> ch = Channel.bounded(1);
        Thread producer = new Thread(() -> {
            for (int i = 0; i < n; i++) {
                ch.sender().send(i).await(); // a plain thread: parks while the channel is full
            }
            ch.sender().close();
        });
        long sum;
        long parksBefore;
        try (LocalExecutor ex = LocalExecutor.builder().driver(d).build()) {
            long[] out = ex.run(() -> {
                try (TcpListener l = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0))) {
                    assertThat(Weft.current().driver()).isEqualTo(d);
                    producer.start();
                    long s = 0;
                    long count = 0;
                    try {
                        for (;;) {
                            int v = ch.receiver().recv().await();
                            assertThat(v).isEqualTo(count);
                            s += v;
                            count++;
                        }
                    } catch (io.weft.sync.ChannelClosedException end) {
                        return new long[] {s, count};
                    }
                }
            });
            sum = out[0];
            assertThat(out[1]).isEqualTo(n);
            parksBefore = ex.stats().parks();
        }
        producer.join();
        assertThat(sum).isEqualTo((long) n * (n - 1) / 2);
        assertThat(parksBefore).as("the loop did park in the driver").isPositive();
    }
}
