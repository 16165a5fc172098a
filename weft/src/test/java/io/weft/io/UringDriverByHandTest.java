package io.weft.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.weft.Context;
import io.weft.Future;
import io.weft.Poll;
import io.weft.sys.Linux;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * The io_uring driver driven by hand, without an executor: a ring smaller
 * than what is in flight, an entry written but not submitted when its
 * socket closes, a read in the kernel ended by its socket's close, a
 * connect whose thread exited, the single-issuer flag. A lost completion
 * hangs; the class timeout turns that into a failure.
 */
@org.junit.jupiter.api.Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = ThreadMode.SEPARATE_THREAD)
class UringDriverByHandTest {

    @BeforeAll
    static void uringAvailable() {
        UringDriverTest.uringAvailable();
    }

    // =====================================================================
    // The driver by hand: a tiny ring, close with an entry not yet submitted
    // =====================================================================

    static int[] socketpair() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment fds = a.allocate(8, 4);
            int rc = Linux.local().socketpair(Linux.AF_UNIX, Linux.SOCK_STREAM | Linux.SOCK_CLOEXEC, 0, fds);
            assertThat(rc).as("socketpair").isZero();
            return new int[] {fds.get(ValueLayout.JAVA_INT, 0), fds.get(ValueLayout.JAVA_INT, 4)};
        }
    }

    static void writeByte(int fd, int value) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment b = a.allocate(1);
            b.set(ValueLayout.JAVA_BYTE, 0, (byte) value);
            assertThat(Linux.local().write(fd, b, 1)).isEqualTo(1);
        }
    }

    /** Parks until {@code wakes} reaches {@code n}; fails after 10 s instead of hanging (a lost completion). */
    static void parkUntil(UringDriver d, AtomicInteger wakes, int n) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (wakes.get() < n && System.nanoTime() - deadline < 0) {
            d.park(100_000_000L);
        }
        assertThat(wakes.get()).as("wakes of hand-driven ops").isEqualTo(n);
    }

    @Test
    void aRingSmallerThanWhatIsInFlightSubmitsWhenFullAndKeepsOverflowedCompletions() {
        int n = 64;
        UringDriver d;
        try {
            d = UringDriver.open(4); // 4 submission entries, 8 completion entries
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<int[]> pairs = new ArrayList<>();
        try {
            AtomicInteger wakes = new AtomicInteger();
            Context cx = new Context(wakes::incrementAndGet);
            List<Future<Integer>> reads = new ArrayList<>();
            List<ByteBuffer> bufs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int[] p = socketpair();
                pairs.add(p);
                FdStream s = d.adoptStream(p[0]);
                ByteBuffer buf = ByteBuffer.allocate(16);
                bufs.add(buf);
                Future<Integer> f = s.read(buf);
                assertThat(f.poll(cx).isReady()).isFalse();
                reads.add(f);
            }
            assertThat(d.unsubmitted()).as("the SQ holds 4").isLessThanOrEqualTo(4);
            assertThat(d.stats().enters()).as("full SQ submitted at once").isGreaterThanOrEqualTo((n - 4) / 4);
            for (int i = 0; i < n; i++) {
                writeByte(pairs.get(i)[1], i); // the CQ holds 8: the rest waits in the kernel's overflow list
            }
            parkUntil(d, wakes, n);
            for (int i = 0; i < n; i++) {
                Poll<Integer> p = reads.get(i).poll(cx);
                assertThat(p.isReady()).isTrue();
                assertThat(p.get()).isEqualTo(1);
                assertThat(bufs.get(i).get(0)).isEqualTo((byte) i);
            }
            assertThat(d.stats().completed()).isEqualTo(n);
            assertThat(d.pending()).isZero();
            assertThat(d.buffersLent()).isZero();
        } finally {
            d.close(); // closes the adopted ends
            for (int[] p : pairs) {
                Linux.local().close(p[1]);
            }
        }
    }

    @Test
    void aReadWrittenButNotSubmittedWhenItsSocketClosesNeverReadsTheNextSocketWithTheSameNumber() throws Exception {
        UringDriver d = UringDriver.open();
        int[] peers = new int[2];
        try {
            AtomicInteger wakes = new AtomicInteger();
            Context cx = new Context(wakes::incrementAndGet);
            int[] a = socketpair();
            peers[0] = a[1];
            FdStream sa = d.adoptStream(a[0]);
            Future<Integer> stale = sa.read(ByteBuffer.allocate(16));
            assertThat(stale.poll(cx).isReady()).isFalse();
            assertThat(d.unsubmitted()).as("the read's entry is written, not submitted").isPositive();
            sa.close(); // frees the number a[0]
            int[] b = socketpair(); // the kernel hands out the lowest free numbers
            int reused = b[0] == a[0] ? 0 : b[1] == a[0] ? 1 : -1;
            peers[1] = b[1 - Math.max(reused, 0)];
            assumeTrue(reused >= 0, "descriptor number " + a[0] + " was not reused: " + b[0] + ", " + b[1]);
            FdStream sb = d.adoptStream(b[reused]);
            writeByte(b[1 - reused], 'x');
            ByteBuffer got = ByteBuffer.allocate(16);
            Future<Integer> fresh = sb.read(got);
            assertThat(fresh.poll(cx).isReady()).isFalse();
            parkUntil(d, wakes, 2);
            assertThatThrownBy(() -> stale.poll(cx)).isInstanceOf(UncheckedIOException.class)
                    .hasCauseInstanceOf(AsynchronousCloseException.class);
            Poll<Integer> p = fresh.poll(cx);
            assertThat(p.isReady()).isTrue();
            assertThat(p.get()).isEqualTo(1);
            assertThat(got.get(0)).isEqualTo((byte) 'x');
        } finally {
            d.close();
            for (int fd : peers) {
                if (fd > 0) {
                    Linux.local().close(fd);
                }
            }
        }
    }

    @Test
    void closingASocketEndsItsReadInTheKernelWithAsynchronousClose() throws Exception {
        UringDriver d = UringDriver.open();
        int[] p = socketpair();
        try {
            AtomicInteger wakes = new AtomicInteger();
            Context cx = new Context(wakes::incrementAndGet);
            FdStream s = d.adoptStream(p[0]);
            Future<Integer> read = s.read(ByteBuffer.allocate(16));
            assertThat(read.poll(cx).isReady()).isFalse();
            d.poll(); // in the kernel now
            assertThat(d.unsubmitted()).isZero();
            assertThat(d.pending()).isEqualTo(1);
            s.close(); // a pending recv holds the file: without a cancel it would wait for ever
            parkUntil(d, wakes, 1);
            assertThatThrownBy(() -> read.poll(cx)).isInstanceOf(UncheckedIOException.class)
                    .hasCauseInstanceOf(AsynchronousCloseException.class);
            assertThat(d.pending()).isZero();
            assertThat(d.buffersLent()).isZero();
        } finally {
            d.close();
            Linux.local().close(p[1]);
        }
    }

    /** The kernel's task of the calling thread, under /proc/self/task: gone once the thread has fully exited. */
    static Path kernelTask() throws IOException {
        return Path.of("/proc/self/task", Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
    }

    @Test
    void aConnectDroppedWhenItsThreadExitedIsRestartedAsAWaitForTheConnection() throws Exception {
        UringDriver d = UringDriver.open();
        List<Socket> fillers = new ArrayList<>();
        try (java.net.ServerSocket server = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            InetSocketAddress addr = new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
            for (int i = 0; i < 2; i++) {
                fillers.add(new Socket(addr.getAddress(), addr.getPort())); // the accept queue (backlog 1) is full
            }
            AtomicInteger wakes = new AtomicInteger();
            Context cx = new Context(wakes::incrementAndGet);
            AtomicReference<Future<StreamHandle>> connect = new AtomicReference<>();
            AtomicReference<Path> taskOfX = new AtomicReference<>();
            AtomicReference<Throwable> failed = new AtomicReference<>();
            Thread x = UringDriverTest.thread("X", failed, () -> {
                d.bindTo(Thread.currentThread());
                taskOfX.set(kernelTask());
                Future<StreamHandle> f = d.connect(addr, io.weft.net.SocketOptions.DEFAULT);
                assertThat(f.poll(cx).isReady()).isFalse();
                d.poll(); // submitted by X: the SYN is dropped, the connect waits in the kernel
                assertThat(d.unsubmitted()).isZero();
                connect.set(f);
            });
            x.start();
            x.join();
            assertThat(failed.get()).isNull();
            while (Files.exists(taskOfX.get())) {
                Thread.onSpinWait(); // until the kernel is done with X
            }
            d.bindTo(Thread.currentThread());
            assertThat(d.pending()).isEqualTo(1);
            server.accept().close(); // room again: the SYN sent again (after about 1 s) is answered
            parkUntil(d, wakes, 1);
            assertThat(d.stats().restarts()).as("the connect X submitted, dropped when X exited, restarted").isEqualTo(1);
            Poll<StreamHandle> p = connect.get().poll(cx);
            assertThat(p.isReady()).isTrue();
            StreamHandle h = p.get();
            assertThat(h.remoteAddress()).isEqualTo(addr);
            h.close();
        } finally {
            for (Socket f : fillers) {
                f.close();
            }
            d.close();
        }
    }

    // =====================================================================
    // Why the ring is not SINGLE_ISSUER (pins the comment in UringDriver)
    // =====================================================================

    @Test
    void aSingleIssuerRingRefusesEveryThreadButItsOwnWhichIsWhyTheDriverDoesNotAskForIt() throws Exception {
        UringRing r;
        try {
            r = UringRing.open(8, UringRing.SETUP_SINGLE_ISSUER);
        } catch (IOException e) {
            assumeTrue(false, "kernel without IORING_SETUP_SINGLE_ISSUER: " + e.getMessage());
            return;
        }
        try {
            r.next().opcode(Sqe.OP_NOP).userData(1);
            assertThat(r.enter(0, 0, -1)).as("submitted by the thread that made the ring").isEqualTo(1);
            int[] rc = new int[1];
            Thread other = new Thread(() -> {
                r.next().opcode(Sqe.OP_NOP).userData(2);
                rc[0] = r.enter(0, 0, -1);
            });
            other.start();
            other.join();
            assertThat(rc[0]).isEqualTo(-Linux.EEXIST);
        } finally {
            r.close();
        }
        UringDriver d = UringDriver.open();
        try {
            assertThat(d.setupFlags() & UringRing.SETUP_SINGLE_ISSUER).isZero();
        } finally {
            d.close();
        }
    }
}
