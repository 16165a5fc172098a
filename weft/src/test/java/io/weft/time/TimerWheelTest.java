package io.weft.time;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.Clock;
import io.weft.Waker;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The wheel alone, on a paused clock, with wakers that record the order they fire in. */
class TimerWheelTest {
    private static final long MS = 1_000_000L;

    private final Clock.Paused clock = Clock.paused();
    private final Timers timers = new Timers(clock);
    private final List<Integer> firedIds = new ArrayList<>();

    private Waker recorder(int id) {
        return () -> firedIds.add(id);
    }

    private Timers.Entry addAtMs(long ms, int id) {
        return timers.add(ms * MS, recorder(id));
    }

    @Test
    void timersGoToTheLevelOfTheirDistanceAndCascadeDownExactlyAtTheirTick() {
        long[] ms = {1, 63, 64, 65, 4095, 4096, 4100, 64L * 64 * 64, 64L * 64 * 64 + 1, 64L * 64 * 64 * 64,
                64L * 64 * 64 * 64 * 64, 64L * 64 * 64 * 64 * 64 * 3 + 7};
        int[] expectedLevel = {0, 0, 1, 1, 1, 2, 2, 3, 3, 4, 5, 5};
        List<Timers.Entry> entries = new ArrayList<>();
        for (int i = 0; i < ms.length; i++) {
            Timers.Entry e = addAtMs(ms[i], i);
            entries.add(e);
            assertThat(timers.levelOf(e)).as("level of a timer %d ms ahead", ms[i]).isEqualTo(expectedLevel[i]);
        }
        for (int i = 0; i < ms.length; i++) {
            timers.fire((ms[i] - 1) * MS);
            assertThat(entries.get(i).fired()).as("%d ms timer one tick early", ms[i]).isFalse();
            assertThat(timers.nextDeadline()).as("next look at the timers").isLessThanOrEqualTo(ms[i] * MS);
            timers.fire(ms[i] * MS);
            assertThat(entries.get(i).fired()).as("%d ms timer at its tick", ms[i]).isTrue();
            assertThat(firedIds).as("fired so far").hasSize(i + 1).last().isEqualTo(i);
        }
        assertThat(timers.isEmpty()).isTrue();
        assertThat(timers.nextDeadline()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aTimerCascadesToLevelZeroWhenItsBlockBegins() {
        Timers.Entry e = addAtMs(4100, 1);
        assertThat(timers.levelOf(e)).isEqualTo(2);
        timers.fire(4000 * MS);
        assertThat(timers.levelOf(e)).as("still in a later 4096-block").isEqualTo(2);
        timers.fire(4096 * MS);
        assertThat(timers.levelOf(e)).as("cascaded at 4096").isEqualTo(0);
        assertThat(e.fired()).isFalse();
        timers.fire(4100 * MS);
        assertThat(e.fired()).isTrue();
    }

    @Test
    void deadlinesRoundUpToTheNextTickSoATimerNeverFiresEarly() {
        Timers.Entry e = timers.add(5 * MS + 1, recorder(1));
        timers.fire(5 * MS + 999_999);
        assertThat(e.fired()).isFalse();
        timers.fire(6 * MS);
        assertThat(e.fired()).isTrue();
    }

    @Test
    void aCancelledTimerNeverFiresAndLeavesItsSlotAtOnce() {
        List<Timers.Entry> es = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            es.add(addAtMs(100 + i % 3, i)); // three crowded slots
        }
        for (int i = 0; i < 1000; i += 2) {
            es.get(i).cancel();
            es.get(i).cancel(); // idempotent
        }
        assertThat(timers.size()).isEqualTo(500);
        assertThat(timers.cancelledCount()).isEqualTo(500);
        assertThat(timers.fire(1000 * MS)).isEqualTo(500);
        assertThat(firedIds).hasSize(500).allSatisfy(id -> assertThat(id % 2).isEqualTo(1));
        assertThat(es).filteredOn(Timers.Entry::fired).hasSize(500);
    }

    @Test
    void cancellingEveryTimerOfASlotInRandomOrderEmptiesTheWheel() {
        List<Timers.Entry> es = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            es.add(addAtMs(70, i)); // one level-1 slot holds all
        }
        java.util.Collections.shuffle(es, new Random(7));
        for (Timers.Entry e : es) {
            e.cancel();
        }
        assertThat(timers.size()).isZero();
        assertThat(timers.nextDeadline()).as("the occupied bit was cleared").isEqualTo(Long.MAX_VALUE);
        assertThat(timers.fire(Long.MAX_VALUE / 4)).isZero();
        assertThat(firedIds).isEmpty();
    }

    @Test
    void aTimerFarBeyondTheTopLevelStillFiresAtItsTick() {
        long wheelMs = Timers.MAX_TICKS; // 64^6 ms, about 2.2 years
        long far = wheelMs * 3 + 12_345; // about 6.6 years
        Timers.Entry e = addAtMs(far, 1);
        assertThat(timers.levelOf(e)).as("clamped onto the top level").isEqualTo(5);
        // Walk the loop as an executor on a paused clock would: jump to nextDeadline, fire.
        int jumps = 0;
        while (!e.fired()) {
            long next = timers.nextDeadline();
            assertThat(next).as("never past the timer's tick").isLessThanOrEqualTo(far * MS);
            clock.advanceTo(next);
            timers.fire(clock.nanoTime());
            jumps++;
            assertThat(jumps).as("cascades are bounded").isLessThan(64 * 6 * 4);
        }
        assertThat(clock.nanoTime()).isEqualTo(far * MS);
        assertThat(firedIds).containsExactly(1);
    }

    @Test
    void aTimerDueAlreadyFiresAtTheNextLook() {
        timers.fire(50 * MS);
        Timers.Entry e = addAtMs(10, 1);
        assertThat(timers.nextDeadline()).isLessThanOrEqualTo(50 * MS);
        assertThat(timers.fire(50 * MS)).isEqualTo(1);
        assertThat(e.fired()).isTrue();
    }

    @Test
    void resetReArmsTheSameEntryForTheNewDeadlineOnly() {
        Timers.Entry e = addAtMs(10, 1);
        timers.reset(e, 500 * MS, recorder(2));
        timers.fire(100 * MS);
        assertThat(firedIds).isEmpty();
        timers.fire(500 * MS);
        assertThat(firedIds).containsExactly(2);
        timers.reset(e, 600 * MS, recorder(3)); // a fired entry re-armed
        timers.fire(600 * MS);
        assertThat(firedIds).containsExactly(2, 3);
        assertThat(timers.added()).isEqualTo(3);
    }

    @Test
    void aWakerMayAddAndCancelTimersWhileTimersFire() {
        Timers.Entry[] victim = new Timers.Entry[1];
        timers.add(10 * MS, () -> {
            firedIds.add(1);
            victim[0].cancel();
            timers.add(10 * MS, recorder(3)); // due already: fires in the same call
        });
        victim[0] = addAtMs(10, 2);
        assertThat(timers.fire(10 * MS)).isEqualTo(2);
        assertThat(firedIds).containsExactly(1, 3);
    }

    @Test
    void oneHundredThousandRandomTimersFireInDeadlineOrderTiesInInsertionOrder() {
        Random rnd = new Random(42);
        int n = 100_000;
        long[] when = new long[n];
        for (int i = 0; i < n; i++) {
            when[i] = switch (i % 4) {
                case 0 -> rnd.nextInt(64); // level 0
                case 1 -> rnd.nextInt(5_000); // levels 1-2, many ties
                case 2 -> rnd.nextLong(100_000_000L); // up to ~28 hours: levels 3-4
                default -> 1 + rnd.nextInt(200); // crowded ties
            };
            addAtMs(when[i], i);
        }
        // Fire at random instants, each covering zero or more ticks, until all fired.
        long now = 0;
        while (!timers.isEmpty()) {
            now += rnd.nextInt(3) == 0 ? rnd.nextLong(3_000_000L) * MS : rnd.nextInt(70) * MS;
            timers.fire(now);
        }
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            expected.add(i);
        }
        expected.sort(Comparator.<Integer>comparingLong(i -> when[i]).thenComparingInt(i -> i));
        assertThat(firedIds).hasSize(n);
        assertThat(firedIds).isEqualTo(expected);
    }

    /**
     * A timer beyond the wheel sits in the top level's current slot (on the
     * ring's next round); a timer due in a later top-level slot of this
     * round still fires at its tick. Without it the wheel looked only at the
     * current slot, put its next look on the next round, 2.2 years on, and
     * skipped the later slot's timers.
     */
    @Test
    void aTimerBeyondTheWheelInTheCurrentTopSlotDoesNotHideALaterTopSlot() {
        long topSlotMs = 1L << 30; // 64^5 ms, about 12.4 days
        Timers.Entry far = addAtMs(Timers.MAX_TICKS + 5, 1); // clamped into top slot 0, the current one
        Timers.Entry b = addAtMs(2 * topSlotMs + 7, 2); // top slot 2, about 25 days
        assertThat(timers.levelOf(far)).isEqualTo(5);
        assertThat(timers.levelOf(b)).isEqualTo(5);
        assertThat(timers.nextDeadline()).as("the next look").isLessThanOrEqualTo((2 * topSlotMs + 7) * MS);
        timers.fire((2 * topSlotMs + 7) * MS);
        assertThat(b.fired()).isTrue();
        assertThat(far.fired()).isFalse();
        assertThat(firedIds).containsExactly(2);
    }

    /**
     * Timers up to three wheels ahead, fired at random instants: after each
     * fire, no timer due by then is left, and none has fired early.
     */
    @Test
    void noTimerIsLateOrEarlyWithTimersBeyondTheWheel() {
        for (int seed = 1; seed <= 8; seed++) {
            timersBeyondTheWheel(new Random(seed), new Timers(Clock.paused()));
        }
    }

    private static void timersBeyondTheWheel(Random rnd, Timers timers) {
        int n = 2_000;
        long[] when = new long[n];
        Timers.Entry[] es = new Timers.Entry[n];
        for (int i = 0; i < n; i++) {
            when[i] = switch (i % 3) {
                case 0 -> rnd.nextLong(3 * Timers.MAX_TICKS); // beyond the wheel, most of them
                case 1 -> rnd.nextLong(1L << 34); // the top levels
                default -> rnd.nextLong(1L << 24); // hours
            };
            es[i] = timers.add(when[i] * MS, () -> { });
        }
        long now = 0;
        while (!timers.isEmpty()) {
            now += rnd.nextLong(1L << (rnd.nextInt(34) + 1));
            timers.fire(now * MS);
            for (int i = 0; i < n; i++) {
                assertThat(es[i].fired()).as("timer %d due at %d ms, now %d ms", i, when[i], now).isEqualTo(when[i] <= now);
            }
        }
    }
}
