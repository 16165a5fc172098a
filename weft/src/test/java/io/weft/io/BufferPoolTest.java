package io.weft.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.weft.Driver;
import io.weft.JoinHandle;
import io.weft.LocalExecutor;
import io.weft.Weft;
import io.weft.executor.Worker;
import io.weft.net.TcpListener;
import io.weft.net.TcpStream;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The native buffers of the io_uring driver: sized to the transfer, and bounded by what is in flight. */
@org.junit.jupiter.api.Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES,
        threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
class BufferPoolTest {

    @Test
    void aTransferBorrowsTheSmallestClassThatHoldsIt() {
        BufferPool p = new BufferPool();
        List<MemorySegment> b = new ArrayList<>();
        for (long len : new long[] {1, 100, 4096, 4097, 16 * 1024, 16 * 1024 + 1, 64 * 1024}) {
            b.add(p.borrow(len));
        }
        assertThat(b.stream().map(MemorySegment::byteSize).toList())
                .containsExactly(4096L, 4096L, 4096L, 16384L, 16384L, 65536L, 65536L);
        assertThat(b).allMatch(s -> s.address() % 4096 == 0, "page aligned");
        assertThatThrownBy(() -> p.borrow(64 * 1024 + 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("65537");
        b.forEach(p::release);
        p.close();
    }

    @Test
    void buffersBeyondTheCacheAreFreedAndTheRestReused() {
        BufferPool p = new BufferPool(2 * 65536);
        List<MemorySegment> b = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            b.add(p.borrow(65536));
        }
        assertThat(p.nativeBytes()).isEqualTo(10 * 65536L);
        assertThat(p.lent()).isEqualTo(10);
        b.forEach(p::release);
        assertThat(p.lent()).isZero();
        assertThat(p.nativeBytes()).as("only the cache is kept").isEqualTo(2 * 65536L);
        b.clear();
        for (int i = 0; i < 3; i++) {
            b.add(p.borrow(65536));
        }
        assertThat(p.allocations()).as("two came from the cache").isEqualTo(11);
        b.forEach(p::release);
        p.close();
        assertThat(p.nativeBytes()).isZero();
    }

    @Test
    void aNegativeCacheIsRefusedWithItsName() {
        assertThatThrownBy(() -> new BufferPool(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("weft.uring.bufferCacheBytes");
    }

    /**
     * 1,000 connections echo with heap buffers, so about 2,000 reads and
     * writes are in the kernel at once, each with a borrowed buffer: many
     * more than the cache keeps. After every round the driver holds no more
     * than its cache; before the pool freed buffers, each round kept or leaked
     * tens of megabytes for good.
     */
    @Test
    void nativeMemoryFollowsTheLoadOnIoUring() {
        String why = Drivers.whyNot(Driver.URING);
        assumeTrue(why == null, () -> "io_uring unavailable here: " + why);
        int conns = 1000;
        try (LocalExecutor ex = LocalExecutor.builder().driver(Driver.URING).build()) {
            ex.run(() -> {
                FdDriver driver = (FdDriver) Worker.current("test").driver();
                try (TcpListener l = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0))) {
                    long peak = 0;
                    for (int round = 0; round < 5; round++) {
                        JoinHandle<Void> server = Weft.spawn(() -> {
                            List<JoinHandle<Void>> echoes = new ArrayList<>();
                            for (int c = 0; c < conns; c++) {
                                TcpStream s = l.accept().await();
                                echoes.add(Weft.spawn(() -> {
                                    try (s) {
                                        ByteBuffer buf = ByteBuffer.allocate(16 * 1024);
                                        while (s.read(buf.clear()).await() > 0) {
                                            s.writeAll(buf.flip()).await();
                                        }
                                    }
                                }));
                            }
                            for (JoinHandle<Void> e : echoes) {
                                e.await();
                            }
                        });
                        List<TcpStream> clients = new ArrayList<>();
                        for (int c = 0; c < conns; c++) {
                            clients.add(TcpStream.connect(l.localAddress()).await());
                        }
                        List<JoinHandle<Void>> talks = new ArrayList<>();
                        for (TcpStream c : clients) {
                            talks.add(Weft.spawn(() -> {
                                try (c) {
                                    byte[] msg = new byte[200];
                                    for (int i = 0; i < 5; i++) {
                                        c.writeAll(ByteBuffer.wrap(msg)).await();
                                        c.readExact(ByteBuffer.allocate(msg.length)).await();
                                    }
                                }
                            }));
                        }
                        for (int i = 0; i < 8; i++) {
                            Weft.yieldNow().await(); // every read is in the kernel now
                        }
                        peak = Math.max(peak, driver.nativeBufferBytes());
                        for (JoinHandle<Void> t : talks) {
                            t.await();
                        }
                        server.await();
                        assertThat(driver.nativeBufferBytes()).as("native buffer memory after round " + round)
                                .isLessThanOrEqualTo(driver.bufferCacheBytes());
                    }
                    assertThat(peak).as("the rounds did need more than the cache").isGreaterThan(
                            driver.bufferCacheBytes());
                }
                return null;
            });
        }
    }
}
