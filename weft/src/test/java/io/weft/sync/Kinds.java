package io.weft.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.ExecutorKind;
import io.weft.Weft;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Where the sync suites run: an {@link ExecutorKind} and a family of
 * primitives (local, made by {@code Notify.local()} and the like, or
 * shared, made by {@code Notify.create()}), as the two arguments
 * {@code (ExecutorKind kind, boolean local)} of a test method, named
 * "POOL, local family" in reports.
 *
 * <p>The shared family runs on every kind. The local family serves the
 * tasks of one thread, so it runs on {@link ExecutorKind#LOCAL} and
 * {@link ExecutorKind#POOL} only: a StealingExecutor (of one worker or
 * more) refuses to make a local primitive, which {@code LocalOnStealingTest}
 * checks. A source yields only the combinations that may run, so no test is
 * skipped.
 */
final class Kinds {
    private Kinds() {
    }

    /** Each family on each kind that serves it: both on LOCAL and POOL, the shared one on every StealingExecutor. */
    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @Documented
    @ParameterizedTest(name = "{0}, {1} family")
    @MethodSource("io.weft.sync.Kinds#everyKind")
    @interface Every {
    }

    /**
     * As {@link Every}, on the kinds whose tasks' children run on their
     * thread ({@link ExecutorKind#SAME_THREAD}): for a test that orders
     * events by yields (a task aborted after its wake and before it runs
     * again, children queued in the order they were spawned), which a second
     * worker running the children beside their parent would race. Such a
     * test says why at its declaration.
     */
    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @Documented
    @ParameterizedTest(name = "{0}, {1} family")
    @MethodSource("io.weft.sync.Kinds#sameThread")
    @interface SameThread {
    }

    /** Every kind, as the one argument {@code ExecutorKind kind}: for a test of the shared family only. */
    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @Documented
    @ParameterizedTest(name = "{0}")
    @EnumSource(ExecutorKind.class)
    @interface Shared {
    }

    /** LOCAL and POOL, as the one argument {@code ExecutorKind kind}: for a test of the local family only. */
    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @Documented
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ExecutorKind.class, names = {"LOCAL", "POOL"})
    @interface Local {
    }

    static Stream<Arguments> everyKind() {
        return combinations(Arrays.asList(ExecutorKind.values()));
    }

    static Stream<Arguments> sameThread() {
        return combinations(Arrays.stream(ExecutorKind.SAME_THREAD.split(",\\s*")).map(ExecutorKind::valueOf).toList());
    }

    /** Whether {@code kind} serves the local family: its tasks never leave their thread. */
    static boolean servesLocal(ExecutorKind kind) {
        return kind == ExecutorKind.LOCAL || kind == ExecutorKind.POOL;
    }

    private static Stream<Arguments> combinations(List<ExecutorKind> kinds) {
        return kinds.stream().flatMap(kind -> Stream.of(true, false)
                .filter(local -> !local || servesLocal(kind))
                .map(local -> Arguments.of(kind, Named.of(local ? "local" : "shared", local))));
    }

    /** Runs {@code body} as the root task of a new executor of {@code kind}, which is closed after. */
    static <T> T run(ExecutorKind kind, Callable<T> body) {
        try (var ex = kind.open()) {
            return ex.run(body);
        }
    }

    /**
     * Yields ten times: on the {@link ExecutorKind#SAME_THREAD} kinds, enough
     * for every task ready on this thread to run to its next await, also for
     * tasks that a task made ready only in its own turn (one yield lets run
     * what was ready when it yielded). On
     * {@link ExecutorKind#STEALING_2} it promises nothing: a task may be
     * running on the other worker meanwhile, so there only a check of what
     * must not have happened may follow it.
     */
    static void settle() {
        for (int i = 0; i < 10; i++) {
            Weft.yieldNow().await();
        }
    }

    /**
     * Yields until the predicate holds, for at most 10 seconds (a failing
     * assertion, never a hang). Bounded by time, not by a count of yields: on
     * {@link ExecutorKind#STEALING_2} what it waits for may be done by a task
     * on the other worker, which a count of yields does not wait for.
     */
    static void yieldUntil(BooleanSupplier cond) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!cond.getAsBoolean() && System.nanoTime() - deadline < 0) {
            Weft.yieldNow().await();
        }
        assertThat(cond.getAsBoolean()).as("condition reached within 10 s of yields").isTrue();
    }
}
