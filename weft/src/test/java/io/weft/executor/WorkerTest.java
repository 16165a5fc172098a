package io.weft.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.LocalExecutor;
import io.weft.Weft;
import io.weft.sync.Channel;
import io.weft.sync.Mutex;
import io.weft.task.CurrentLoop;
import java.lang.reflect.Proxy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The seam every executor kind implements: how the API finds the executor running here. */
class WorkerTest {

    @Test
    void outsideAnyExecutorTheCallIsNamedInTheError() {
        assertThat(Worker.currentOrNull()).isNull();
        assertThatThrownBy(() -> Weft.sleep(Duration.ofMillis(1))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Weft.sleep called outside a weft executor");
    }

    @Test
    void inATaskTheWorkerIsTheLocalExecutorsAndGoesWhenItsLoopLeaves() {
        try (LocalExecutor ex = LocalExecutor.builder().name("seam").build()) {
            Worker seen = ex.run(() -> {
                Worker w = Worker.current("test");
                assertThat(w.name()).isEqualTo("seam");
                assertThat(w.facade()).isSameAs(Weft.current());
                assertThat(w.tasksStayOnThread()).isTrue();
                return w;
            });
            assertThat(seen.facade()).isSameAs(ex);
            assertThat(CurrentLoop.get()).as("cleared when run returns").isNull();
        }
    }

    @Test
    void localPrimitivesAreRefusedOnAWorkerWhoseTasksMayMove() {
        Worker moving = (Worker) Proxy.newProxyInstance(Worker.class.getClassLoader(), new Class<?>[] {Worker.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "name" -> "a stealing worker";
                    case "tasksStayOnThread" -> false;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        CurrentLoop.enter(moving);
        try {
            assertThatThrownBy(() -> Channel.localBounded(1)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("a stealing worker").hasMessageContaining("tasks may move")
                    .hasMessageContaining("use the shared one");
            assertThatThrownBy(() -> Mutex.local(0)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("tasks may move");
            assertThat(Channel.bounded(1)).as("the shared family works there").isNotNull();
            assertThat(Mutex.create(0)).isNotNull();
        } finally {
            CurrentLoop.exit();
        }
    }
}
