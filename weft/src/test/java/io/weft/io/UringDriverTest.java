package io.weft.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.weft.Context;
import io.weft.Driver;
import io.weft.Future;
import io.weft.JoinHandle;
import io.weft.LocalExecutor;
import io.weft.Poll;
import io.weft.TaskCancelledException;
import io.weft.Weft;
import io.weft.executor.ExecutorCore;
import io.weft.executor.Worker;
import io.weft.net.TcpListener;
import io.weft.net.TcpStream;
import io.weft.sync.Channel;
import io.weft.sync.ChannelClosedException;
import io.weft.sync.Sender;
import io.weft.sys.Linux;
import io.weft.time.TimedOutException;
import io.weft.time.Timeout;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * Rules of the io_uring driver that the socket suite (TcpTest, run on every
 * driver) does not reach: wakes from other threads, cancelled ops and their
 * late results, closing with ops in the kernel, a loop that moves between
 * threads, a ring too small for what is in flight. A lost wake or a leaked
 * completion hangs; the class timeout turns that into a failure.
 */
@org.junit.jupiter.api.Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = ThreadMode.SEPARATE_THREAD)
class UringDriverTest {

    @BeforeAll
    static void uringAvailable() {
        String why = Drivers.whyNot(Driver.URING);
        assumeTrue(why == null, () -> "io_uring unavailable here: " + why);
    }

    static InetSocketAddress loopback() {
        return new InetSocketAddress("127.0.0.1", 0);
    }

    static LocalExecutor uringExecutor() {
        return LocalExecutor.builder().driver(Driver.URING).build();
    }

    /** The io_uring driver of the executor running this task (opened if needed). */
    static UringDriver driver() {
        assertThat(Weft.current().driver()).isEqualTo(Driver.URING);
        return (UringDriver) ((ExecutorCore) Worker.currentOrNull()).driverIfOpen();
    }

    // =====================================================================
    // Wakes from other threads
    // =====================================================================

    @Test
    void aWakeupFromAnotherThreadEndsAPark() throws Exception {
        int rounds = 5_000;
        UringDriver d = UringDriver.open();
        try {
            Semaphore go = new Semaphore(0);
            Thread waker = new Thread(() -> {
                for (int i = 0; i < rounds; i++) {
                    go.acquireUninterruptibly();
                    d.wakeup(); // before, during or after the park below: each order must end it
                }
            }, "waker");
            waker.start();
            for (int i = 0; i < rounds; i++) {
                go.release();
                while (d.wakeupsReceived() < i + 1) {
                    d.park(-1); // no timeout: only the wake can end it (a park may return early, hence the loop)
                }
            }
            waker.join();
            assertThat(d.wakeupsReceived()).isEqualTo(rounds);
            d.park(1_000_000); // nothing left: a timed park ends by its timeout
            assertThat(d.wakeupsReceived()).isEqualTo(rounds);
            assertThat(d.pending()).isZero();
        } finally {
            d.close();
        }
    }

    @Test
    void aTaskAwaitingAPlainThreadIsWokenOutOfTheRing() {
        int rounds = 2_000;
        Channel<Integer> requests = Channel.bounded(1);
        Channel<Integer> replies = Channel.bounded(1);
        Thread peer = new Thread(() -> {
            try (Sender<Integer> tx = replies.sender()) {
                for (;;) {
                    int v = requests.receiver().recv().await(); // blocks this plain thread
                    tx.send(v + 1).await();
                }
            } catch (ChannelClosedException end) {
                // the task closed its sender
            }
        }, "peer");
        peer.start();
        try (LocalExecutor ex = uringExecutor()) {
            long sum = ex.run(() -> {
                driver(); // from now on the loop parks in the ring
                long s = 0;
                try (Sender<Integer> tx = requests.sender()) {
                    for (int i = 0; i < rounds; i++) {
                        tx.send(i).await();
                        s += replies.receiver().recv().await(); // the loop parks; the peer's send wakes it
                    }
                }
                return s;
            });
            assertThat(sum).isEqualTo((long) rounds * (rounds + 1) / 2);
            assertThat(ex.stats().parks()).as("parks in the ring").isPositive();
        }
    }

    // =====================================================================
    // Closing with operations in the kernel
    // =====================================================================

    @Test
    void anExecutorClosedWithReadsInFlightReapsThemAndLeaksNoDescriptor() throws Exception {
        closeWithReadsInFlight(); // first run: classes loaded, JVM threads started
        Map<String, Integer> before = descriptors();
        UringDriver d = closeWithReadsInFlight();
        assertThat(d.pending()).as("ops in flight after close").isZero();
        assertThat(d.buffersLent()).as("pool buffers still lent").isZero();
        assertThat(d.stats().cancels()).as("async cancels").isGreaterThanOrEqualTo(41);
        assertThat(descriptors()).isEqualTo(before);
    }

    /** 20 connections with a read in the kernel on each end and an accept; run returns and close must end them. */
    private static UringDriver closeWithReadsInFlight() {
        UringDriver[] d = new UringDriver[1];
        LocalExecutor ex = uringExecutor();
        try {
            ex.run(() -> {
                d[0] = driver();
                TcpListener l = TcpListener.bind(loopback()); // left open: the driver closes it
                for (int i = 0; i < 20; i++) {
                    TcpStream c = TcpStream.connect(l.localAddress()).await();
                    TcpStream s = l.accept().await();
                    Weft.spawn(() -> c.read(ByteBuffer.allocate(64)).await()); // c is never closed by a task
                    Weft.spawn(() -> {
                        try (s) {
                            return s.read(ByteBuffer.allocateDirect(64)).await();
                        }
                    });
                }
                Weft.spawn(() -> l.accept().await());
                while (d[0].pending() < 41 || d[0].unsubmitted() > 0) {
                    Weft.yieldNow().await(); // until every op has been submitted to the kernel
                }
                return null;
            });
            assertThat(d[0].pending()).isEqualTo(41);
        } finally {
            ex.close();
        }
        return d[0];
    }

    /** Open sockets, io_uring instances, eventfds and other anonymous inodes of this process, by kind. */
    static Map<String, Integer> descriptors() throws IOException {
        Map<String, Integer> kinds = new TreeMap<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException gone) {
                    continue; // the directory stream's own descriptor
                }
                String kind = target.startsWith("socket:") ? "socket" : target.startsWith("anon_inode:") ? target : null;
                if (kind != null) {
                    kinds.merge(kind, 1, Integer::sum);
                }
            }
        }
        return kinds;
    }

    // =====================================================================
    // Cancelled reads keep their bytes
    // =====================================================================

    static byte pattern(long pos) {
        return (byte) ((pos * 0x9E3779B97F4A7C15L) >>> 56);
    }

    /** Checks the {@code n} bytes read into {@code buf} against the stream at {@code pos}; the next position. */
    static long check(ByteBuffer buf, int n, long pos) {
        for (int i = 0; i < n; i++) {
            if (buf.get(i) != pattern(pos + i)) {
                throw new AssertionError("byte " + (pos + i) + " of the stream is " + buf.get(i) + ", expected "
                        + pattern(pos + i));
            }
        }
        return pos + n;
    }

    @Test
    void aCancelledReadsBytesAreReturnedByTheNextRead() throws Exception {
        int aborted = 10_000;
        int timedOut = 1_000;
        long total = 32L << 20;
        AtomicReference<Throwable> writerFailed = new AtomicReference<>();
        long[] got;
        try (LocalExecutor ex = uringExecutor()) {
            got = ex.run(() -> {
                UringDriver d = driver();
                try (TcpListener l = TcpListener.bind(loopback())) {
                    InetSocketAddress addr = l.localAddress();
                    Thread writer = new Thread(() -> {
                        try (Socket s = new Socket(addr.getAddress(), addr.getPort())) {
                            OutputStream out = s.getOutputStream();
                            Random r = new Random(1);
                            byte[] chunk = new byte[3000];
                            for (long p = 0; p < total; ) {
                                int n = (int) Math.min(1 + r.nextInt(chunk.length), total - p);
                                for (int i = 0; i < n; i++) {
                                    chunk[i] = pattern(p + i);
                                }
                                out.write(chunk, 0, n);
                                p += n;
                            }
                        } catch (IOException | RuntimeException e) {
                            writerFailed.set(e);
                        }
                    }, "writer");
                    writer.start();
                    try (TcpStream s = l.accept().await()) {
                        Random r = new Random(2);
                        long pos = 0;
                        long completedReads = 0;
                        // 1. reads whose task is aborted after 0 to 150 other task turns: before it ran, with its
                        //    entry written, in the kernel, or completed and not yet looked at
                        for (int k = 0; k < aborted; k++) {
                            int len = 1 + r.nextInt(512);
                            ByteBuffer buf = k % 2 == 0 ? ByteBuffer.allocate(len) : ByteBuffer.allocateDirect(len);
                            JoinHandle<Integer> h = Weft.spawn(() -> s.read(buf).await());
                            for (int y = r.nextInt(150); y > 0; y--) {
                                Weft.yieldNow().await();
                            }
                            h.abort();
                            int n;
                            try {
                                n = h.await();
                            } catch (TaskCancelledException cancelled) {
                                continue;
                            }
                            assertThat(n).isPositive();
                            pos = check(buf, n, pos);
                            completedReads++;
                        }
                        // 2. reads under a Timeout of 0 to 2 ms
                        for (int k = 0; k < timedOut; k++) {
                            ByteBuffer buf = ByteBuffer.allocate(1 + r.nextInt(512));
                            try {
                                int n = Timeout.of(Duration.ofNanos(r.nextInt(2_000_000)), s.read(buf)).await();
                                pos = check(buf, n, pos);
                                completedReads++;
                            } catch (TimedOutException late) {
                                // cancelled: what it got is kept for the next read
                            }
                        }
                        // 3. the rest of the stream
                        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
                        int n;
                        while ((n = s.read(buf.clear()).await()) > 0) {
                            pos = check(buf, n, pos);
                        }
                        writer.join();
                        return new long[] {pos, completedReads, d.stats().cancels(), d.stats().lateResults(), d.pending()};
                    }
                }
            });
        }
        assertThat(writerFailed.get()).isNull();
        assertThat(got[0]).as("bytes read, in order").isEqualTo(total);
        assertThat(got[2]).as("reads cancelled in the kernel").isPositive();
        assertThat(got[4]).as("ops in flight at the end").isZero();
        System.out.printf("cancelled-read run: %d reads completed, %d cancelled in the kernel, %d of those finished"
                + " by the kernel first (bytes kept)%n", got[1], got[2], got[3]);
    }

    // =====================================================================
    // One executor, run from several threads in turn
    // =====================================================================

    @Test
    void runFromOneThreadThenAnotherKeepsItsIo() throws Exception {
        Map<String, Integer> before = descriptors();
        LocalExecutor ex = uringExecutor();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        AtomicReference<InetSocketAddress> addr = new AtomicReference<>();
        CountDownLatch firstRunDone = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        UringDriver[] d = new UringDriver[1];
        // A: starts an echo server that outlives its run (its accept stays in the kernel), then sleeps
        Thread a = thread("A", failed, () -> {
            addr.set(ex.run(() -> {
                d[0] = driver();
                TcpListener l = TcpListener.bind(loopback());
                Weft.spawn(() -> echoServer(l));
                roundTrip(l.localAddress(), 0);
                return l.localAddress();
            }));
            firstRunDone.countDown();
            releaseFirst.await(); // asleep while B runs: the kernel wakes it to finish what it submitted
        });
        a.start();
        firstRunDone.await();
        // B: I/O served by A's accept, and a wake from a plain thread
        AtomicReference<Path> taskOfB = new AtomicReference<>();
        Thread b = thread("B", failed, () -> ex.run(() -> {
            taskOfB.set(Path.of("/proc/self/task", Files.readSymbolicLink(Path.of("/proc/thread-self"))
                    .getFileName().toString()));
            for (int i = 1; i <= 10; i++) {
                roundTrip(addr.get(), i);
            }
            Channel<Integer> ch = Channel.bounded(1);
            Thread p = new Thread(() -> {
                try (Sender<Integer> tx = ch.sender()) {
                    tx.send(42).await();
                }
            });
            p.start();
            assertThat(ch.receiver().recv().await()).isEqualTo(42); // the loop parks on B; the send must wake it
            return null;
        }));
        b.start();
        b.join();
        while (Files.exists(taskOfB.get())) {
            Thread.onSpinWait(); // until the kernel is done with B: the ops B submitted are now dropped
        }
        releaseFirst.countDown();
        a.join();
        // C: after the thread that made the ring is gone, and B, which submitted the server's accept
        Thread c = thread("C", failed, () -> ex.run(() -> {
            for (int i = 11; i <= 20; i++) {
                roundTrip(addr.get(), i);
            }
            return null;
        }));
        c.start();
        c.join();
        assertThat(failed.get()).isNull();
        assertThat(d[0].stats().restarts()).as("ops the kernel dropped when B exited, submitted again").isPositive();
        ex.close(); // on a fourth thread: the server's accept, submitted by C, is cancelled and reaped
        assertThat(d[0].pending()).isZero();
        assertThat(descriptors()).isEqualTo(before);
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    static Thread thread(String name, AtomicReference<Throwable> failed, ThrowingRunnable body) {
        return new Thread(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                failed.compareAndSet(null, t);
            }
        }, name);
    }

    static Void echoServer(TcpListener l) {
        try (l) {
            for (;;) {
                TcpStream s = l.accept().await();
                Weft.spawn(() -> {
                    try (s) {
                        ByteBuffer buf = ByteBuffer.allocate(256);
                        while (s.read(buf.clear()).await() > 0) {
                            s.writeAll(buf.flip()).await();
                        }
                    }
                    return null;
                });
            }
        }
    }

    static void roundTrip(InetSocketAddress addr, int i) {
        try (TcpStream s = TcpStream.connect(addr).await()) {
            byte[] m = ("message " + i).getBytes();
            s.writeAll(ByteBuffer.wrap(m)).await();
            ByteBuffer in = ByteBuffer.allocate(m.length);
            s.readExact(in).await();
            assertThat(in.array()).isEqualTo(m);
        }
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
            Thread x = thread("X", failed, () -> {
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
