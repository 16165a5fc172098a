package io.weft.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static io.weft.fs.FileTest.on;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.weft.Driver;
import io.weft.LocalExecutor;
import io.weft.Weft;
import io.weft.io.Drivers;
import io.weft.time.TimedOutException;
import io.weft.time.Timeout;
import java.io.FileOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An open given up while it waits closes the descriptor it gets anyway, on
 * every driver. Opening a FIFO for reading waits (on the blocking pool)
 * until a writer opens it, so the open is surely pending when its Timeout
 * fires; the writer then lets it finish, and nobody may be left holding
 * the descriptor.
 */
@org.junit.jupiter.api.Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES,
        threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
class FileCancelTest {
    @TempDir
    Path dir;

    /** Descriptors of this process open on {@code file} (other descriptors may come and go meanwhile). */
    static long openOn(Path file) throws Exception {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(file);
                } catch (Exception e) {
                    return false; // closed meanwhile, or not a link
                }
            }).count();
        }
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void anOpenThatTimesOutClosesWhatItOpens(Driver d) throws Exception {
        String why = Drivers.whyNot(d);
        assumeTrue(why == null, () -> d + " driver unavailable here: " + why);
        Path fifo = dir.resolve("fifo");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assumeTrue(mk.waitFor() == 0, "mkfifo is needed to make an open that waits");
        try (LocalExecutor ex = LocalExecutor.builder().driver(d).build()) {
            ex.run(() -> {
                for (int i = 0; i < 5; i++) {
                    assertThatThrownBy(() -> Timeout.of(Duration.ofMillis(20), File.open(fifo)).await())
                            .isInstanceOf(TimedOutException.class);
                    try (FileOutputStream writer = new FileOutputStream(fifo.toFile())) {
                        // opening the writer ends the pending open on the pool; its discard closes the reader
                        for (int t = 0; t < 500 && openOn(fifo) > 1; t++) {
                            Weft.sleep(Duration.ofMillis(10)).await();
                        }
                        assertThat(openOn(fifo)).as("only the writer is open on the FIFO").isEqualTo(1);
                    }
                }
                assertThat(openOn(fifo)).isZero();
                return null;
            });
        }
    }

    /**
     * A file left open when its executor closes does not stay open for the
     * life of the process: io_uring's close closes it with its sockets (it
     * was never registered, and nothing ever closed it); on epoll and nio
     * the JDK's FileChannel is closed once nothing holds it.
     */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void aFileLeftOpenIsClosedOnceItsExecutorClosed(Driver d) throws Exception {
        Path p = dir.resolve("left-open");
        Files.write(p, new byte[16]);
        on(d, () -> {
            File.open(p, StandardOpenOption.READ).await(); // never closed by its task
            assertThat(openOn(p)).isEqualTo(1);
            return null;
        });
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (openOn(p) > 0 && System.nanoTime() < deadline) {
            System.gc(); // epoll, nio: the FileChannel's cleaner closes it once it is unreachable
            Thread.onSpinWait();
        }
        assertThat(openOn(p)).as("descriptors still open on the file").isZero();
    }
}
