package io.weft.executor;

import io.weft.Clock;
import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Which open executor a {@link Clock#paused()} clock belongs to: one at a
 * time. The executor that owns a paused clock moves it to its next timer
 * whenever all its tasks wait, so a second executor on the same clock would
 * see its time jump while its own tasks ran, and fire its timers early. A
 * build with a clock another open executor owns is refused, naming that
 * executor; the claim ends when the owner closes (or is collected unclosed).
 */
final class PausedClockOwners {
    /** Under the map's monitor; weak both ways, so an executor dropped unclosed frees its clock. */
    private static final Map<Clock, WeakReference<ExecutorCore>> OWNERS = new WeakHashMap<>();

    private PausedClockOwners() {
    }

    /** {@code core} takes {@code clock} if it is paused; IllegalArgumentException if another open executor has it. */
    static void claim(Clock clock, ExecutorCore core, String name) {
        if (!clock.isPaused()) {
            return;
        }
        synchronized (OWNERS) {
            WeakReference<ExecutorCore> had = OWNERS.get(clock);
            ExecutorCore owner = had != null ? had.get() : null;
            if (owner != null && !owner.isClosed()) {
                throw new IllegalArgumentException("executor " + name + ": its clock " + clock + " is the clock of"
                        + " executor " + owner.name + ", which is open; give each executor a Clock.paused() of its"
                        + " own (the owner moves it to its next timer whenever its own tasks wait)");
            }
            OWNERS.put(clock, new WeakReference<>(core));
        }
    }

    /** {@code core} has closed: its paused clock may be given to another executor. */
    static void release(Clock clock, ExecutorCore core) {
        if (!clock.isPaused()) {
            return;
        }
        synchronized (OWNERS) {
            WeakReference<ExecutorCore> had = OWNERS.get(clock);
            if (had != null && had.get() == core) {
                OWNERS.remove(clock);
            }
        }
    }
}
