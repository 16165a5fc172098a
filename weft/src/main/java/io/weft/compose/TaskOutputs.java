package io.weft.compose;

import io.weft.Future;
import io.weft.JoinHandle;

/**
 * Whether a future's value may be a task's output: a {@link JoinHandle}
 * shares its task's output with every waiter, so a combinator that took it
 * (directly, or through a race, a select, a map, a nested join) does not
 * own it, and a failed join must not close it. A combinator says so when it
 * is made, from its children then (a {@code then}'s second future, made
 * later, is not looked at: its values are taken as owned).
 */
public final class TaskOutputs {
    private TaskOutputs() {
    }

    /** A combinator that knows whether a task's output may come out of it. */
    public interface Carrier {
        boolean mayCarryTaskOutput();
    }

    /** Whether {@code f}'s value may be a task's output, not the taker's to close. */
    public static boolean mayCarry(Future<?> f) {
        return f instanceof JoinHandle<?> || (f instanceof Carrier c && c.mayCarryTaskOutput());
    }

    /** Whether any of {@code fs}' values may be a task's output. */
    static boolean anyMayCarry(Future<?>[] fs) {
        for (Future<?> f : fs) {
            if (mayCarry(f)) {
                return true;
            }
        }
        return false;
    }
}
