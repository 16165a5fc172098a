package io.weft;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.coro.AwaitChecks;
import io.weft.diag.WeftEvents;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import jdk.jfr.Configuration;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;

/** weft's JFR events, read back with a RecordingStream. */
class JfrEventsTest {

    /** Starts a stream with {@code events} on, runs {@code body}, and returns the events once {@code done} holds. */
    static List<RecordedEvent> record(List<String> events, Runnable body, Predicate<List<RecordedEvent>> done)
            throws InterruptedException {
        List<RecordedEvent> got = new CopyOnWriteArrayList<>();
        try (var rs = new RecordingStream()) {
            for (String e : events) {
                rs.enable(e).withPeriod(Duration.ofMillis(100));
                rs.onEvent(e, got::add);
            }
            rs.startAsync();
            body.run();
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (!done.test(got) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
                Thread.yield();
            }
        }
        return got;
    }

    @Test
    void aThirtyMillisecondPollWithATenMillisecondThresholdGivesOneSlowPollNamingTheTask() throws Exception {
        WeftEvents.slowPollThreshold(Duration.ofMillis(10));
        List<RecordedEvent> got = record(List.of("io.weft.SlowPoll"), () -> {
            try (var ex = LocalExecutor.builder().name("jfr-local").build()) {
                ex.run(() -> {
                    for (int i = 0; i < 100; i++) {
                        int v = i;
                        Weft.spawn(() -> v).await();
                    }
                    return Weft.spawn("slow-one", () -> {
                        StallDetectorTest.spinFor(30);
                        return null;
                    }).await();
                });
            }
        }, g -> g.stream().anyMatch(e -> e.getString("task").startsWith("slow-one")));
        List<RecordedEvent> slow = got.stream().filter(e -> e.getString("task").startsWith("slow-one")).toList();
        assertThat(slow).hasSize(1);
        assertThat(slow.get(0).getString("executor")).isEqualTo("jfr-local");
        assertThat(slow.get(0).getDuration("pollTime")).isGreaterThanOrEqualTo(Duration.ofMillis(30));
    }

    @Test
    void aStallIsRecordedWhileItLastsAndWhenItEnds() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean told = new java.util.concurrent.atomic.AtomicBoolean();
        List<RecordedEvent> got = record(List.of("io.weft.Stall"), () -> {
            try (var ex = StealingExecutor.builder().name("jfr-steal").workers(1)
                    .detectStalls(Duration.ofMillis(20)).onStall(s -> told.set(true)).build()) {
                ex.blockOn(() -> {
                    StallDetectorTest.spinFor(80, told::get);
                    return null;
                });
            }
        }, g -> g.size() >= 2);
        assertThat(got).extracting(e -> e.getBoolean("ended")).containsExactly(false, true);
        assertThat(got.get(0).getString("executor")).isEqualTo("jfr-steal-0");
        assertThat(got.get(0).getString("stack")).contains("spinFor");
    }

    @Test
    void everyExecutorReportsItsCountersPeriodically() throws Exception {
        try (var ex = LocalExecutor.builder().name("jfr-stats").start()) {
            ex.spawn(() -> 1).await();
            List<RecordedEvent> got = record(List.of("io.weft.ExecutorStatistics"), () -> { },
                    g -> g.stream().anyMatch(e -> e.getString("executor").equals("jfr-stats")));
            RecordedEvent e = got.stream().filter(x -> x.getString("executor").equals("jfr-stats")).findFirst()
                    .orElseThrow();
            assertThat(e.getLong("tasksSpawned")).isGreaterThanOrEqualTo(1);
            assertThat(e.getLong("tasksCompleted")).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void anAwaitRefusedByTheDebugCheckIsRecorded() throws Exception {
        AwaitChecks.enable(true);
        try {
            Object lock = new Object();
            List<RecordedEvent> got = record(List.of("io.weft.AwaitPinned"), () -> {
                try (var ex = LocalExecutor.create()) {
                    ex.run(() -> {
                        try {
                            synchronized (lock) {
                                Weft.yieldNow().await();
                            }
                        } catch (IllegalStateException expected) {
                            // refused: recorded
                        }
                        return null;
                    });
                }
            }, g -> !g.isEmpty());
            assertThat(got).hasSize(1);
            assertThat(got.get(0).getString("lock")).startsWith("monitor java.lang.Object@");
        } finally {
            AwaitChecks.enable(false);
        }
    }

    @Test
    void theSettingsFileInTheJarTurnsOnEveryWeftEvent() throws Exception {
        try (var in = LocalExecutor.class.getResourceAsStream("/weft.jfc")) {
            assertThat(in).as("weft.jfc at the root of the jar").isNotNull();
            Configuration c = Configuration.create(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String name : WeftEvents.names()) {
                assertThat(c.getSettings()).containsEntry(name + "#enabled", "true");
            }
        }
    }
}
