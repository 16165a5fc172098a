package io.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.sync.Notify;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Task locals on every executor kind: each task sees its own binding across awaits, and no other task's. */
class TaskLocalTest {
    static final TaskLocal<String> REQUEST = TaskLocal.newInstance("request");

    @EveryKind
    void manyTasksTakingTurnsEachSeeTheirOwnValueAcrossAwaits(ExecutorKind kind) {
        try (var ex = kind.open()) {
            List<String> wrong = ex.run(() -> {
                List<String> seenWrong = new CopyOnWriteArrayList<>();
                List<JoinHandle<Object>> hs = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    String mine = "req-" + i;
                    hs.add(Weft.spawn(() -> REQUEST.where(mine, () -> {
                        for (int k = 0; k < 100; k++) {
                            Weft.yieldNow().await();
                            if (k % 10 == 0) {
                                Weft.sleep(java.time.Duration.ZERO).await();
                            }
                            if (!mine.equals(REQUEST.get())) {
                                seenWrong.add(mine + " saw " + REQUEST.get());
                            }
                        }
                        return null;
                    })));
                }
                hs.add(Weft.spawn(() -> {
                    for (int k = 0; k < 100; k++) {
                        Weft.yieldNow().await();
                        if (REQUEST.isBound()) {
                            seenWrong.add("an unbound task saw " + REQUEST.get());
                        }
                    }
                    return null;
                }));
                for (var h : hs) {
                    h.await();
                }
                return seenWrong;
            });
            assertThat(wrong).isEmpty();
        }
    }

    /**
     * A map function runs inside the poll that finds its source ready: the
     * first poll is the body's own await, a later one (after the source was
     * pending) is the executor's re-poll of what the task awaits. Both see
     * the task's bindings.
     */
    @EveryKind
    void aMapFunctionSeesTheBindingsOfTheTaskThatAwaitsIt(ExecutorKind kind) {
        try (var ex = kind.open()) {
            List<String> seen = ex.run(() -> Weft.spawn(() -> REQUEST.where("R", () -> {
                List<String> s = new ArrayList<>();
                s.add(Futures.ready(1).map(v -> REQUEST.orElse("unbound at the first poll")).await());
                s.add(Weft.yieldNow().map(v -> REQUEST.orElse("unbound at the re-poll")).await());
                s.add(Weft.sleep(java.time.Duration.ofMillis(1)).map(v -> REQUEST.orElse("unbound after a sleep"))
                        .await());
                return s;
            })).await());
            assertThat(seen).containsExactly("R", "R", "R");
        }
    }

    @ParameterizedTest(name = "on {0}")
    @EnumSource(names = {"LOCAL", "POOL", "STEALING_1"}) // ExecutorKind.SAME_THREAD: the two tasks share one thread
    void whereAThreadLocalLeaksToTheNextTaskOnTheThreadATaskLocalDoesNot(ExecutorKind kind) {
        ThreadLocal<String> threadLocal = new ThreadLocal<>();
        try (var ex = kind.open()) {
            String[] seenByB = ex.run(() -> {
                Notify gate = Notify.create();
                var a = Weft.spawn(() -> REQUEST.where("A", () -> {
                    threadLocal.set("A");
                    gate.notified().await(); // suspended, its bindings set
                    return REQUEST.get();
                }));
                Weft.yieldNow().await(); // a runs and suspends
                var b = Weft.spawn(() -> new String[] {threadLocal.get(), REQUEST.orElse("unbound")});
                String[] r = b.await();
                gate.notifyWaiters();
                assertThat(a.await()).as("A's own binding, after its await").isEqualTo("A");
                return r;
            });
            assertThat(seenByB[0]).as("the trap: a ThreadLocal belongs to the thread").isEqualTo("A");
            assertThat(seenByB[1]).isEqualTo("unbound");
        } finally {
            threadLocal.remove();
        }
    }

    @EveryKind
    void bindingsNestAndComeBackWhenTheBodyReturnsOrThrows(ExecutorKind kind) {
        try (var ex = kind.open()) {
            List<String> seen = ex.run(() -> {
                List<String> s = new ArrayList<>();
                s.add(REQUEST.orElse("none"));
                REQUEST.where("outer", () -> {
                    s.add(REQUEST.get());
                    REQUEST.where("inner", () -> {
                        Weft.yieldNow().await();
                        s.add(REQUEST.get());
                        return null;
                    });
                    s.add(REQUEST.get());
                    try {
                        REQUEST.where("failing", () -> {
                            throw new IllegalStateException("boom");
                        });
                    } catch (IllegalStateException expected) {
                        s.add(REQUEST.get());
                    }
                    REQUEST.where(null, () -> s.add(String.valueOf(REQUEST.isBound()) + "/" + REQUEST.get()));
                    return null;
                });
                s.add(REQUEST.orElse("none"));
                return s;
            });
            assertThat(seen).containsExactly("none", "outer", "inner", "outer", "outer", "true/null", "none");
        }
    }

    @EveryKind
    void aSpawnedTaskDoesNotInheritItsSpawnersBindings(ExecutorKind kind) {
        try (var ex = kind.open()) {
            boolean childBound = ex.run(() -> REQUEST.where("parent", () -> Weft.spawn(REQUEST::isBound).await()));
            assertThat(childBound).isFalse();
        }
    }

    @Test
    void outsideATaskItSaysWhereItBelongs() {
        assertThatThrownBy(REQUEST::get).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("TaskLocal 'request'.get called outside a weft coroutine task");
        try (var ex = LocalExecutor.create()) {
            assertThatThrownBy(() -> ex.run(REQUEST::get)).isInstanceOf(NoSuchElementException.class)
                    .hasMessageContaining("'request' is not bound in this task");
        }
    }
}
