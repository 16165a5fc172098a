package io.weft.compose;

import io.weft.Future;

/**
 * A future that can take back the value its poll returned, putting it
 * where it came from (a channel's receive: at the front of the channel),
 * for a combinator that took the value and was then given up before it
 * could hand it on: a join that failed or was cancelled (its deadline
 * passed), or a join, select or Timeout whose own result an outer one
 * gives back. Combinators pass it down to the child that gave the value.
 */
public interface GivesBack<T> {
    /**
     * Puts back {@code value}, which this future's last poll returned. At
     * most once, on a thread that may poll this future. Where the value can
     * no longer go back (the end of the stream was reported since to a
     * receiver), it is disposed of as a value nobody can take
     * ({@link #dispose}).
     */
    void giveBack(T value);

    /** A value taken that can go nowhere: closed if it is {@link AutoCloseable} (what the close throws propagates, as it is). */
    static void dispose(Object value) {
        if (value instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                throw Sneaky.rethrow(e);
            }
        }
    }

    /**
     * As {@link #undo}, for a combinator whose own value an outer one gives
     * back: what the give-back or the close throws is thrown, as it is.
     */
    static void giveBackTo(Future<?> from, Object value) {
        Throwable t = undo(from, value, null);
        if (t != null) {
            throw Sneaky.rethrow(t);
        }
    }

    /**
     * Gives {@code value}, taken from {@code from}, back to it if it can
     * take it; otherwise closes it if it is {@link AutoCloseable} (a permit,
     * a lock guard, a stream), so that nothing taken stays held by nobody.
     * What that throws is added to {@code thrown} as suppressed, or returned
     * if {@code thrown} is null.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static Throwable undo(Future<?> from, Object value, Throwable thrown) {
        try {
            if (from instanceof GivesBack g) {
                g.giveBack(value);
            } else {
                dispose(value);
            }
            return thrown;
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            return Children.collect(e, thrown);
        }
    }
}
