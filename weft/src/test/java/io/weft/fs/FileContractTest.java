package io.weft.fs;

import static io.weft.fs.FileTest.on;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.weft.Context;
import io.weft.Driver;
import io.weft.Future;
import io.weft.blocking.BlockingJob;
import io.weft.blocking.BlockingPool;
import io.weft.time.Timeout;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rules of fs/package-info.java, once per driver: what FileChannel does,
 * with the call and the errno in every message, the same on io_uring, epoll
 * and nio.
 */
@org.junit.jupiter.api.Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES,
        threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
class FileContractTest {
    /** A hang guard: each wait below is over at once when the rule holds. */
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    /** One operation of a file, made by a call. */
    enum Op {
        READ(f -> f.readAt(ByteBuffer.allocate(100), 0)),
        READ_SEGMENT(f -> f.readAt(MemorySegment.ofArray(new byte[100]), 0)),
        WRITE(f -> f.writeAt(ByteBuffer.wrap(new byte[100]), 0)),
        WRITE_SEGMENT(f -> f.writeAt(MemorySegment.ofArray(new byte[100]), 0)),
        WRITE_ALL(f -> f.writeAllAt(ByteBuffer.wrap(new byte[100]), 0)),
        READ_ALL(File::readAll),
        READ_EXACT(f -> f.readExactAt(ByteBuffer.allocate(100), 0)),
        READ_EXACT_SEGMENT(f -> f.readExactAt(MemorySegment.ofArray(new byte[100]), 0)),
        SIZE(File::size),
        FSYNC(File::fsync);

        final Function<File, Future<?>> call;

        Op(Function<File, Future<?>> call) {
            this.call = call;
        }

        boolean reads() {
            return name().startsWith("READ");
        }

        boolean writes() {
            return name().startsWith("WRITE");
        }
    }

    static Throwable thrown(Runnable r) {
        try {
            r.run();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    // ---- 1. size and directories ----

    @ParameterizedTest
    @EnumSource(Driver.class)
    void sizeIsWhatFstatSaysAndReadingADirectoryFailsWithEisdir(Driver d) throws Exception {
        Path sub = Files.createDirectory(dir.resolve("sub"));
        Files.write(sub.resolve("entry"), new byte[] {1});
        long statSize = Files.size(sub); // stat(2)'s st_size, as FileChannel.size() gives it
        Object[] got = on(d, () -> {
            try (File f = File.open(sub).await()) {
                return new Object[] {f.size().await(), thrown(() -> f.readAll().await()),
                        thrown(() -> f.readAt(ByteBuffer.allocate(10), 0).await())};
            }
        });
        assertThat(got[0]).isEqualTo(statSize);
        for (Object t : List.of(got[1], got[2])) {
            assertThat((Throwable) t).isInstanceOf(UncheckedIOException.class);
            assertThat(((Throwable) t).getCause()).isInstanceOf(FileSystemException.class)
                    .hasMessage(sub + ": pread: EISDIR (Is a directory)");
        }
    }

    // ---- 1b. an operation starts at its first poll ----

    /**
     * A write reads its buffer at its first poll, as io_uring submits it
     * then, and a write given up before that writes nothing: on epoll and
     * nio it used to copy the buffer and start on the pool at the call.
     */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void aWriteStartsAtItsFirstPoll(Driver d) throws Exception {
        Path p = dir.resolve("lazy");
        Files.write(p, new byte[8]);
        byte[] got = on(d, () -> {
            try (File f = File.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE).await()) {
                ByteBuffer buf = ByteBuffer.wrap("AAAA".getBytes());
                var write = f.writeAt(buf, 0);
                buf.put(0, "BBBB".getBytes()); // changed after the call, before the first poll
                assertThat(write.await()).isEqualTo(4);
                var dropped = f.writeAt(ByteBuffer.wrap("CCCC".getBytes()), 4);
                io.weft.Futures.cancel(dropped); // never polled: nothing may start
                f.fsync().await();
                return f.readAll().await();
            }
        });
        assertThat(new String(got, 0, 4)).isEqualTo("BBBB");
        assertThat(got).as("the cancelled write wrote nothing").endsWith(0, 0, 0, 0);
    }

    // ---- 2. the mode, at the call ----

    @ParameterizedTest
    @EnumSource(Driver.class)
    void writingAFileOpenedForReadingIsNonWritableAtTheCall(Driver d) throws Exception {
        Path p = dir.resolve("ro");
        Files.write(p, new byte[] {1, 2, 3});
        List<Throwable> seen = on(d, () -> {
            List<Throwable> all = new ArrayList<>();
            try (File f = File.open(p, StandardOpenOption.READ).await()) {
                for (Op op : Op.values()) {
                    if (op.writes()) {
                        all.add(thrown(() -> op.call.apply(f))); // the call itself, no await
                    }
                }
                assertThat(f.readAll().await()).containsExactly(1, 2, 3); // the file still works
            }
            return all;
        });
        assertThat(seen).hasSize(3).allSatisfy(t -> assertThat(t).isInstanceOf(NonWritableChannelException.class)
                .cause().hasMessageContaining(p.toString()).hasMessageContaining("without WRITE"));
        assertThat(Files.readAllBytes(p)).containsExactly(1, 2, 3);
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void readingAFileOpenedForWritingIsNonReadableAtTheCall(Driver d) throws Exception {
        Path p = dir.resolve("wo");
        Files.write(p, new byte[] {1, 2, 3});
        List<Throwable> seen = on(d, () -> {
            List<Throwable> all = new ArrayList<>();
            try (File f = File.open(p, StandardOpenOption.WRITE).await()) {
                for (Op op : Op.values()) {
                    if (op.reads()) {
                        all.add(thrown(() -> op.call.apply(f)));
                    }
                }
                f.writeAllAt(ByteBuffer.wrap(new byte[] {9}), 0).await(); // the file still works
            }
            return all;
        });
        assertThat(seen).hasSize(5).allSatisfy(t -> assertThat(t).isInstanceOf(NonReadableChannelException.class)
                .cause().hasMessageContaining(p.toString()).hasMessageContaining("without READ"));
        assertThat(Files.readAllBytes(p)).containsExactly(9, 2, 3);
    }

    // ---- 3. the thread ----

    @ParameterizedTest
    @EnumSource(Driver.class)
    void aFileUsedFromAnotherThreadIsRefusedNamingTheFileAndBothThreads(Driver d) throws Exception {
        Path p = dir.resolve("mine");
        Files.write(p, new byte[] {7});
        String[] owner = new String[1];
        List<Throwable> seen = on(d, () -> {
            owner[0] = Thread.currentThread().getName();
            List<Throwable> all = new ArrayList<>();
            try (File f = File.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE).await()) {
                ByteBuffer one = ByteBuffer.allocate(1);
                Future<Integer> made = f.readAt(one, 0); // made here, polled there
                List<Runnable> calls = new ArrayList<>();
                for (Op op : Op.values()) {
                    calls.add(() -> op.call.apply(f));
                }
                calls.add(() -> made.poll(new Context(() -> { })));
                calls.add(f::close);
                Thread other = new Thread(() -> {
                    for (Runnable c : calls) {
                        all.add(thrown(c));
                    }
                }, "file-intruder");
                other.start();
                other.join();
                assertThat(f.isOpen()).isTrue();
                assertThat(made.await()).isEqualTo(1); // the refused poll changed nothing
                assertThat(one.array()).containsExactly(7);
            }
            return all;
        });
        assertThat(seen).hasSize(Op.values().length + 2).allSatisfy(t -> assertThat(t)
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("file " + p)
                .hasMessageContaining("thread " + owner[0]).hasMessageContaining("thread file-intruder"));
    }

    // ---- 4. closing ----

    static Stream<Arguments> closing() {
        List<Arguments> all = new ArrayList<>();
        for (Driver d : Driver.values()) {
            for (Op op : Op.values()) {
                all.add(Arguments.of(d, op, false));
                if (!(d == Driver.URING && op == Op.SIZE)) { // io_uring answers size at its first poll: never pending
                    all.add(Arguments.of(d, op, true));
                }
            }
        }
        return all.stream();
    }

    /**
     * Holds every thread of the blocking pool until closed, so an epoll or
     * nio file operation made meanwhile waits in the pool's queue: pending
     * for as long as the test needs.
     */
    static final class BlockedPool implements AutoCloseable {
        private final CountDownLatch release = new CountDownLatch(1);

        BlockedPool() throws InterruptedException {
            CountDownLatch started = new CountDownLatch(BlockingPool.shared().maxThreads());
            for (int i = 0; i < BlockingPool.shared().maxThreads(); i++) {
                BlockingJob.submit(() -> {
                    started.countDown();
                    return release.await(1, TimeUnit.MINUTES);
                });
            }
            assertThat(started.await(30, TimeUnit.SECONDS)).as("every pool thread holds a blocker").isTrue();
        }

        @Override
        public void close() {
            release.countDown();
        }
    }

    @ParameterizedTest(name = "{0}: {1}, polled before the close: {2}")
    @MethodSource("closing")
    void anOperationPendingAtCloseFailsWithAsynchronousClose(Driver d, Op op, boolean polled) throws Exception {
        Path p = dir.resolve("closing");
        Files.write(p, new byte[4096]);
        Throwable t = on(d, () -> {
            File f = File.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE).await();
            try (BlockedPool blocked = new BlockedPool()) {
                Future<?> pending = op.call.apply(f);
                if (polled) {
                    assertThat(pending.poll(new Context(() -> { })).isReady()).as("pending").isFalse();
                }
                f.close();
                // epoll, nio: the pool is still held, so the failure cannot have waited for the operation's job
                return thrown(() -> Timeout.of(WAIT, pending).await());
            } finally {
                f.close();
            }
        });
        assertThat(t).isInstanceOf(UncheckedIOException.class);
        assertThat(t.getCause()).isInstanceOf(AsynchronousCloseException.class)
                .cause().hasMessageContaining("file " + p + " was closed while its");
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void everyCallAfterCloseIsClosedChannelAtTheCall(Driver d) throws Exception {
        Path p = dir.resolve("closed");
        Files.write(p, new byte[] {1, 2, 3});
        List<Throwable> seen = on(d, () -> {
            File f = File.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE).await();
            f.close();
            f.close(); // idempotent
            assertThat(f.isOpen()).isFalse();
            List<Throwable> all = new ArrayList<>();
            for (Op op : Op.values()) {
                all.add(thrown(() -> op.call.apply(f))); // the call itself, no await
            }
            return all;
        });
        assertThat(seen).hasSize(Op.values().length).allSatisfy(t -> {
            assertThat(t).isInstanceOf(UncheckedIOException.class);
            assertThat(t.getCause()).isInstanceOf(ClosedChannelException.class)
                    .isNotInstanceOf(AsynchronousCloseException.class)
                    .cause().hasMessage("file " + p + " is closed");
        });
    }

    // ---- 5. messages: the call and the errno, java.nio's types ----

    static Throwable openFailure(Path p, OpenOption... options) {
        try {
            File.open(p, options).await().close();
            return null;
        } catch (UncheckedIOException e) {
            return e.getCause();
        }
    }

    /**
     * The open options mean the same on every driver, as FileChannel.open
     * reads them: NOFOLLOW_LINKS refuses a symbolic link (io_uring's open
     * followed it), and READ with APPEND, or APPEND with TRUNCATE_EXISTING,
     * is an IllegalArgumentException at the call (io_uring opened them).
     */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void openOptionsMeanWhatFileChannelSaysOnEveryDriver(Driver d) throws Exception {
        Path target = dir.resolve("target");
        Files.write(target, new byte[] {1});
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);
        List<Throwable> t = on(d, () -> Arrays.asList(
                openFailure(link, StandardOpenOption.READ, java.nio.file.LinkOption.NOFOLLOW_LINKS),
                thrown(() -> openFailure(target, StandardOpenOption.READ, StandardOpenOption.APPEND)),
                thrown(() -> openFailure(target, StandardOpenOption.WRITE, StandardOpenOption.APPEND,
                        StandardOpenOption.TRUNCATE_EXISTING))));
        assertThat(t.get(0)).as("a link, not followed").isInstanceOf(FileSystemException.class);
        assertThat(t.get(1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("READ + APPEND");
        assertThat(t.get(2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("APPEND + TRUNCATE_EXISTING");
        assertThat(Files.readAllBytes(target)).as("nothing truncated").containsExactly(1);
    }

    /**
     * DELETE_ON_CLOSE as FileChannel does it on Linux: the name goes at the
     * open (the JDK unlinks right after it), the open file stays readable
     * and writable until its close. io_uring refused the option.
     */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void deleteOnCloseRemovesTheNameAndKeepsTheOpenFileUsable(Driver d) throws Exception {
        Path p = dir.resolve("scratch");
        byte[] back = on(d, () -> {
            File f = File.open(p, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    StandardOpenOption.DELETE_ON_CLOSE).await();
            try {
                f.writeAllAt(ByteBuffer.wrap(new byte[] {4, 5, 6}), 0).await();
                ByteBuffer b = ByteBuffer.allocate(3);
                f.readExactAt(b, 0).await();
                return b.array();
            } finally {
                f.close();
            }
        });
        assertThat(back).containsExactly(4, 5, 6);
        assertThat(Files.exists(p)).as("deleted by the close at the latest").isFalse();
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void openErrorsNameTheCallAndTheErrnoInJavaNiosTypes(Driver d) throws Exception {
        Path missing = dir.resolve("missing");
        Path existing = dir.resolve("existing");
        Files.write(existing, new byte[] {1});
        Path sub = Files.createDirectory(dir.resolve("sub"));
        List<Throwable> t = on(d, () -> Arrays.asList(
                openFailure(missing),
                openFailure(existing, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW),
                openFailure(sub, StandardOpenOption.WRITE),
                openFailure(existing.resolve("below"))));
        assertThat(t.get(0)).isInstanceOf(NoSuchFileException.class)
                .hasMessage(missing + ": open: ENOENT (No such file or directory)");
        assertThat(t.get(1)).isInstanceOf(FileAlreadyExistsException.class)
                .hasMessage(existing + ": open: EEXIST (File exists)");
        assertThat(t.get(2)).isExactlyInstanceOf(FileSystemException.class)
                .hasMessage(sub + ": open: EISDIR (Is a directory)");
        assertThat(t.get(3)).isExactlyInstanceOf(FileSystemException.class)
                .hasMessage(existing.resolve("below") + ": open: ENOTDIR (Not a directory)");
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void aFileWeMayNotOpenIsAccessDeniedNamingOpenAndEacces(Driver d) throws Exception {
        Path p;
        OpenOption mode;
        if ("root".equals(System.getProperty("user.name"))) {
            // root passes every permission bit; a read-only sysfs attribute refuses writing with EACCES even to root
            p = Path.of("/sys/devices/system/cpu/online");
            assumeTrue(Files.exists(p), "no " + p + " here");
            mode = StandardOpenOption.WRITE;
        } else {
            p = dir.resolve("secret");
            Files.write(p, new byte[] {1});
            Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("---------"));
            mode = StandardOpenOption.READ;
        }
        Throwable t = on(d, () -> openFailure(p, mode));
        assertThat(t).isInstanceOf(AccessDeniedException.class)
                .hasMessage(p + ": open: EACCES (Permission denied)");
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void writeAndFsyncErrorsNameTheCallAndTheErrno(Driver d) {
        Path full = Path.of("/dev/full"); // every write fails with ENOSPC; a character device has no fsync: EINVAL
        assumeTrue(Files.isWritable(full), "no writable /dev/full here");
        List<Throwable> t = on(d, () -> {
            try (File f = File.open(full, StandardOpenOption.WRITE).await()) {
                return List.of(thrown(() -> f.writeAt(ByteBuffer.wrap(new byte[] {1}), 0).await()),
                        thrown(() -> f.fsync().await()));
            }
        });
        assertThat(t.get(0)).isInstanceOf(UncheckedIOException.class).cause()
                .isExactlyInstanceOf(FileSystemException.class)
                .hasMessage(full + ": pwrite: ENOSPC (No space left on device)");
        assertThat(t.get(1)).isInstanceOf(UncheckedIOException.class).cause()
                .isExactlyInstanceOf(FileSystemException.class)
                .hasMessage(full + ": fsync: EINVAL (Invalid argument)");
    }

    /** Waits (polling, at most 30 s) until the shared pool runs and holds nothing. */
    static void untilThePoolIsIdle() throws InterruptedException {
        BlockingPool pool = BlockingPool.shared();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while ((pool.queued() > 0 || pool.idleThreads() < pool.threads()) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(pool.queued()).isZero();
    }

    /**
     * A write that a close failed (AsynchronousCloseException) never lands
     * afterwards, on every driver: the bytes written at that position after
     * the failure stay. On epoll and nio the write's job, still queued for a
     * pool thread, ran after the close had failed it and overwrote them;
     * one never taken by a pool thread now writes nothing, and one already
     * running is waited for before the close is reported (as io_uring
     * reports it at the write's completion). A write given up by a timeout
     * before a pool thread took it writes nothing either.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Driver.class)
    void aWriteFailedByACloseNeverLandsAfterwards(Driver d) throws Exception {
        Path p = dir.resolve("late-write");
        Files.write(p, new byte[8]);
        Throwable t = on(d, () -> {
            File f = File.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE).await();
            Throwable failed;
            try (BlockedPool blocked = new BlockedPool()) {
                Future<Integer> w = f.writeAt(ByteBuffer.wrap("AAAA".getBytes()), 0);
                Future<Integer> given = f.writeAt(ByteBuffer.wrap("CCCC".getBytes()), 4);
                assertThat(w.poll(new Context(() -> { })).isReady()).as("pending").isFalse();
                assertThat(given.poll(new Context(() -> { })).isReady()).as("pending").isFalse();
                io.weft.Futures.cancel(given); // given up before a pool thread took it (io_uring: in the kernel)
                f.close();
                failed = thrown(() -> Timeout.of(WAIT, w).await());
                try (var ch = java.nio.channels.FileChannel.open(p, StandardOpenOption.WRITE)) {
                    ch.write(ByteBuffer.wrap("BBBB".getBytes()), 0);
                    ch.force(true);
                }
            }
            untilThePoolIsIdle();
            return failed;
        });
        assertThat(t).isInstanceOf(UncheckedIOException.class);
        assertThat(t.getCause()).isInstanceOf(AsynchronousCloseException.class);
        byte[] now = Files.readAllBytes(p);
        assertThat(new String(now, 0, 4)).as("the bytes written after the failure").isEqualTo("BBBB");
        if (d != Driver.URING) { // io_uring: a write in the kernel may still complete after its cancel
            assertThat(now[4]).as("the write given up before it started").isEqualTo((byte) 0);
        }
    }

    /** The largest file size the file system of {@code p} takes (found with 1-byte writes, sparse), or -1 if none below 2^62. */
    static long maxFileSize(Path p) throws Exception {
        long lo = 0;
        long hi = 1L << 62;
        try (var ch = java.nio.channels.FileChannel.open(p, StandardOpenOption.WRITE)) {
            if (fits(ch, hi - 1)) {
                return -1;
            }
            while (hi - lo > 1) { // fits(lo - 1), !fits(hi - 1)
                long mid = lo + (hi - lo) / 2;
                if (fits(ch, mid - 1)) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            ch.truncate(0);
        }
        return lo;
    }

    private static boolean fits(java.nio.channels.FileChannel ch, long lastByte) {
        try {
            ch.write(ByteBuffer.wrap(new byte[1]), lastByte);
            return true;
        } catch (java.io.IOException tooLarge) {
            return false;
        }
    }

    /**
     * A write that reaches past the largest file size: the bytes that fit
     * are written and counted, on every driver (pwrite's short count, as
     * io_uring gives it); the failure comes at the next write. epoll and nio
     * threw EFBIG, the bytes written before it neither counted nor taken.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Driver.class)
    void aWriteThatReachesPastTheLargestFileSizeIsAShortWrite(Driver d) throws Exception {
        Path p = dir.resolve("huge");
        Files.write(p, new byte[0]);
        long max = maxFileSize(p);
        assumeTrue(max > 8192, "the file system here takes files of any size");
        int n = on(d, () -> {
            try (File f = File.open(p, StandardOpenOption.WRITE).await()) {
                return f.writeAt(ByteBuffer.allocate(8192), max - 4096).await();
            }
        });
        assertThat(n).as("the bytes that fit, counted").isEqualTo(4096);
    }

    /**
     * Open options are checked at the call, alike on every driver: a
     * combination FileChannel refuses (READ with APPEND) and an option weft
     * does not take (O_DIRECT through File.open: DmaFile is for that) throw
     * before anything runs; an option given twice is taken once. On epoll
     * and nio the refusals came only at the await, and O_DIRECT opened; an
     * option twice threw "duplicate element" everywhere.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Driver.class)
    void openOptionsAreCheckedAtTheCallAlikeOnEveryDriver(Driver d) throws Exception {
        Path p = dir.resolve("options");
        Files.write(p, new byte[16]);
        on(d, () -> {
            assertThatThrownBy(() -> File.open(p, StandardOpenOption.READ, StandardOpenOption.APPEND))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("READ + APPEND");
            assertThatThrownBy(() -> File.open(p, com.sun.nio.file.ExtendedOpenOption.DIRECT))
                    .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("DmaFile");
            try (File f = File.open(p, StandardOpenOption.WRITE, StandardOpenOption.CREATE, StandardOpenOption.WRITE)
                    .await()) {
                assertThat(f.writeAt(ByteBuffer.wrap(new byte[] {1}), 0).await()).isEqualTo(1);
            }
            return null;
        });
    }
}
