package io.weft;

/**
 * A future that can be told it will not be polled again: Java's stand-in
 * for dropping a future in Rust. Every future weft returns that waits for
 * something (a sleep, a lock, a value, a connection, a read, a task)
 * implements it, and so do the futures made by {@link Future#map},
 * {@link Future#then} and {@link Futures}.
 *
 * <h2>The rule</h2>
 * {@link #cancel()} after the future was polled and before it completed
 * leaves the world as if the operation had never been asked for: a waiter
 * leaves its queue; a permit, a lock or a wake-up that was handed to it and
 * not yet returned by a poll goes to the next waiter; a value stays in its
 * channel; a connection it accepted goes to the next accept; a descriptor it
 * opened is closed; its timer leaves the wheel. Where that is impossible (a
 * write whose bytes the kernel already sent), the operation's Javadoc says
 * exactly what remains, under "Cancel safety". Cancelling a future that
 * completed (returned ready or threw) does nothing, and so does a second
 * cancel. A future that was never polled waits in no queue, so its cancel
 * gives up only work that started when it was made: a {@link JoinHandle}'s
 * task is aborted (it runs whether or not anybody polls the handle); an
 * open already running on the blocking pool closes what it opens. The
 * other operations start at their first poll, and their cancel before it
 * does nothing. After {@code cancel()} the future must not be polled again,
 * unless its own Javadoc allows it.
 *
 * <h2>Who calls it</h2>
 * Nobody needs to, in ordinary code: every place in weft that gives up on
 * a future cancels it.
 * <ul>
 *   <li>{@link Future#await()} inside a task that is aborted while it
 *       waits: the awaited future is cancelled before
 *       {@link TaskCancelledException} is thrown, so the task's
 *       {@code finally} blocks run with nothing left queued;</li>
 *   <li>{@code Timeout} when the deadline passes, {@link Futures#select},
 *       {@link Futures#race} and {@link Futures#firstSuccessful} for the
 *       futures that did not win, {@link Futures#join} for the others when
 *       one fails;</li>
 *   <li>an aborted task spawned from a future ({@link Weft#spawn(Future)}),
 *       {@link TaskScope#close()} and {@link JoinSet#close()} (through the
 *       tasks they abort).</li>
 * </ul>
 * Code that polls futures by hand (its own combinator) and abandons one
 * before it is ready must call {@link Futures#cancel(Future)} on it.
 *
 * <p>Like {@code poll}, {@code cancel} is called on the thread that polls
 * the future (a {@link JoinHandle} may be cancelled from any thread).
 */
public interface CancellableFuture<T> extends Future<T> {

    /**
     * Gives up the operation: see the class docs for what stays and what is
     * handed on. Idempotent; does nothing once the future has completed.
     */
    void cancel();
}
