package io.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.CancelCases.Case;
import io.weft.CancelCases.Named;
import io.weft.time.TimedOutException;
import io.weft.time.Timeout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every leaf future x every way to give up on it x whether the primitive had
 * already handed it what it waited for: afterwards nothing is lost (the
 * case's own check), no timer is left in the wheel and no task is left on
 * the executor; on each executor kind where the test task's children share
 * its thread (see {@link #matrix}). The I/O leaves have the same matrix per driver in
 * {@code io.weft.net.CancelIoTest}.
 */
@org.junit.jupiter.api.Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES,
        threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
class CancelMatrixTest {

    /** How the waiter gives up on the leaf. */
    enum GiveUp {
        /** {@code Timeout.of(1 ms, leaf)} expires. */
        TIMEOUT,
        /** {@code Futures.select(gate, leaf)}: the gate wins. */
        SELECT_LOST,
        /** {@code Futures.race(gate, leaf)}: the gate wins. */
        RACE_LOST,
        /** {@code Futures.join(failing, leaf)}: the other child fails. */
        JOIN_FAILED,
        /** {@code Futures.firstSuccessful(gate, leaf)}: the gate succeeds first. */
        FIRST_SUCCESS_LOST,
        /** The task awaiting the leaf is aborted. */
        ABORT,
        /** The leaf is awaited by a child of a TaskScope that closes. */
        SCOPE_CLOSE,
        /** The leaf is awaited by a child of a first-success scope whose other child succeeds first. */
        SCOPE_FIRST_SUCCESS,
        /** The leaf is a task of its own ({@code Weft.spawn(future)}), which is aborted. */
        SPAWNED_ABORT
    }

    /** What the leaf is wrapped in before it is given up. */
    enum Wrap {
        RAW(f -> f),
        MAP(f -> f.map(v -> v)),
        THEN(f -> f.then(Futures::ready));

        final UnaryOperator<Future<Object>> apply;

        Wrap(UnaryOperator<Future<Object>> apply) {
            this.apply = apply;
        }
    }

    /**
     * On a LocalExecutor every case; on a pool's executor and on a one-worker
     * StealingExecutor (kinds where the test task's children share its
     * thread, as {@link CancelCases#settle} needs) every case that kind
     * allows: a StealingExecutor refuses the local primitives (and see below).
     */
    static Stream<Arguments> matrix() {
        List<Arguments> all = new ArrayList<>();
        for (ExecutorKind kind : List.of(ExecutorKind.LOCAL, ExecutorKind.POOL, ExecutorKind.STEALING_1)) {
            boolean stealing = kind == ExecutorKind.STEALING_1;
            for (Named c : CancelCases.all()) {
                if (stealing && c.name().startsWith("local ")) {
                    continue;
                }
                for (GiveUp g : GiveUp.values()) {
                    for (Wrap w : Wrap.values()) {
                        all.add(Arguments.of(kind, c, g, w, false));
                        // SCOPE_FIRST_SUCCESS granted needs the winner spawned before the grant to run before the
                        // woken leaf: a LocalExecutor's one FIFO queue keeps that order, a StealingExecutor (which
                        // runs its new and its woken tasks in turn, as tokio) does not.
                        if (c.grantable() && g != GiveUp.TIMEOUT && !(stealing && g == GiveUp.SCOPE_FIRST_SUCCESS)) {
                            all.add(Arguments.of(kind, c, g, w, true));
                        }
                    }
                }
            }
        }
        return all.stream();
    }

    static final class Marker extends RuntimeException {
        Marker() {
            super("the other child of the join failed");
        }
    }

    @ParameterizedTest(name = "on {0}: {1} given up by {2} ({3}), granted first: {4}")
    @MethodSource("matrix")
    void nothingIsLost(ExecutorKind kind, Named c, GiveUp giveUp, Wrap wrap, boolean granted) {
        try (var ex = kind.open()) {
            ex.run(() -> {
                int timersBefore = CancelCases.armedTimers();
                Case k = c.make().get();
                @SuppressWarnings("unchecked")
                Future<Object> leaf = wrap.apply.apply((Future<Object>) k.pending());
                if (giveUp == GiveUp.SCOPE_CLOSE) {
                    try (TaskScope scope = TaskScope.open()) {
                        scope.spawn(() -> leaf.await());
                        CancelCases.settle();
                        if (granted) {
                            k.grant();
                        }
                    }
                } else if (giveUp == GiveUp.SCOPE_FIRST_SUCCESS) {
                    try (FirstSuccessScope<Object> scope = TaskScope.firstSuccess()) {
                        scope.spawn(() -> leaf.await());
                        CancelCases.settle();
                        scope.spawn(() -> "winner"); // queued before the leaf's task, which a grant wakes
                        if (granted) {
                            k.grant();
                        }
                        assertThat(scope.join()).isEqualTo("winner");
                    }
                } else {
                    Probes.Gate<Object> gate = new Probes.Gate<>();
                    JoinHandle<Object> waiter = giveUp == GiveUp.SPAWNED_ABORT
                            ? Weft.spawn(leaf)
                            : Weft.spawn(() -> giveUp(giveUp, leaf, gate));
                    CancelCases.settle();
                    if (granted) {
                        k.grant();
                    }
                    if (giveUp == GiveUp.ABORT || giveUp == GiveUp.SPAWNED_ABORT) {
                        waiter.abort();
                    } else {
                        gate.open("gate");
                    }
                    expectOutcome(giveUp, waiter);
                }
                CancelCases.settle();
                k.verify();
                assertThat(CancelCases.armedTimers()).as("timers left in the wheel").isEqualTo(timersBefore);
                assertThat(ExecutorKind.liveTasks()).as("tasks left besides the test's own").isEqualTo(1);
                return null;
            });
        }
    }

    private static Object giveUp(GiveUp g, Future<Object> leaf, Probes.Gate<Object> gate) {
        return switch (g) {
            case TIMEOUT -> Timeout.of(Duration.ofMillis(1), leaf).await();
            case SELECT_LOST -> Futures.select(gate, leaf).await();
            case RACE_LOST -> Futures.race(gate, leaf).await();
            case JOIN_FAILED -> Futures.join(gate.map(x -> {
                throw new Marker();
            }), leaf).await();
            case FIRST_SUCCESS_LOST -> Futures.firstSuccessful(gate, leaf).await();
            case ABORT -> leaf.await();
            case SCOPE_CLOSE, SCOPE_FIRST_SUCCESS, SPAWNED_ABORT -> throw new AssertionError("run by the test itself");
        };
    }

    private static void expectOutcome(GiveUp g, JoinHandle<Object> waiter) {
        switch (g) {
            case TIMEOUT -> assertThatThrownBy(waiter::await).isInstanceOf(TaskFailedException.class)
                    .hasCauseInstanceOf(TimedOutException.class);
            case SELECT_LOST -> assertThat(((Selected<?>) waiter.await()).index()).isZero();
            case RACE_LOST, FIRST_SUCCESS_LOST -> assertThat(waiter.await()).isEqualTo("gate");
            case JOIN_FAILED -> assertThatThrownBy(waiter::await).isInstanceOf(TaskFailedException.class)
                    .hasCauseInstanceOf(Marker.class);
            case ABORT, SPAWNED_ABORT -> assertThatThrownBy(waiter::await)
                    .isInstanceOf(TaskCancelledException.class);
            case SCOPE_CLOSE, SCOPE_FIRST_SUCCESS -> throw new AssertionError("run by the test itself");
        }
    }
}
