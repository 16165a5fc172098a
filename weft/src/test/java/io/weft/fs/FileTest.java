package io.weft.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.weft.CancellableFuture;
import io.weft.Context;
import io.weft.Driver;
import io.weft.LocalExecutor;
import io.weft.Poll;
import io.weft.Weft;
import io.weft.io.Drivers;
import java.io.EOFException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The file suite, once per driver this kernel allows (a refused one is skipped with the reason). */
@org.junit.jupiter.api.Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES,
        threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD) // a hang fails instead of stalling the build
class FileTest {
    @TempDir
    Path dir;

    static <T> T on(Driver d, Callable<T> body) {
        String why = Drivers.whyNot(d);
        assumeTrue(why == null, () -> d + " driver unavailable here: " + why);
        try (LocalExecutor ex = LocalExecutor.builder().driver(d).build()) {
            return ex.run(() -> {
                assertThat(Weft.current().driver()).isEqualTo(d);
                return body.call();
            });
        }
    }

    static byte[] block(int index, int size) {
        byte[] b = new byte[size];
        new Random(index * 7919L + 17).nextBytes(b);
        return b;
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void writeThenReadBack256MiBAtRandomOffsets(Driver d) {
        int blockSize = 64 * 1024;
        int blocks = 4096; // 256 MiB
        Path p = dir.resolve("big");
        long[] sums = on(d, () -> {
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < blocks; i++) {
                order.add(i);
            }
            long written = 0;
            try (File f = File.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.READ).await()) {
                Collections.shuffle(order, new Random(1));
                CRC32 crc = new CRC32();
                for (int i : order) {
                    byte[] b = block(i, blockSize);
                    f.writeAllAt(ByteBuffer.wrap(b), (long) i * blockSize).await();
                }
                for (int i = 0; i < blocks; i++) {
                    crc.update(block(i, blockSize));
                }
                written = crc.getValue();
                f.fsync().await();
                assertThat(f.size().await()).isEqualTo((long) blocks * blockSize);
            }
            long read;
            try (File f = File.open(p).await()) {
                Collections.shuffle(order, new Random(2));
                byte[][] back = new byte[blocks][];
                ByteBuffer direct = ByteBuffer.allocateDirect(blockSize);
                for (int i : order) {
                    direct.clear();
                    while (direct.hasRemaining()) {
                        int n = f.readAt(direct, (long) i * blockSize + direct.position()).await();
                        assertThat(n).isPositive();
                    }
                    back[i] = new byte[blockSize];
                    direct.flip().get(back[i]);
                }
                CRC32 crc = new CRC32();
                for (byte[] b : back) {
                    crc.update(b);
                }
                read = crc.getValue();
                assertThat(f.readAt(ByteBuffer.allocate(10), (long) blocks * blockSize).await()).isEqualTo(-1);
            }
            return new long[] {written, read};
        });
        assertThat(sums[1]).isEqualTo(sums[0]);
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void readAllReturnsTheWholeFile(Driver d) throws Exception {
        Path p = dir.resolve("small");
        byte[] content = block(3, 200_000);
        Files.write(p, content);
        byte[] got = on(d, () -> {
            try (File f = File.open(p).await()) {
                return f.readAll().await();
            }
        });
        assertThat(got).isEqualTo(content);
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void dmaFileRoundTripsAlignedBlocksAndRefusesUnalignedOnes(Driver d) {
        Path p = dir.resolve("dma");
        boolean ok = on(d, () -> {
            try (Arena arena = Arena.ofShared();
                 DmaFile f = DmaFile.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                         StandardOpenOption.READ).await()) {
                int n = 64;
                for (int i = 0; i < n; i++) {
                    MemorySegment b = DmaFile.allocate(arena, DmaFile.ALIGNMENT);
                    b.copyFrom(MemorySegment.ofArray(block(i, DmaFile.ALIGNMENT)));
                    assertThat(f.writeAt(b, (long) i * DmaFile.ALIGNMENT).await()).isEqualTo(DmaFile.ALIGNMENT);
                }
                MemorySegment back = DmaFile.allocate(arena, DmaFile.ALIGNMENT);
                for (int i = n - 1; i >= 0; i--) {
                    assertThat(f.readAt(back, (long) i * DmaFile.ALIGNMENT).await()).isEqualTo(DmaFile.ALIGNMENT);
                    assertThat(back.toArray(ValueLayout.JAVA_BYTE)).isEqualTo(block(i, DmaFile.ALIGNMENT));
                }
                MemorySegment aligned = DmaFile.allocate(arena, DmaFile.ALIGNMENT);
                assertThatThrownBy(() -> f.readAt(aligned, 100)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("not a multiple of 4096");
                assertThatThrownBy(() -> f.readAt(aligned.asSlice(0, 100), 0))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("length 100");
                return true;
            }
        });
        assertThat(ok).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void readExactAtFillsTheBufferAcrossReadsAndFailsWithEofWhereTheFileEnds(Driver d) throws Exception {
        Path p = dir.resolve("exact");
        byte[] content = block(5, 3 * 1024 * 1024 + 100); // more than one read on every driver (1 MiB, 64 KiB)
        Files.write(p, content);
        int n = content.length - 100;
        on(d, () -> {
            try (File f = File.open(p).await(); Arena arena = Arena.ofConfined()) {
                ByteBuffer heap = ByteBuffer.allocate(n);
                f.readExactAt(heap, 100).await();
                assertThat(heap.position()).isEqualTo(n);
                assertThat(heap.array()).isEqualTo(Arrays.copyOfRange(content, 100, content.length));

                ByteBuffer direct = ByteBuffer.allocateDirect(n + 10).position(10);
                f.readExactAt(direct, 100).await();
                assertThat(direct.position()).isEqualTo(n + 10);
                byte[] back = new byte[n];
                direct.position(10).get(back);
                assertThat(back).isEqualTo(Arrays.copyOfRange(content, 100, content.length));

                MemorySegment seg = arena.allocate(n);
                f.readExactAt(seg, 100).await();
                assertThat(seg.toArray(ValueLayout.JAVA_BYTE)).isEqualTo(Arrays.copyOfRange(content, 100, content.length));

                ByteBuffer past = ByteBuffer.allocate(300);
                assertThatThrownBy(() -> f.readExactAt(past, content.length - 100).await())
                        .isInstanceOf(UncheckedIOException.class).cause().isInstanceOf(EOFException.class)
                        .hasMessage("end of file " + p + " at offset " + content.length + " with 200 byte(s) still to read");
                assertThat(past.position()).as("the bytes the file had").isEqualTo(100);
                assertThat(Arrays.copyOf(past.array(), 100))
                        .isEqualTo(Arrays.copyOfRange(content, content.length - 100, content.length));
                assertThatThrownBy(() -> f.readExactAt(arena.allocate(10), content.length).await())
                        .isInstanceOf(UncheckedIOException.class).cause().isInstanceOf(EOFException.class);
                f.readExactAt(ByteBuffer.allocate(0), content.length + 5).await(); // nothing to read: done
                return null;
            }
        });
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void dmaReadExactAtReadsWholeBlocksAndFailsWithEofAtAShortOne(Driver d) throws Exception {
        Path p = dir.resolve("dma-exact");
        byte[] content = block(6, 3 * DmaFile.ALIGNMENT + 100);
        Files.write(p, content);
        on(d, () -> {
            try (Arena arena = Arena.ofShared(); DmaFile f = DmaFile.open(p).await()) {
                MemorySegment three = DmaFile.allocate(arena, 3L * DmaFile.ALIGNMENT);
                f.readExactAt(three, 0).await();
                assertThat(three.toArray(ValueLayout.JAVA_BYTE)).isEqualTo(Arrays.copyOf(content, 3 * DmaFile.ALIGNMENT));
                MemorySegment two = DmaFile.allocate(arena, 2L * DmaFile.ALIGNMENT);
                assertThatThrownBy(() -> f.readExactAt(two, 2L * DmaFile.ALIGNMENT).await())
                        .isInstanceOf(UncheckedIOException.class).cause().isInstanceOf(EOFException.class)
                        .hasMessageContaining("at offset " + content.length + " with " + (2 * DmaFile.ALIGNMENT - 4096 - 100));
                assertThatThrownBy(() -> f.readExactAt(two, 100)).isInstanceOf(IllegalArgumentException.class);
                return null;
            }
        });
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void readAllReadsToTheEndOfFileWhateverFstatSays(Driver d) throws Exception {
        Path p = Path.of("/proc/self/cmdline"); // fstat says 0, as for every /proc file
        assumeTrue(Files.isReadable(p), "no " + p + " here");
        byte[] expected = Files.readAllBytes(p);
        assertThat(expected.length).as("this JVM's command line").isGreaterThan(1);
        byte[] got = on(d, () -> {
            try (File f = File.open(p).await()) {
                assertThat(f.size().await()).isZero();
                return f.readAll().await();
            }
        });
        assertThat(got).isEqualTo(expected);
    }

    // ---- the loops' cancel, counted on a handle of probes ----

    /** A handle whose operations stay pending until the test completes them; counts cancels. */
    static final class ProbeHandle extends StubFileHandle {
        final List<Probe<?>> made = new ArrayList<>();

        ProbeHandle() {
            super("probe");
        }

        class Probe<T> implements CancellableFuture<T> {
            final String what;
            T value;
            boolean ready;
            int cancels;

            Probe(String what) {
                this.what = what;
                made.add(this);
            }

            void complete(T v) {
                value = v;
                ready = true;
            }

            @Override
            public Poll<T> poll(Context cx) {
                return ready ? Poll.ready(value) : Poll.pending();
            }

            @Override
            public void cancel() {
                cancels++;
            }
        }

        @SuppressWarnings("unchecked")
        <T> Probe<T> last() {
            return (Probe<T>) made.get(made.size() - 1);
        }

        @Override
        public CancellableFuture<Integer> readAt(ByteBuffer dst, long position) {
            return new Probe<Integer>("readAt " + position) {
                @Override
                void complete(Integer n) {
                    dst.position(dst.position() + Math.max(n, 0));
                    super.complete(n);
                }
            };
        }

        @Override
        public CancellableFuture<Integer> readAt(MemorySegment dst, long position) {
            return new Probe<>("readAt " + position);
        }

        @Override
        public CancellableFuture<Integer> writeAt(ByteBuffer src, long position) {
            return new Probe<Integer>("writeAt " + position) {
                @Override
                void complete(Integer n) {
                    src.position(src.position() + n);
                    super.complete(n);
                }
            };
        }

        @Override
        public CancellableFuture<Integer> writeAt(MemorySegment src, long position) {
            return new Probe<>("writeAt " + position);
        }

        @Override
        public CancellableFuture<Long> size() {
            return new Probe<>("size");
        }

        @Override
        public CancellableFuture<Void> fsync() {
            return new Probe<>("fsync");
        }

    }

    @Test
    void aCancelledLoopCancelsTheOperationInFlightAndNoOther() {
        Context cx = new Context(() -> { });
        for (String loop : List.of("readExactAt", "readExactAt segment", "writeAllAt", "readAll")) {
            ProbeHandle h = new ProbeHandle();
            ByteBuffer buf = ByteBuffer.allocate(100);
            CancellableFuture<?> f = switch (loop) {
                case "readExactAt" -> FileLoops.readExact(h, buf, 0);
                case "readExactAt segment" -> FileLoops.readExact(h, MemorySegment.ofArray(new byte[100]), 0, 1);
                case "writeAllAt" -> FileLoops.writeAll(h, buf, 0);
                default -> FileLoops.readAll(h);
            };
            assertThat(f.poll(cx).isReady()).isFalse();
            if (loop.equals("readAll")) {
                h.<Long>last().complete(100L); // the size; the first read follows
                assertThat(f.poll(cx).isReady()).isFalse();
            }
            h.<Integer>last().complete(40); // the first read or write: 40 bytes; the second is made
            assertThat(f.poll(cx).isReady()).isFalse();
            f.cancel();
            f.cancel(); // idempotent
            List<String> expected = new ArrayList<>();
            if (loop.equals("readAll")) {
                expected.add("size cancelled 0");
            }
            String kind = loop.startsWith("write") ? "writeAt" : "readAt";
            expected.add(kind + " 0 cancelled 0");
            expected.add(kind + " 40 cancelled 1");
            assertThat(h.made.stream().map(p -> p.what + " cancelled " + p.cancels).toList()).as(loop)
                    .containsExactlyElementsOf(expected);
        }
    }

    @Test
    void aReadAllCancelledWhileItAsksTheSizeCancelsThatQuestion() {
        ProbeHandle h = new ProbeHandle();
        CancellableFuture<byte[]> f = FileLoops.readAll(h);
        assertThat(f.poll(new Context(() -> { })).isReady()).isFalse();
        f.cancel();
        assertThat(h.made).singleElement().satisfies(p -> {
            assertThat(p.what).isEqualTo("size");
            assertThat(p.cancels).isEqualTo(1);
        });
    }
}
