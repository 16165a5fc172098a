package io.weft.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.weft.Driver;
import io.weft.JoinHandle;
import io.weft.OtherWorker;
import io.weft.StealingExecutor;
import io.weft.Weft;
import io.weft.io.Drivers;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One file of a StealingExecutor used by tasks on both workers, once per
 * driver this kernel allows: the file stays with the worker that opened it,
 * and a task of the other worker has its operations run there
 * ({@code io.weft.executor.OnHome}).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StealingFilesTest {

    static StealingExecutor on(Driver d) {
        String why = Drivers.whyNot(d);
        assumeTrue(why == null, () -> d + " driver unavailable here: " + why);
        return StealingExecutor.builder().workers(2).name("steal-fs").driver(d).build();
    }

    static byte[] block(int i) {
        byte[] b = new byte[16];
        for (int k = 0; k < b.length; k++) {
            b[k] = (byte) (i * 31 + k);
        }
        return b;
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void aFileOpenedOnOneWorkerServesTasksOfBoth(Driver d, @TempDir Path dir) {
        int tasks = 64;
        try (StealingExecutor ex = on(d)) {
            ex.blockOn(() -> {
                try (File f = File.open(dir.resolve("shared"), StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE).await()) {
                    // one task made to start on the other worker, then many wherever they start
                    String other = OtherWorker.spawn(() -> {
                        f.writeAllAt(ByteBuffer.wrap(block(tasks)), 16L * tasks).await();
                        ByteBuffer back = ByteBuffer.allocate(16);
                        f.readExactAt(back, 16L * tasks).await();
                        assertThat(back.array()).isEqualTo(block(tasks));
                        f.fsync().await();
                        return Thread.currentThread().getName();
                    }).await();
                    assertThat(other).isNotEqualTo(Thread.currentThread().getName());
                    List<JoinHandle<Boolean>> hs = new ArrayList<>();
                    for (int i = 0; i < tasks; i++) {
                        int at = i;
                        hs.add(Weft.spawn(() -> {
                            f.writeAllAt(ByteBuffer.wrap(block(at)), 16L * at).await();
                            ByteBuffer back = ByteBuffer.allocate(16);
                            f.readExactAt(back, 16L * at).await();
                            return java.util.Arrays.equals(back.array(), block(at));
                        }));
                    }
                    for (JoinHandle<Boolean> h : hs) {
                        assertThat(h.await()).isTrue();
                    }
                    assertThat(f.size().await()).isEqualTo(16L * (tasks + 1));
                    byte[] all = f.readAll().await();
                    for (int i = 0; i <= tasks; i++) {
                        assertThat(java.util.Arrays.copyOfRange(all, 16 * i, 16 * i + 16)).isEqualTo(block(i));
                    }
                }
                return null;
            });
        }
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void aFileClosedFromTheOtherWorkerIsClosed(Driver d, @TempDir Path dir) {
        try (StealingExecutor ex = on(d)) {
            ex.blockOn(() -> {
                File f = File.open(dir.resolve("closed"), StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE).await();
                OtherWorker.spawn(() -> {
                    f.close();
                    return null;
                }).await();
                OtherWorker.yieldUntil(() -> !f.isOpen(), "the close"); // it runs here, on the file's worker
                assertThat(f.isOpen()).isFalse();
                Throwable failure = null;
                try {
                    f.readAt(ByteBuffer.allocate(4), 0).await();
                } catch (RuntimeException e) {
                    failure = e;
                }
                assertThat(failure).as("a read after the close").isNotNull();
                Throwable root = failure instanceof java.io.UncheckedIOException u ? u.getCause() : failure;
                assertThat(root).isInstanceOf(ClosedChannelException.class);
                return null;
            });
        }
    }
    /**
     * The cancel safety of a read or write, for a task of the other worker:
     * given up after the file's worker had done it (its result not taken),
     * a read leaves {@code dst} as it was and a write leaves {@code src}'s
     * position where it was, as on the file's own worker. The file's worker
     * copied into the caller's buffer and moved its position itself, before
     * the caller gave up (and on another thread than the caller's).
     */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void anOperationGivenUpFromTheOtherWorkerLeavesTheCallersBufferAlone(Driver d, @TempDir Path dir) {
        try (StealingExecutor ex = on(d)) {
            List<String> seen = ex.blockOn(() -> {
                try (File f = File.open(dir.resolve("given-up"), StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE).await()) {
                    f.writeAllAt(ByteBuffer.wrap(block(1)), 0).await();
                    // The file's worker (this one) is held while the other worker's task polls each operation
                    // for the first time, so that the hop to it is surely pending then; it is let go to do it.
                    java.util.concurrent.atomic.AtomicInteger holding = new java.util.concurrent.atomic.AtomicInteger();
                    java.util.concurrent.atomic.AtomicInteger polled = new java.util.concurrent.atomic.AtomicInteger();
                    java.util.concurrent.atomic.AtomicInteger ended = new java.util.concurrent.atomic.AtomicInteger();
                    ByteBuffer dst = ByteBuffer.allocate(16);
                    ByteBuffer src = ByteBuffer.wrap(block(2));
                    List<java.util.function.Supplier<io.weft.CancellableFuture<Integer>>> ops = List.of(
                            () -> f.readAt(dst, 0), () -> f.writeAt(src, 16));
                    JoinHandle<List<String>> other = OtherWorker.spawn(() -> {
                        List<String> s = new ArrayList<>();
                        for (int i = 1; i <= ops.size(); i++) {
                            int op = i;
                            OtherWorker.yieldUntil(() -> holding.get() == op, "the file's worker held");
                            java.util.concurrent.atomic.AtomicInteger wakes = new java.util.concurrent.atomic.AtomicInteger();
                            io.weft.CancellableFuture<Integer> fut = ops.get(i - 1).get();
                            s.add("pending " + !fut.poll(new io.weft.Context(wakes::incrementAndGet)).isReady());
                            polled.set(op);
                            OtherWorker.yieldUntil(() -> wakes.get() > 0, "its end on the file's worker");
                            fut.cancel();
                            ended.set(op);
                        }
                        s.add("read: dst at " + dst.position() + ", first byte " + dst.get(0));
                        s.add("write: src at " + src.position());
                        return s;
                    });
                    for (int i = 1; i <= ops.size(); i++) {
                        int op = i;
                        holding.set(op);
                        OtherWorker.holdUntil(() -> polled.get() == op, "the first poll there");
                        OtherWorker.yieldUntil(() -> ended.get() == op, "the operation given up"); // it runs here
                    }
                    return other.await();
                }
            });
            assertThat(seen).containsExactly("pending true", "pending true", "read: dst at 0, first byte 0",
                    "write: src at 0");
        }
    }
}
