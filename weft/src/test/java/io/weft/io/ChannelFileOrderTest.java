package io.weft.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.weft.CancellableFuture;
import io.weft.Context;
import io.weft.Driver;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A write cancelled while a pool thread is in its call (epoll and nio:
 * {@link ChannelFile}) still lands; a later write or fsync of the file must
 * wait for it, or the cancelled bytes overwrite the later ones. The
 * channel holds the first write in its call until the second write has
 * landed, or for {@link #HOLD_MS} if the second write waits (as it must):
 * without the wait, the cancelled write always lands last.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChannelFileOrderTest {
    /** How long the first write is held when no later call comes to let it go (the later call waits for it). */
    private static final long HOLD_MS = 250;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = Driver.class, names = {"EPOLL", "NIO"})
    void aWriteAfterACancelledRunningWriteLandsAfterIt(Driver kind) throws Exception {
        afterACancelledHeldWrite(kind, HOLD_MS, (f, ch) -> {
            assertThat(finish(f.writeAt(ascii("BBBB"), 0))).isEqualTo(4);
            assertThat(ch.firstExited.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(ch.events).as("the cancelled write ends before the next one begins")
                    .containsExactly("write AAAA", "wrote AAAA", "write BBBB", "wrote BBBB");
            assertThat(Files.readString(dir.resolve("f"))).as("the later write's bytes are the file's")
                    .isEqualTo("BBBB");
        });
    }

    @ParameterizedTest
    @EnumSource(value = Driver.class, names = {"EPOLL", "NIO"})
    void anFsyncAfterACancelledRunningWriteWaitsForIt(Driver kind) throws Exception {
        afterACancelledHeldWrite(kind, HOLD_MS, (f, ch) -> {
            finish(f.fsync());
            assertThat(ch.events).as("the fsync covers the cancelled write").containsExactly("write AAAA",
                    "wrote AAAA", "force");
        });
    }

    /**
     * A later write waiting (on a pool thread) for a cancelled write, then
     * cancelled itself, frees its pool thread at once and writes nothing. Its
     * thread stayed blocked until the first write ended: a retry loop behind
     * one slow write held a pool thread per retry.
     */
    @ParameterizedTest
    @EnumSource(value = Driver.class, names = {"EPOLL", "NIO"})
    void aWaitingWriteCancelledFreesItsPoolThreadAtOnce(Driver kind) throws Exception {
        afterACancelledHeldWrite(kind, TimeUnit.SECONDS.toMillis(30), (f, ch) -> { // held until released below
            CancellableFuture<Integer> second = f.writeAt(ascii("BBBB"), 0);
            assertThat(second.poll(new Context(() -> { })).isReady()).as("waits for the first").isFalse();
            assertThat(f.jobsRunning()).isEqualTo(2);
            second.cancel();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (f.jobsRunning() > 1 && System.nanoTime() - deadline < 0) {
                Thread.onSpinWait();
            }
            assertThat(f.jobsRunning()).as("the second's pool thread, freed while the first is held").isEqualTo(1);
            ch.release.countDown();
            assertThat(ch.firstExited.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(ch.events).as("the second wrote nothing").containsExactly("write AAAA", "wrote AAAA");
        });
    }

    @ParameterizedTest
    @EnumSource(value = Driver.class, names = {"EPOLL", "NIO"})
    void aReadDoesNotWaitForACancelledWrite(Driver kind) throws Exception {
        Files.writeString(dir.resolve("f"), "0000");
        afterACancelledHeldWrite(kind, TimeUnit.SECONDS.toMillis(30), (f, ch) -> { // held until the read is done
            ByteBuffer dst = ByteBuffer.allocate(4);
            assertThat(finish(f.readAt(dst, 0))).as("read while the write is held").isEqualTo(4);
            assertThat(ch.events).containsExactly("write AAAA");
            ch.release.countDown();
            assertThat(ch.firstExited.await(10, TimeUnit.SECONDS)).isTrue();
        });
    }

    /** What a test does once the first write was cancelled in its call. */
    interface AfterCancel {
        void run(ChannelFile f, HeldChannel ch) throws Exception;
    }

    /**
     * On a file of {@code kind} over a {@link HeldChannel} (its first write
     * held at most {@code holdMs}): a write of "AAAA" at 0 is polled, a pool
     * thread enters its call, and it is cancelled there; then {@code then};
     * then the file and the driver close.
     */
    private void afterACancelledHeldWrite(Driver kind, long holdMs, AfterCancel then) throws Exception {
        Path path = dir.resolve("f");
        IoDriver driver = open(kind);
        try (HeldChannel ch = new HeldChannel(path)) {
            ch.holdMs = holdMs;
            ChannelFile f = ChannelFile.over(driver, ch, path.toString(), true, true);
            CancellableFuture<Integer> first = f.writeAt(ascii("AAAA"), 0);
            assertThat(first.poll(new Context(() -> { })).isReady()).isFalse();
            assertThat(ch.firstEntered.await(10, TimeUnit.SECONDS)).as("a pool thread in the first write").isTrue();
            first.cancel();
            then.run(f, ch);
            f.close();
        } finally {
            driver.close();
        }
    }

    private static IoDriver open(Driver kind) throws IOException {
        String why = Drivers.whyNot(kind);
        assumeTrue(why == null, () -> kind + " unavailable here: " + why);
        return kind == Driver.EPOLL ? EpollDriver.open() : NioDriver.open();
    }

    /** Polls {@code op} until it is ready (its job wakes this thread), at most 10 s. */
    private static <T> T finish(CancellableFuture<T> op) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            CountDownLatch woken = new CountDownLatch(1);
            var p = op.poll(new Context(woken::countDown));
            if (p.isReady()) {
                return p.get();
            }
            assertThat(woken.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)).as("%s ended", op).isTrue();
        }
    }

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * A file whose first positional write is held in its call until a later
     * write has landed (or {@link #holdMs} passed); it records the calls in
     * the order they happen.
     */
    static final class HeldChannel extends FileChannel {
        private final FileChannel real;
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch firstEntered = new CountDownLatch(1);
        final CountDownLatch firstExited = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile long holdMs = HOLD_MS;
        private final AtomicInteger writes = new AtomicInteger();

        HeldChannel(Path path) throws IOException {
            real = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            String what = StandardCharsets.US_ASCII.decode(src.duplicate()).toString();
            int call = writes.incrementAndGet();
            events.add("write " + what);
            if (call == 1) {
                firstEntered.countDown();
                try {
                    release.await(holdMs, TimeUnit.MILLISECONDS); // a later write lets it go once it landed
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            }
            int n = real.write(src, position);
            events.add("wrote " + what);
            if (call == 1) {
                firstExited.countDown();
            } else {
                release.countDown();
            }
            return n;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            events.add("force");
            release.countDown();
            real.force(metaData);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return real.read(dst, position);
        }

        @Override
        public long size() throws IOException {
            return real.size();
        }

        @Override
        protected void implCloseChannel() throws IOException {
            real.close();
        }

        @Override
        public int read(ByteBuffer dst) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int write(ByteBuffer src) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long position() {
            throw new UnsupportedOperationException();
        }

        @Override
        public FileChannel position(long newPosition) {
            throw new UnsupportedOperationException();
        }

        @Override
        public FileChannel truncate(long size) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) {
            throw new UnsupportedOperationException();
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) {
            throw new UnsupportedOperationException();
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) {
            throw new UnsupportedOperationException();
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) {
            throw new UnsupportedOperationException();
        }
    }
}
