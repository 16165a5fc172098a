package io.weft.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.weft.Driver;
import io.weft.JoinHandle;
import io.weft.LocalExecutor;
import io.weft.TaskCancelledException;
import io.weft.Weft;
import io.weft.executor.ExecutorCore;
import io.weft.executor.Worker;
import io.weft.net.TcpListener;
import io.weft.net.TcpStream;
import io.weft.sync.Channel;
import io.weft.sync.ChannelClosedException;
import io.weft.sync.Sender;
import io.weft.time.TimedOutException;
import io.weft.time.Timeout;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * Rules of the io_uring driver that the socket suite (TcpTest, run on every
 * driver) does not reach: wakes from other threads, cancelled ops and their
 * late results, closing with ops in the kernel, a loop that moves between
 * threads ({@link UringDriverByHandTest}: the driver without an executor).
 * A lost wake or a leaked completion hangs; the class timeout turns that
 * into a failure.
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
}
