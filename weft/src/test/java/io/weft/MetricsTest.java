package io.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.sync.Channel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** tokio's runtime metrics on every executor kind: each counter moves when what it counts happens. */
class MetricsTest {

    static long sum(List<ExecutorMetrics> ms, ToLongFunction<ExecutorMetrics> f) {
        return ms.stream().mapToLong(f).sum();
    }

    @EveryKind
    void spawnsPollsAndCompletionsAreCounted(ExecutorKind kind) {
        try (var ex = kind.open()) {
            List<ExecutorMetrics> before = ex.metrics();
            ex.run(() -> {
                List<JoinHandle<Integer>> hs = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    int v = i;
                    hs.add(Weft.spawn(() -> {
                        Weft.yieldNow().await();
                        return v;
                    }));
                }
                for (var h : hs) {
                    h.await();
                }
                return null;
            });
            List<ExecutorMetrics> after = ex.metrics();
            assertThat(sum(after, ExecutorMetrics::tasksSpawned) - sum(before, ExecutorMetrics::tasksSpawned))
                    .as("the 100 children (a StealingExecutor's root came from outside: no worker spawned it)")
                    .isGreaterThanOrEqualTo(100);
            assertThat(sum(after, ExecutorMetrics::tasksCompleted) - sum(before, ExecutorMetrics::tasksCompleted))
                    .isGreaterThanOrEqualTo(100);
            assertThat(sum(after, ExecutorMetrics::polls) - sum(before, ExecutorMetrics::polls))
                    .as("each child twice (it yields once)").isGreaterThanOrEqualTo(200);
            assertThat(after).allSatisfy(m -> {
                assertThat(m.executor()).isNotBlank();
                assertThat(m.pollTimes()).isEqualTo(PollTimes.NONE);
            });
        }
    }

    @EveryKind
    void aTaskThatSpendsItsBudgetIsCountedAsAForcedYield(ExecutorKind kind) {
        try (var ex = kind.open()) {
            long before = sum(ex.metrics(), ExecutorMetrics::budgetForcedYields);
            ex.run(() -> {
                Channel<Integer> ch = Channel.unbounded();
                for (int i = 0; i < 1_000; i++) {
                    ch.sender().trySend(i);
                }
                var rx = ch.receiver();
                for (int i = 0; i < 1_000; i++) {
                    rx.recv().await(); // ready every time: the budget (128 a poll) makes it yield now and then
                }
                return null;
            });
            assertThat(sum(ex.metrics(), ExecutorMetrics::budgetForcedYields) - before).isGreaterThanOrEqualTo(7);
        }
    }

    @EveryKind
    void thePollTimeHistogramHoldsEveryPollInItsBucket(ExecutorKind kind) {
        try (var ex = kind.open(new ExecutorKind.Settings(null, null, null, true))) {
            ex.run(() -> Weft.spawn(() -> {
                for (int i = 0; i < 10; i++) {
                    StallDetectorTest.spinFor(3);
                    Weft.yieldNow().await();
                }
                return null;
            }).await());
            PollTimes times = ex.metrics().stream().map(ExecutorMetrics::pollTimes)
                    .max(java.util.Comparator.comparingLong(PollTimes::total)).orElseThrow();
            List<ExecutorMetrics> ms = ex.metrics();
            long total = sum(ms, m -> m.pollTimes().total());
            long polls = sum(ms, ExecutorMetrics::polls);
            // every poll, but the root's last one on a thread that woke us before it recorded that poll's time
            assertThat(total).as("every poll").isBetween(polls - ms.size(), polls);
            assertThat(times.quantileNanos(1.0)).as("the 3 ms polls").isGreaterThanOrEqualTo(3_000_000);
        }
    }

    @ParameterizedTest(name = "on {0}")
    @EnumSource(names = {"STEALING_1", "STEALING_2"})
    void aFullLocalQueueSendingHalfToTheSharedQueueIsAnOverflow(ExecutorKind kind) {
        try (var ex = kind.open()) {
            // With one worker the first burst overflows. With two, the other worker may steal as fast as this one
            // spawns, so a burst may not fill the queue: bursts until one does.
            int bursts = 0;
            do {
                bursts++;
                ex.run(() -> {
                    List<JoinHandle<Integer>> hs = new ArrayList<>();
                    for (int i = 0; i < 1_000; i++) { // no await in between: the local queue (256) fills
                        hs.add(Weft.spawn(() -> 1));
                    }
                    for (var h : hs) {
                        h.await();
                    }
                    return null;
                });
            } while (sum(ex.metrics(), ExecutorMetrics::overflows) == 0 && bursts < 100);
            assertThat(sum(ex.metrics(), ExecutorMetrics::overflows)).isGreaterThanOrEqualTo(1);
            if (kind == ExecutorKind.STEALING_1) {
                assertThat(bursts).isEqualTo(1);
            }
        }
    }

    @Test
    void anIdleExecutorShowsOneParkMoreThanUnparks() {
        try (var ex = LocalExecutor.builder().start()) {
            ex.spawn(() -> 1).await();
            long deadline = System.nanoTime() + 10_000_000_000L;
            ExecutorMetrics m;
            do {
                assertThat(System.nanoTime()).as("the loop parks within 10 s").isLessThan(deadline);
                Thread.onSpinWait();
                m = ex.metrics();
            } while (m.parks() != m.unparks() + 1);
            assertThat(m.parks()).isPositive();
            ex.spawn(() -> 2).await(); // wakes it: an unpark
            assertThat(ex.metrics().unparks()).isGreaterThanOrEqualTo(m.unparks() + 1);
        }
    }

    @Test
    void theReactorsCompletionsAreCounted() throws Exception {
        try (var ex = LocalExecutor.create()) {
            long n = ex.run(() -> {
                try (var l = io.weft.net.TcpListener.bind(new java.net.InetSocketAddress("127.0.0.1", 0))) {
                    var server = Weft.spawn(() -> {
                        try (var s = l.accept().await()) {
                            var buf = java.nio.ByteBuffer.allocate(4);
                            s.readExact(buf).await();
                            s.writeAll(buf.flip()).await();
                        }
                        return null;
                    });
                    try (var c = io.weft.net.TcpStream.connect(l.localAddress()).await()) {
                        c.writeAll(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3, 4})).await();
                        c.readExact(java.nio.ByteBuffer.allocate(4)).await();
                    }
                    server.await();
                }
                return Weft.current().metrics().reactorCompletions();
            });
            assertThat(n).isPositive();
        }
    }

    @Test
    void aQuantileOutsideZeroToOneIsRefused() {
        assertThatThrownBy(() -> PollTimes.NONE.quantileNanos(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be in (0, 1]");
        assertThat(PollTimes.NONE.quantileNanos(0.5)).isZero();
    }
}
