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
     * most once, on a thread that may poll this future.
     */
    void giveBack(T value);

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
            } else if (value instanceof AutoCloseable c) {
                c.close();
            }
            return thrown;
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            return Children.collect(e, thrown);
        }
    }
}
