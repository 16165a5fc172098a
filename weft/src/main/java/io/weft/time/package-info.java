/**
 * Time: the executor's timer wheel, {@code Weft.sleep}/{@code sleepUntil},
 * {@link io.weft.time.Timeout} and {@link io.weft.time.Interval}.
 *
 * <h2>Threads: who touches what</h2>
 * <ul>
 *   <li>{@link io.weft.time.Timers} (the wheel) belongs to one executor and is
 *       touched only by its loop thread: tasks add, reset and cancel timers
 *       from inside their polls (always on the loop thread); the loop fires
 *       due timers every 61 tasks, after a task when {@code needPreempt()}
 *       saw one due, and when idle. Nothing in this package is thread-safe;
 *       a {@link io.weft.time.Sleep}, {@code Timeout} or {@code Interval}
 *       must not be polled or cancelled from another thread.</li>
 *   <li>Firing wakes each timer's waker once, on the loop thread. The waker
 *       may be any waker (a task's, or a combinator's); a waker called from
 *       {@code fire} may add or cancel timers: due entries are first moved to
 *       a pending list and then woken one at a time.</li>
 *   <li>The clock ({@link io.weft.Clock}) is read by everything here through
 *       {@code Timers.now()}. A paused clock moves only on the loop thread:
 *       by the idle loop (to the next deadline, when every task waits) or by
 *       a task calling {@code Clock.Paused.advance}.</li>
 * </ul>
 *
 * <h2>The wheel's invariants</h2>
 * 6 levels x 64 slots, 1 ms ticks, tick {@code when = ceil(deadline)}: a
 * timer never fires early, and fires at most one tick plus the loop's
 * latency late. Insert and cancel are O(1); no allocation per tick, per
 * cascade or per fire (one entry per timer, re-armed in place by
 * {@code reset}). Timers due at the same tick fire in the order they were
 * armed. A timer beyond the top level (more than 64^6 ms, ~2.2 years, ahead)
 * is clamped onto the top level and re-inserted each time its slot comes
 * round, until due. The loop parks no longer than {@code nextDeadline()},
 * which is never later than the earliest due tick (it may be an earlier
 * cascade point). Details in {@link io.weft.time.Timers}.
 *
 * <h2>Cancellation (no drop in Java)</h2>
 * A cancelled timer never fires and leaves the wheel at once. A sleep, an
 * interval tick and a Timeout are {@link io.weft.CancellableFuture}s: they
 * are cancelled by whatever gives up on them (an {@code await()} whose task
 * is aborted, a Timeout, a lost select or race, a failed join) or explicitly.
 * A timer left armed for a task that has finished wakes nothing.
 *
 * <h2>Timeout errors</h2>
 * {@code Future.poll} cannot throw checked exceptions: a timeout fails with
 * the unchecked {@link io.weft.time.TimedOutException}, whose cause is a
 * {@link java.util.concurrent.TimeoutException}.
 */
package io.weft.time;
