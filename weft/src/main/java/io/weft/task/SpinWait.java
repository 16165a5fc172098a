package io.weft.task;

/**
 * The wait of a thread for another thread that is a few instructions from
 * done (a taker's flag, a value about to land, a run state about to settle):
 * spin at first, then yield, since on a machine with few CPUs the other
 * thread may have lost its own.
 */
public final class SpinWait {
    private SpinWait() {
    }

    /** One round of the wait; {@code spins}: how many rounds came before. */
    public static void backOff(int spins) {
        if (spins < 64) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }
}
