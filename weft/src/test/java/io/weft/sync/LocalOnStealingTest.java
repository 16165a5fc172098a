package io.weft.sync;

import static io.weft.sync.Kinds.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.weft.ExecutorKind;
import io.weft.LocalExecutor;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The local family on a StealingExecutor (STEALING_1 and STEALING_2), whose
 * tasks may move between its workers: every local constructor throws
 * {@link IllegalStateException} in its tasks, naming what was made, the
 * executor, and the remedy (the shared family); a local primitive made on a
 * LocalExecutor is refused when a worker uses it. The local family's own
 * suites run on LOCAL and POOL (see {@link Kinds}).
 */
class LocalOnStealingTest {

    /** Each local constructor, and the name its refusal gives. */
    private static final Map<String, Runnable> CONSTRUCTORS = Map.ofEntries(
            Map.entry("Channel.localBounded", () -> Channel.localBounded(1)),
            Map.entry("Channel.localUnbounded", Channel::localUnbounded),
            Map.entry("Notify.local", Notify::local),
            Map.entry("Semaphore.local", () -> Semaphore.local(1)),
            Map.entry("Mutex.local", () -> Mutex.local(0)),
            Map.entry("RwLock.local", () -> RwLock.local(0)),
            Map.entry("Barrier.local", () -> Barrier.local(2)),
            Map.entry("Broadcast.local", () -> Broadcast.local(2)),
            Map.entry("Watch.local", () -> Watch.local(0)),
            Map.entry("CancellationToken.local", CancellationToken::local),
            Map.entry("Oneshot.local", Oneshot::local));

    /** The shared constructor each refusal names. */
    private static final Map<String, String> SHARED = Map.ofEntries(
            Map.entry("Channel.localBounded", "Channel.bounded"),
            Map.entry("Channel.localUnbounded", "Channel.unbounded"),
            Map.entry("Notify.local", "Notify.create"),
            Map.entry("Semaphore.local", "Semaphore.create"),
            Map.entry("Mutex.local", "Mutex.create"),
            Map.entry("RwLock.local", "RwLock.create"),
            Map.entry("Barrier.local", "Barrier.create"),
            Map.entry("Broadcast.local", "Broadcast.create"),
            Map.entry("Watch.local", "Watch.create"),
            Map.entry("CancellationToken.local", "CancellationToken.create"),
            Map.entry("Oneshot.local", "Oneshot.create"));

    static Stream<Arguments> constructorsOnStealingKinds() {
        return Stream.of(ExecutorKind.STEALING_1, ExecutorKind.STEALING_2).flatMap(kind ->
                CONSTRUCTORS.entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .map(e -> Arguments.of(kind, Named.of(e.getKey(), e))));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("constructorsOnStealingKinds")
    void aLocalConstructorThrowsInATaskOfAStealingExecutorAndNamesTheSharedFamily(
            ExecutorKind kind, Map.Entry<String, Runnable> constructor) {
        String made = constructor.getKey();
        Throwable refused = run(kind, () -> catchThrowable(constructor.getValue()::run));
        assertThat(refused).as("%s on %s", made, kind).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith(made + " made in a task of kind-steal")
                .hasMessageContaining("whose tasks may move between threads")
                .hasMessageEndingWith("use the shared one, " + SHARED.get(made));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stealingKinds")
    void aLocalPrimitiveMadeOnALocalExecutorIsRefusedInATaskOfAStealingExecutor(ExecutorKind kind) {
        Notify n;
        try (var ex = LocalExecutor.create()) {
            n = ex.run(Notify::local);
        }
        Throwable refused = run(kind, () -> catchThrowable(n::notifyOne));
        assertThat(refused).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Notify.local belongs to executor")
                .hasMessageContaining("used from thread kind-steal")
                .hasMessageContaining("use the shared one");
    }

    static Stream<ExecutorKind> stealingKinds() {
        return Stream.of(ExecutorKind.STEALING_1, ExecutorKind.STEALING_2);
    }
}
