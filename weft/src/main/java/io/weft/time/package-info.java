/**
 * Time: the executor's timers and {@code Weft.sleep}.
 *
 * <p>{@link io.weft.time.Timers} belongs to one executor and is touched only
 * by its loop thread: a {@link io.weft.time.Sleep} registers its timer on its
 * first pending poll (always on the loop thread, from inside a task), the
 * loop fires due timers every 61 tasks and when idle, and parks no longer
 * than the next deadline. A fired timer wakes its waker once.
 */
package io.weft.time;
