package io.weft.steal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The work-stealing executor's local run queue on one thread: FIFO,
 * overflow, steal half, the wrap of the indices. Linearizability is
 * {@link LocalQueueLincheckTest}'s; the races of the owner with a thief and
 * of two thieves are jcstress's ({@code weft-jcstress}, {@code LocalQueueTest}).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LocalQueueTest {

    static final class Overflow implements LocalQueue.Overflow<Integer> {
        final List<Integer> tasks = new ArrayList<>();

        @Override
        public void pushBatch(Object[] batch, int n) {
            for (int i = 0; i < n; i++) {
                tasks.add((Integer) batch[i]);
            }
        }
    }

    static List<Integer> drain(LocalQueue<Integer> q) {
        List<Integer> out = new ArrayList<>();
        Integer t;
        while ((t = q.pop()) != null) {
            out.add(t);
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, Integer.MAX_VALUE - 5, -3})
    void theOwnerGetsItsTasksFirstInFirstOutAcrossTheWrap(int first) {
        LocalQueue<Integer> q = new LocalQueue<>(8, first);
        Overflow overflow = new Overflow();
        List<Integer> got = new ArrayList<>();
        int next = 0;
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < 5; i++) {
                q.push(next++, overflow);
            }
            assertThat(q.size()).isEqualTo(5);
            got.addAll(drain(q));
            assertThat(q.isEmpty()).isTrue();
        }
        assertThat(overflow.tasks).isEmpty();
        assertThat(got).hasSize(100).isSorted();
    }

    @Test
    void aFullQueueSendsItsOlderHalfAndTheNewTaskToTheOverflow() {
        LocalQueue<Integer> q = new LocalQueue<>(8);
        Overflow overflow = new Overflow();
        for (int i = 0; i < 8; i++) {
            q.push(i, overflow);
        }
        assertThat(overflow.tasks).isEmpty();
        q.push(8, overflow);
        assertThat(overflow.tasks).containsExactly(0, 1, 2, 3, 8);
        assertThat(drain(q)).containsExactly(4, 5, 6, 7);
    }

    @Test
    void aThiefTakesTheOlderHalfRoundedUpRunsOneAndQueuesTheRest() {
        LocalQueue<Integer> victim = new LocalQueue<>(8, Integer.MAX_VALUE - 2);
        LocalQueue<Integer> thief = new LocalQueue<>(8, 5);
        Overflow overflow = new Overflow();
        for (int i = 0; i < 5; i++) {
            victim.push(i, overflow);
        }
        Integer run = victim.stealInto(thief);
        assertThat(run).as("the last of the three stolen runs at once").isEqualTo(2);
        assertThat(drain(thief)).containsExactly(0, 1);
        assertThat(drain(victim)).containsExactly(3, 4);
        assertThat(victim.stealInto(thief)).as("nothing left to take").isNull();
    }

    @Test
    void aThiefThatIsMoreThanHalfFullTakesNothing() {
        LocalQueue<Integer> victim = new LocalQueue<>(8);
        LocalQueue<Integer> thief = new LocalQueue<>(8);
        Overflow overflow = new Overflow();
        for (int i = 0; i < 4; i++) {
            victim.push(i, overflow);
        }
        for (int i = 0; i < 5; i++) {
            thief.push(100 + i, overflow);
        }
        assertThat(victim.stealInto(thief)).isNull();
        assertThat(victim.size()).isEqualTo(4);
    }

    @Test
    void aCapacityThatIsNotAPowerOfTwoIsRefused() {
        assertThatThrownBy(() -> new LocalQueue<Integer>(6)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("power of two").hasMessageContaining("6");
    }
}
