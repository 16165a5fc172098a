package io.weft;

import static io.weft.FuturesTest.thrown;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How tasks are named in messages and reports: the name given at spawn, else their sequence number. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard, not a speed limit
class TaskNamesTest {

    private static LocalExecutor recording(List<String> reports) {
        return LocalExecutor.builder().onUnobservedFailure((name, e) -> reports.add(name + ": " + e.getMessage()))
                .build();
    }

    @Test
    void anUnnamedTaskIsItsSequenceNumberOnItsExecutorInMessagesAndReports() {
        List<String> reports = new CopyOnWriteArrayList<>();
        try (var ex = recording(reports)) {
            ex.run(() -> { // the root is #1
                JoinHandle<Integer> failing = Weft.spawn(() -> {
                    throw new IllegalStateException("boom");
                });
                JoinHandle<Integer> aborted = Weft.spawn(() -> new Probes.Gate<Integer>().await());
                assertThat(List.of(failing.toString(), aborted.toString())).containsExactly("#2", "#3");
                Weft.yieldNow().await();
                aborted.abort();
                assertThat(thrown(failing::await)).isInstanceOf(TaskFailedException.class)
                        .hasMessage("task #2 failed: java.lang.IllegalStateException: boom");
                assertThat(thrown(aborted::await)).isInstanceOf(TaskCancelledException.class)
                        .hasMessage("task #3 was cancelled");
                Weft.spawn(() -> {
                    throw new IllegalStateException("dropped");
                });
                Weft.yieldNow().await(); // #4 fails; nobody awaits it
                return null;
            });
        }
        assertThat(reports).containsExactly("#4: dropped");
    }

    @Test
    void aTaskSpawnedFromAnotherThreadGetsItsNumberWhenTheExecutorAdmitsIt() {
        try (var ex = LocalExecutor.create()) {
            JoinHandle<Integer> h = ex.spawn(() -> 1);
            assertThat(h).hasToString("#?");
            assertThat(ex.run(h::await)).isEqualTo(1);
            assertThat(h.toString()).as("admitted at run(), before the root").isEqualTo("#1");
        }
    }

    @Test
    void scopesSetsAndExecutorsSpawnNamedTasks() throws Exception {
        List<String> reports = new CopyOnWriteArrayList<>();
        try (var ex = recording(reports)) {
            ex.spawn("from-outside", () -> {
                throw new IllegalStateException("x");
            });
            ex.run(() -> {
                try (var scope = TaskScope.open()) {
                    JoinHandle<Integer> h = scope.spawn("scoped", () -> new Probes.Gate<Integer>().await());
                    assertThat(h).hasToString("scoped");
                }
                try (var set = new JoinSet<Integer>()) {
                    set.spawn("in-a-set", () -> {
                        throw new IllegalStateException("y");
                    });
                    assertThat(thrown(() -> set.next().await())).hasMessageStartingWith("task in-a-set failed");
                }
                return null;
            });
            assertThat(thrown(() -> ex.spawn(null, () -> 1))).isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("task name");
            ex.run(() -> {
                assertThat(thrown(() -> new JoinSet<Integer>().spawn(null, () -> 1)))
                        .isInstanceOf(NullPointerException.class).hasMessageContaining("task name");
                try (var scope = TaskScope.open()) {
                    assertThat(thrown(() -> scope.spawn(null, () -> 1)))
                            .isInstanceOf(NullPointerException.class).hasMessageContaining("task name");
                }
                return null;
            });
        }
        assertThat(reports).containsExactly("from-outside: x");
    }
}
