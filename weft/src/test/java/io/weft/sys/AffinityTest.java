package io.weft.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.LocalExecutor;
import org.junit.jupiter.api.Test;

class AffinityTest {

    @Test
    void pinToPinsTheLoopThreadWhileRunAndRestoresItAfter() {
        int[] before = Affinity.current();
        assertThat(before).isNotEmpty();
        int cpu = before[before.length - 1];
        try (var ex = LocalExecutor.builder().pinTo(cpu).build()) {
            int[] inside = ex.run(Affinity::current);
            assertThat(inside).containsExactly(cpu);
        }
        assertThat(Affinity.current()).containsExactly(before);
    }

    @Test
    void pinToACpuThisThreadMayNotUseIsRefusedWithTheAllowedSet() {
        assertThatThrownBy(() -> LocalExecutor.builder().pinTo(1023))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pinTo(1023)")
                .hasMessageContaining("may run on CPUs");
        assertThatThrownBy(() -> LocalExecutor.builder().pinTo(-1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void setRejectsAnOutOfRangeCpu() {
        assertThatThrownBy(() -> Affinity.set(new int[] {4096}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("4096");
    }

    /**
     * Threads that weft starts from a pinned executor thread (the blocking
     * pool's, here) run on every CPU of the process, not on that executor's:
     * a Linux thread inherits its creator's mask, and the pool's threads,
     * started by the first spawnBlocking of a pinned worker, ran on that
     * worker's CPU only.
     */
    @org.junit.jupiter.api.Test
    void aThreadStartedFromAPinnedExecutorRunsOnTheProcesssCpus() {
        int[] all = Affinity.current();
        org.junit.jupiter.api.Assumptions.assumeTrue(all.length >= 2, "needs two CPUs");
        try (var ex = io.weft.StealingExecutor.builder().workers(1).placement(io.weft.Placement.fenced(all[0]))
                .blockingThreads(1).build()) {
            int[] onPool = ex.blockOn(() -> io.weft.Weft.spawnBlocking(Affinity::current).await());
            assertThat(onPool).as("the CPUs of a blocking-pool thread").containsExactly(all);
        }
    }
}
