package io.weft.io;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Keeps a descriptor number from being freed under a system call of a
 * thread other than its socket's loop thread ({@link FdSocket#onDescriptor}):
 * such a call {@link #enter}s, makes its call, and {@link #exit}s; the
 * loop's {@link #close} refuses new calls and leaves close(2) to the last
 * call still running, if any; {@link #shutAndWait} refuses new calls and
 * waits for those running (the descriptor is about to move).
 *
 * <p>One int, changed by compare-and-set and get-and-add: the count of
 * calls running, {@link #SHUT} (no new call gets in) and {@link #CLOSE}
 * (the number is to be closed). Exactly one party closes: the loop, if no
 * call runs when it sets CLOSE (the count it read with the flag is 0), else
 * the call whose exit takes the count from 1 to 0 with CLOSE set. A call
 * that got in ran before either. The jcstress test {@code DescriptorGateTest}
 * races calls against the close.
 */
public final class DescriptorGate {
    private static final VarHandle USERS;
    private static final int SHUT = 1 << 30;
    private static final int CLOSE = 1 << 29;
    private static final int COUNT = CLOSE - 1;

    static {
        try {
            USERS = MethodHandles.lookup().findVarHandle(DescriptorGate.class, "users", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // through USERS
    private int users;

    /** A call from another thread wants the descriptor: true if it got in (it must {@link #exit}), false once shut. */
    public boolean enter() {
        for (;;) {
            int u = (int) USERS.getVolatile(this);
            if ((u & SHUT) != 0) {
                return false;
            }
            if (USERS.compareAndSet(this, u, u + 1)) {
                return true;
            }
        }
    }

    /** That call is done: true if it must close the descriptor now (closed meanwhile, and it was the last one in). */
    public boolean exit() {
        return (int) USERS.getAndAdd(this, -1) == (SHUT | CLOSE | 1);
    }

    /** The loop closes: no call gets in from now on; true if none is running (close it now), else the last one will. */
    public boolean close() {
        return ((int) USERS.getAndBitwiseOr(this, SHUT | CLOSE) & COUNT) == 0;
    }

    /** The descriptor is about to move: no call gets in from now on, and those running have ended on return. */
    public void shutAndWait() {
        USERS.getAndBitwiseOr(this, SHUT);
        while (((int) USERS.getVolatile(this) & COUNT) != 0) {
            Thread.onSpinWait();
        }
    }
}
