package io.weft.net;

import static io.weft.net.StealingIoTest.on;
import static io.weft.net.StreamMoveTest.ascii;
import static io.weft.net.StreamMoveTest.readAll;
import static io.weft.net.StreamMoveTest.text;
import static io.weft.net.TcpTest.loopback;
import static org.assertj.core.api.Assertions.assertThat;

import io.weft.Driver;
import io.weft.JoinHandle;
import io.weft.OnceThenCancel;
import io.weft.OtherWorker;
import io.weft.StealingExecutor;
import io.weft.StealingExecutorStats;
import io.weft.Weft;
import io.weft.time.Timeout;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A stream of a StealingExecutor used at once by tasks on two workers (a
 * read pending on one, a write from the other: a proxy's two directions)
 * stays on its worker, and the other worker's operations are forwarded there
 * ({@link StreamMove}'s shared mode, {@link RemoteStream}), once per driver
 * this kernel allows: every byte arrives, in order, both ways; a forwarded
 * read given up after it read hands its bytes back; once nothing is pending
 * at home any more, the stream follows its user again.
 */
@org.junit.jupiter.api.Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = ThreadMode.SEPARATE_THREAD)
class SharedStreamTest {

    /** What a test does with a connection: both ends, on a StealingExecutor's worker. */
    interface ConnectionBody<T> {
        T run(TcpStream client, TcpStream served) throws Exception;
    }

    /**
     * {@code body} in the root task of a StealingExecutor of two workers on
     * {@code d}, with a connection whose two ends that task made (and closes
     * after).
     */
    static <T> T onAConnection(Driver d, ConnectionBody<T> body) {
        try (StealingExecutor ex = on(d)) {
            return ex.blockOn(() -> {
                try (TcpListener l = TcpListener.bind(loopback());
                        TcpStream client = TcpStream.connect(l.localAddress()).await();
                        TcpStream served = l.accept().await()) {
                    return body.run(client, served);
                }
            });
        }
    }

    /**
     * A read pending on the other worker (the stream moved there): a write
     * from home goes out from home's thread (no hop); reads from home are
     * forwarded there; once the read there completed, the forwarded reads
     * find the stream idle, and after a few of them the next operation
     * moves it back.
     */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void aWriteFromHomeDuringAReadOnTheOtherWorkerGoesOutThenTheStreamComesBack(Driver d) {
        onAConnection(d, (client, served) -> {
            JoinHandle<Integer> reader = OtherWorker.spawn(() -> served.read(ByteBuffer.allocate(8)).await());
            OtherWorker.yieldUntil(() -> served.mover.moves() > 0, "the move"); // its detach runs here
            served.writeAll(ascii("x")).await();
            assertThat(served.mover.shared()).as("shared while the read is pending there").isTrue();
            assertThat(served.mover.directWrites()).as("sent from here").isEqualTo(1);
            assertThat(served.mover.forwards()).as("forwarded").isZero();
            client.writeAll(ascii("r")).await();
            assertThat(reader.await()).as("the reader's byte").isEqualTo(1);
            client.writeAll(ascii("0123")).await();
            ByteBuffer one = ByteBuffer.allocate(1);
            StringBuilder got = new StringBuilder();
            for (int i = 0; i < StreamMove.IDLE_TO_MOVE; i++) {
                int n = served.read(one.clear()).await();
                got.append(text(one, n));
            }
            assertThat(got.toString()).isEqualTo("0123");
            assertThat(served.mover.forwards()).as("forwarded reads").isEqualTo(StreamMove.IDLE_TO_MOVE);
            assertThat(served.mover.shared()).as("shared after idle forwards").isFalse();
            assertThat(served.mover.moves()).as("moves so far").isEqualTo(1);
            served.writeAll(ascii("back")).await();
            assertThat(served.mover.moves()).as("moved back by the write").isEqualTo(2);
            served.close();
            assertThat(readAll(client)).isEqualTo("xback");
            return null;
        });
    }

    /**
     * A large write from home while a read is pending on the other worker:
     * what fits goes out from here, and once the socket is full the rest is
     * forwarded and waits there; every byte arrives, in order.
     */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void aLargeWriteFromAfarGoesOutDirectlyThenWaitsThere(Driver d) {
        byte[] data = new byte[8 << 20];
        new Random(5).nextBytes(data);
        onAConnection(d, (client, served) -> {
            JoinHandle<Integer> reader = OtherWorker.spawn(() -> served.read(ByteBuffer.allocate(8)).await());
            OtherWorker.yieldUntil(() -> served.mover.moves() > 0, "the move"); // its detach runs here
            JoinHandle<byte[]> received = Weft.spawn(() -> {
                ByteBuffer all = ByteBuffer.allocate(data.length);
                client.readExact(all).await();
                return all.array();
            });
            served.writeAll(ByteBuffer.wrap(data)).await();
            assertThat(Arrays.equals(received.await(), data)).as("every byte, in order").isTrue();
            assertThat(served.mover.directWrites()).as("sent from here").isPositive();
            assertThat(served.mover.forwards()).as("forwarded once the socket was full").isPositive();
            client.writeAll(ascii("r")).await();
            assertThat(reader.await()).isEqualTo(1);
            return null;
        });
    }

    /**
     * A forwarded read given up just as it read (the wake of its completion
     * cancels it): the bytes go back to the stream, and the next read gets
     * them, in order before what came after.
     */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void aForwardedReadGivenUpAfterItReadHandsItsBytesBack(Driver d) {
        assertThat(readAfterAGivenUpRead(d, false)).isEqualTo("first+then");
    }

    /** The same, and the stream then moves (nothing is pending on it any more): the bytes move with it. */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void bytesHandedBackMoveWithTheStream(Driver d) {
        assertThat(readAfterAGivenUpRead(d, true)).isEqualTo("first+then");
    }

    /**
     * The stream on the other worker, a readable pending there; a read from
     * here, forwarded, given up once it read "first"; then (if
     * {@code moveAfter}) the readable ends and idle forwarded readables let the
     * stream move here; then everything read here, "first" included.
     */
    static String readAfterAGivenUpRead(Driver d, boolean moveAfter) {
        return onAConnection(d, (client, served) -> {
            JoinHandle<Void> waiting = sharedWithTheOtherWorker(served);
            ByteBuffer buf = ByteBuffer.allocate(16);
            new OnceThenCancel(served.read(buf), () -> Weft.spawn(() -> client.writeAll(ascii("first")).await()))
                    .await();
            assertThat(buf.position()).as("the given-up read left the buffer alone").isZero();
            final String sent = "hi";
            if (moveAfter) {
                waiting.await(); // its readable saw "first": nothing is pending there now
                for (int i = 0; i < StreamMove.IDLE_TO_MOVE; i++) {
                    served.readable().await(); // forwarded, and ready at once: the bytes handed back are there
                }
                assertThat(served.mover.shared()).as("shared after idle forwards").isFalse();
            }
            String all = firstThen(client, served, buf);
            waiting.await();
            assertThat(served.mover.moves()).as("moves").isEqualTo(moveAfter ? 2 : 1);
            ByteBuffer back = ByteBuffer.allocate(sent.length());
            client.readExact(back).await();
            assertThat(text(back, sent.length())).isEqualTo(sent);
            return all;
        });
    }

    /**
     * A task on the other worker takes {@code served} there and keeps a
     * readable pending on it; then "hi" is written from here, so the stream
     * is shared. The handle of that task, which ends once the stream has
     * something to read.
     */
    static JoinHandle<Void> sharedWithTheOtherWorker(TcpStream served) throws Exception {
        AtomicBoolean there = new AtomicBoolean();
        JoinHandle<Void> waiting = OtherWorker.spawn(() -> {
            served.write(ByteBuffer.allocate(0)).await(); // takes the stream there
            assertThat(served.tryRead(ByteBuffer.allocate(1))).as("nothing yet").isZero(); // clears a stale bit
            there.set(true); // a move of the stream waits for this task: it runs on this worker
            return served.readable().await();
        });
        OtherWorker.yieldUntil(there::get, "the stream there"); // its detach runs here
        served.writeAll(ascii("hi")).await(); // sent from here: the stream is busy there, so it is shared
        assertThat(served.mover.shared()).as("shared").isTrue();
        return waiting;
    }

    /** Writes "+then" from the client, then reads on {@code served} until "first+then" came; what it read. */
    static String firstThen(TcpStream client, TcpStream served, ByteBuffer buf) throws Exception {
        client.writeAll(ascii("+then")).await();
        StringBuilder all = new StringBuilder();
        while (all.length() < "first+then".length()) {
            int n = Timeout.of(Duration.ofSeconds(10), served.read(buf.clear())).await();
            all.append(text(buf, n));
        }
        return all.toString();
    }

    /**
     * A forwarded read that completed (its bytes copied into the caller's
     * buffer) and was taken by a join that was then given up gives them
     * back: the buffer's position moves back over them, and the next read
     * returns them first. They were lost (the buffer kept them, the stream
     * did not).
     */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void aForwardedReadTakenByAJoinThatWasGivenUpGivesItsBytesBack(Driver d) {
        String read = SharedStreamTest.<String>onAConnection(d, (client, served) -> {
            JoinHandle<Void> waiting = sharedWithTheOtherWorker(served);
            client.writeAll(ascii("first")).await();
            ByteBuffer buf = ByteBuffer.allocate(16);
            buf.put((byte) '>');
            io.weft.Future<Integer> never = cx -> io.weft.Poll.pending();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Timeout.of(Duration.ofMillis(300),
                    io.weft.Futures.join(served.read(buf), never)).await())
                    .isInstanceOf(io.weft.time.TimedOutException.class);
            assertThat(buf.position()).as("the buffer is where it was").isEqualTo(1);
            String all = firstThen(client, served, buf);
            waiting.await();
            client.readExact(ByteBuffer.allocate(2)).await(); // the "hi"
            return all;
        });
        assertThat(read).isEqualTo("first+then");
    }

    /**
     * Bytes given back while a move is in flight wait for the stream (the
     * stash); here the move then finds a readable pending at the stream's
     * worker and leaves the stream there (shared): the bytes go to it there,
     * and the next read, forwarded, gets them before what came after.
     */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void bytesGivenBackDuringAMoveThatLeavesTheStreamWhereItIsGoToItThere(Driver d) {
        assertThat(readAfterBytesGivenBackDuringAMove(d, true)).isEqualTo("first+then");
    }

    /** The same, with nothing pending at the stream's worker: the move lands here, and the bytes with it. */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void bytesGivenBackDuringAMoveLandWithTheStream(Driver d) {
        assertThat(readAfterBytesGivenBackDuringAMove(d, false)).isEqualTo("first+then");
    }

    /**
     * The stream taken to the other worker (a readable left pending there if
     * {@code busyThere}), that worker then held; a read from here starts a
     * move, which waits behind the hold; "first" given back meanwhile; the
     * hold let go; then everything read here.
     */
    static String readAfterBytesGivenBackDuringAMove(Driver d, boolean busyThere) {
        return onAConnection(d, (client, served) -> {
            AtomicBoolean held = new AtomicBoolean();
            AtomicBoolean release = new AtomicBoolean();
            JoinHandle<Void> there = OtherWorker.spawn(() -> {
                served.write(ByteBuffer.allocate(0)).await(); // takes the stream there
                assertThat(served.tryRead(ByteBuffer.allocate(1))).as("nothing yet").isZero(); // clears a stale bit
                Weft.spawn(() -> { // next on this worker (the LIFO slot), once this task suspends or ends
                    held.set(true);
                    OtherWorker.holdUntil(release::get, "the bytes given back"); // the move's detach waits behind it
                    return null;
                });
                return busyThere ? served.readable().await() : null;
            });
            OtherWorker.yieldUntil(held::get, "the other worker held");
            ByteBuffer buf = ByteBuffer.allocate(16);
            JoinHandle<Integer> first = Weft.spawn(() -> served.read(buf).await()); // starts a move, and waits for it
            OtherWorker.yieldUntil(served.mover::moving, "the move");
            served.mover.giveBack("first".getBytes(java.nio.charset.StandardCharsets.US_ASCII)); // stashed
            release.set(true);
            int n = Timeout.of(Duration.ofSeconds(10), first).await();
            assertThat(served.mover.shared()).as("shared: the stream stayed").isEqualTo(busyThere);
            assertThat(served.mover.moves()).as("moves").isEqualTo(busyThere ? 1 : 2);
            StringBuilder all = new StringBuilder(text(buf, n));
            client.writeAll(ascii("+then")).await();
            while (all.length() < "first+then".length()) {
                int m = Timeout.of(Duration.ofSeconds(10), served.read(buf.clear())).await();
                all.append(text(buf, m));
            }
            there.await();
            return all.toString();
        });
    }

    /**
     * io_uring: a move's detach waits for a read cancelled at the stream's
     * worker to leave the kernel, and meanwhile a task there starts another
     * read: the move leaves the stream there (shared), and both reads, that
     * one and the one from here that asked for the move, get their bytes.
     * The detach used to look for operations under way only at its first
     * poll; then it took the stream from under the new read, which failed as
     * closed on an open stream.
     */
    @org.junit.jupiter.api.Test
    void aReadStartedAtHomeWhileTheDetachWaitsForACancelledReadKeepsTheStreamThere() {
        String got = onAConnection(Driver.URING, (client, served) -> {
            AtomicBoolean cancelledThere = new AtomicBoolean();
            JoinHandle<String> there = OtherWorker.spawn(() -> {
                served.write(ByteBuffer.allocate(0)).await(); // takes the stream there
                try {
                    Timeout.of(Duration.ofMillis(1), served.read(ByteBuffer.allocate(8))).await();
                    throw new AssertionError("read something nobody sent");
                } catch (io.weft.time.TimedOutException expected) {
                    // cancelled in the kernel; its completion is reaped when this worker next looks at its ring
                }
                cancelledThere.set(true);
                OtherWorker.holdUntil(served.mover::moving, "the move"); // reaps nothing meanwhile
                Weft.yieldNow().await(); // the detach's first poll runs now: it waits for the cancelled read
                ByteBuffer b = ByteBuffer.allocate(8);
                int n = Timeout.of(Duration.ofSeconds(10), served.read(b)).await(); // started while the detach waits
                return text(b, n);
            });
            OtherWorker.yieldUntil(cancelledThere::get, "the read cancelled there");
            ByteBuffer mine = ByteBuffer.allocate(8);
            JoinHandle<Integer> here = Weft.spawn(() -> Timeout.of(Duration.ofSeconds(10), served.read(mine)).await());
            // (if this worker's loop reaped the cancelled read before the detach's first poll, which it does
            // once in 61 turns, the detach waits for nothing and the stream moves here: both reads work too)
            OtherWorker.yieldUntil(() -> served.mover.moving() || served.mover.shared() || served.mover.moves() > 1,
                    "the move's start");
            OtherWorker.yieldUntil(() -> !served.mover.moving(), "the move's end");
            client.writeAll(ascii("a")).await();
            OtherWorker.yieldUntil(() -> there.isFinished() || here.isFinished(), "a read");
            client.writeAll(ascii("b")).await();
            String fromThere = there.await();
            String fromHere = text(mine, here.await());
            return fromThere.compareTo(fromHere) < 0 ? fromThere + fromHere : fromHere + fromThere;
        });
        assertThat(got).as("each read one byte").isEqualTo("ab");
    }

    /**
     * Between a move's detach (on the stream's worker) and its landing (on
     * the worker of the operation that asked for it, held busy here), an
     * operation on the old worker waits for the move and takes the stream
     * back, instead of failing on the detached handle as closed; a
     * half-close meanwhile is applied as the stream lands; the stream reads
     * as open throughout.
     */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void anOperationBetweenADetachAndItsLandingWaitsForTheStream(Driver d) {
        onAConnection(d, (client, served) -> {
            JoinHandle<Integer> reader = OtherWorker.spawn(() -> served.read(ByteBuffer.allocate(8)).await());
            AtomicBoolean release = new AtomicBoolean();
            // starts once the reader has suspended, waiting for its move; holds that worker
            JoinHandle<Void> holder = OtherWorker.spawn(() -> {
                OtherWorker.holdUntil(release::get, "the release");
                return null;
            });
            OtherWorker.yieldUntil(() -> !served.handle.isOpen(), "the detach"); // it runs here
            assertThat(served.mover.moving()).as("detached, not landed").isTrue();
            assertThat(served.isOpen()).as("open while it moves").isTrue();
            assertThat(served.remoteAddress()).as("the peer while it moves").isEqualTo(client.localAddress());
            assertThat(served.localAddress()).as("its own address while it moves").isEqualTo(client.remoteAddress());
            served.writeAll(ascii("x")).await();
            served.shutdownOutput();
            release.set(true);
            holder.await();
            client.writeAll(ascii("y")).await();
            assertThat(reader.await()).as("the reader's byte").isEqualTo(1);
            assertThat(readAll(client)).as("the write, then the end").isEqualTo("x");
            return null;
        });
    }

    /**
     * A proxy with a task per direction, the two on different workers, as
     * {@code TcpProxy} does (each task reads one stream while the other task
     * writes to it): 4 MiB of random bytes through it to an echo server and
     * back, each byte checked. Client and echo server are plain threads.
     */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void aProxyWithATaskPerDirectionOnEachWorkerCarriesEveryByte(Driver d) throws Exception {
        byte[] data = new byte[4 << 20];
        new Random(11).nextBytes(data);
        try (ServerSocket upstream = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                StealingExecutor ex = on(d)) {
            CompletableFuture<Void> echo = CompletableFuture.runAsync(() -> echoOnce(upstream));
            CompletableFuture<InetSocketAddress> proxyAt = new CompletableFuture<>();
            CompletableFuture<byte[]> back = new CompletableFuture<>();
            Thread client = Thread.ofPlatform().start(() -> {
                try (Socket s = new Socket()) {
                    s.connect(proxyAt.get());
                    Thread writer = Thread.ofPlatform().start(() -> {
                        try {
                            OutputStream out = s.getOutputStream();
                            for (int i = 0; i < data.length; i += 8192) {
                                out.write(data, i, Math.min(8192, data.length - i));
                            }
                            s.shutdownOutput();
                        } catch (IOException e) {
                            back.completeExceptionally(e);
                        }
                    });
                    back.complete(s.getInputStream().readAllBytes());
                    writer.join();
                } catch (Exception e) {
                    back.completeExceptionally(e);
                }
            });
            long[] forwards = ex.blockOn(() -> {
                try (TcpListener l = TcpListener.bind(loopback())) {
                    proxyAt.complete(l.localAddress());
                    TcpStream in = l.accept().await();
                    TcpStream out = TcpStream.connect(upstream.getLocalSocketAddress()).await();
                    try (in; out) {
                        JoinHandle<Long> up = OtherWorker.spawn(() -> {
                            try {
                                return pipe(in, out);
                            } catch (RuntimeException | IOException e) {
                                in.close(); // ends the other direction too, so that the test fails now
                                out.close();
                                throw e;
                            }
                        });
                        long down = pipe(out, in);
                        assertThat(up.await()).as("bytes up").isEqualTo(data.length);
                        assertThat(down).as("bytes down").isEqualTo(data.length);
                    }
                    return new long[] {in.mover.forwards(), out.mover.forwards(), in.mover.moves() + out.mover.moves(),
                        in.mover.directWrites() + out.mover.directWrites()};
                }
            });
            client.join();
            echo.get(30, TimeUnit.SECONDS);
            byte[] got = back.get(30, TimeUnit.SECONDS);
            assertThat(got.length).as("bytes back").isEqualTo(data.length);
            assertThat(Arrays.equals(got, data)).as("every byte back, in order").isTrue();
            assertThat(forwards[0] + forwards[1] + forwards[3]).as("operations forwarded or sent from afar").isPositive();
            StealingExecutorStats stats = ex.stats();
            assertThat(stats.workers().stream().mapToLong(StealingExecutorStats.Worker::forwardedOps).sum())
                    .as("forwarded operations in the executor's stats").isEqualTo(forwards[0] + forwards[1]);
            assertThat(stats.workers().stream().mapToLong(StealingExecutorStats.Worker::streamMoves).sum())
                    .as("stream moves in the executor's stats").isEqualTo(forwards[2]);
        }
    }

    /** Copies {@code from} to {@code to} until its end, then half-closes {@code to}; the bytes copied. */
    static long pipe(TcpStream from, TcpStream to) throws IOException {
        ByteBuffer buf = ByteBuffer.allocateDirect(16 * 1024);
        long n = 0;
        for (int r; (r = from.read(buf.clear()).await()) > 0; ) {
            to.writeAll(buf.flip()).await();
            n += r;
        }
        to.shutdownOutput();
        return n;
    }

    /** One connection of {@code server}: everything read is written back, then the output is shut. */
    static void echoOnce(ServerSocket server) {
        try (Socket s = server.accept()) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
            }
            s.shutdownOutput();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
