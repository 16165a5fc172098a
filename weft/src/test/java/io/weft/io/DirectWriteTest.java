package io.weft.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.weft.CancellableFuture;
import io.weft.Context;
import io.weft.Driver;
import io.weft.sys.Linux;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code FdStream.writeNow}: the non-blocking send a task of another worker
 * makes on a shared stream ({@code io.weft.net.StreamMove}). It must never
 * go while a write of the stream that was cancelled is still in io_uring's
 * kernel side: that write may yet send its bytes, which came first.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DirectWriteTest {

    @Test
    void aDirectWriteWaitsUntilACancelledWriteHasLeftTheKernel() throws Exception {
        String why = Drivers.whyNot(Driver.URING);
        assumeTrue(why == null, () -> "io_uring unavailable here: " + why);
        UringDriver d = UringDriver.open();
        int[] p = UringDriverByHandTest.socketpair();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment chunk = a.allocate(4096);
            MemorySegment one = a.allocate(1);
            FdStream s = d.adoptStream(p[0]);
            while (s.writeNow(chunk) > 0) {
                // fill the socket: the next write must wait in the kernel
            }
            Context cx = new Context(() -> { });
            CancellableFuture<Integer> w = s.write(ByteBuffer.allocate(4096));
            assertThat(w.poll(cx).isReady()).as("a full socket").isFalse();
            d.poll(); // submitted: the write waits in the kernel for room
            assertThat(d.pending()).isEqualTo(1);
            w.cancel(); // its completion is not reaped yet: it may still send
            assertThat(s.cancelledWrites).isEqualTo(1);
            drain(p[1], chunk); // room now
            assertThat(s.writeNow(one)).as("a direct write while the cancelled write may still be in the kernel").isZero();

            long deadline = System.nanoTime() + 10_000_000_000L;
            while (s.cancelledWrites != 0 && System.nanoTime() - deadline < 0) {
                d.park(100_000_000L); // reaps the cancelled write's completion
            }
            assertThat(s.cancelledWrites).as("the cancelled write's completion reaped").isZero();
            drain(p[1], chunk);
            assertThat(s.writeNow(one)).as("a direct write once it has left").isEqualTo(1);
        } finally {
            d.close();
            Linux.local().close(p[1]);
        }
    }

    /** Reads what {@code fd} holds, without waiting. */
    private static void drain(int fd, MemorySegment buf) {
        while (Linux.local().recvfrom(fd, buf, buf.byteSize(), Linux.MSG_DONTWAIT, MemorySegment.NULL, MemorySegment.NULL) > 0) {
            // keep reading
        }
    }
}
