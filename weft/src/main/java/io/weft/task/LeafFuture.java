package io.weft.task;

/**
 * A future of weft's own whose poll runs no code of the task's user (no
 * map function, no hand-written poll): a join handle, a yield, a sleep, a
 * sync primitive's wait, an I/O operation. When a coroutine task re-polls
 * one in the executor's frames, nothing needs to know which task runs
 * there ({@code TaskOwner.outsideItsFrames}), which spares a reference
 * store into the long-lived loop per resume (a GC barrier: about 15 ns a
 * resume in a channel ping-pong).
 */
public interface LeafFuture {
}
