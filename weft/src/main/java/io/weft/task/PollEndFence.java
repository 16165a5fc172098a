package io.weft.task;

/**
 * Work a leaf future's fast road defers to the end of the running task's
 * poll ({@link Budget#deferToPollEnd}): the loads that follow the store-load
 * fence of a lock-free wake protocol, which is paid once a poll instead of
 * once an operation. An {@code SpscChannel} sender publishes each value
 * with a release store and reads the receiver's waker right away without a
 * fence (so that a receiver asleep for a while is woken at once); at the
 * poll's end {@link Budget#pollEnded} issues one full fence, then calls
 * each deferral, which reads the waker again (and wakes it), before the
 * executor polls anything else or parks.
 *
 * <p>Called on the executor's thread, once per deferral, after the poll of
 * the task that deferred it has returned (whatever the poll's outcome) and
 * after that fence. It must not throw: the deferrals after it in the same
 * poll would not run.
 */
public interface PollEndFence {
    /** The poll that deferred this has ended and the fence is issued: look (and wake) as the protocol says. */
    void atPollEnd();
}
