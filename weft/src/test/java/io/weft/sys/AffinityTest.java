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
}
