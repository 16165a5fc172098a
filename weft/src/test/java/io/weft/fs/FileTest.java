package io.weft.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.weft.Driver;
import io.weft.LocalExecutor;
import io.weft.Weft;
import io.weft.io.Drivers;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.zip.CRC32;
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
    void aMissingFileIsNoSuchFileWithThePath(Driver d) {
        Path p = dir.resolve("missing");
        Throwable t = on(d, () -> {
            try {
                File.open(p).await();
                return null;
            } catch (UncheckedIOException e) {
                return e.getCause();
            }
        });
        assertThat(t).isInstanceOf(NoSuchFileException.class).hasMessageContaining(p.toString());
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void aFileWeMayNotOpenIsAccessDeniedWithThePath(Driver d) throws Exception {
        Path p;
        java.nio.file.OpenOption mode;
        if ("root".equals(System.getProperty("user.name"))) {
            // root passes every permission bit; a read-only sysfs attribute refuses writing with EACCES even to root
            p = Path.of("/sys/devices/system/cpu/online");
            assumeTrue(Files.exists(p), "no " + p + " here");
            mode = StandardOpenOption.WRITE;
        } else {
            p = dir.resolve("secret");
            Files.write(p, new byte[] {1});
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("---------"));
            mode = StandardOpenOption.READ;
        }
        Throwable t = on(d, () -> {
            try {
                File.open(p, mode).await();
                return null;
            } catch (UncheckedIOException e) {
                return e.getCause();
            }
        });
        assertThat(t).isInstanceOf(AccessDeniedException.class).hasMessageContaining(p.toString());
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void aClosedFileRefusesOperations(Driver d) throws Exception {
        Path p = dir.resolve("closed");
        Files.write(p, new byte[] {1, 2, 3});
        Throwable t = on(d, () -> {
            File f = File.open(p).await();
            f.close();
            f.close(); // idempotent
            try {
                f.readAt(ByteBuffer.allocate(3), 0).await();
                return null;
            } catch (UncheckedIOException e) {
                return e.getCause();
            }
        });
        assertThat(t).isInstanceOf(java.nio.channels.ClosedChannelException.class);
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
}
