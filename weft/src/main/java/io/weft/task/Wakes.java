package io.weft.task;

import io.weft.Waker;

/** A wake-up on a thread that must go on whatever the waker does. */
public final class Wakes {
    private Wakes() {
    }

    /**
     * Wakes {@code w} for an executor's loop (completing a task, firing a
     * timer): a waker that throws (a user's Future polling with a Context of
     * its own) is reported as a WARNING naming {@code about}, never thrown
     * into the loop, which goes on with the other wake-ups.
     */
    public static void wakeReporting(Waker w, Object about) {
        try {
            w.wake();
        } catch (VirtualMachineError e) {
            throw e; // the JVM's trouble, not the waker's
        } catch (RuntimeException | Error e) {
            io.weft.task.Log.get().log(System.Logger.Level.WARNING, "a waker of " + about + " threw; the"
                    + " other wake-ups went on", e);
        }
    }
}
