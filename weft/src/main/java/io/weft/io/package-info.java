/**
 * The reactor: one {@link io.weft.io.IoDriver} per executor (io_uring,
 * epoll or a java.nio Selector), and the sockets and files it owns. Calls
 * the kernel cannot make asynchronous on a driver go to the blocking pool
 * ({@code io.weft.blocking}).
 *
 * <h2>Who touches what</h2>
 * <ul>
 *   <li>A driver, its sockets ({@code FdSocket} and subclasses, the nio
 *       sockets), its ops ({@code FdOp}: state, waker, slot, result,
 *       borrowed buffers) and its {@code BufferPool} belong to the
 *       executor's loop thread. Every entry point checks the calling thread
 *       and throws IllegalStateException naming both threads otherwise. The
 *       loop thread may change between two {@code run}s of the executor
 *       ({@code bindTo}), never during one.</li>
 *   <li>The one exception among a socket's calls: those that need no loop
 *       state (addresses, options, shutdown) may come from a task of
 *       another worker of a StealingExecutor. On a descriptor socket such a
 *       call runs with its thread's own system calls and holds the
 *       descriptor open while it runs ({@code FdSocket.onDescriptor}: a
 *       count and two flags, by compare-and-set); a close on the loop
 *       thread refuses new ones and leaves close(2) to the last one
 *       running, so that a freed number is never reached by such a call,
 *       and a detach waits for them before the descriptor moves.</li>
 *   <li>{@link io.weft.io.IoDriver#wakeup()} is the only method any thread
 *       may call. The executor calls it after queuing a remote wake, only
 *       when it read {@code sleeping == true} (a Dekker pair with the loop,
 *       which stores {@code sleeping}, then looks at the remote queue, then
 *       parks in the driver). The wake is remembered by the kernel object
 *       (an eventfd counter, the selector's wakeup flag), so a wake that
 *       comes before the park makes the park return at once.</li>
 *   <li>A file call of epoll or nio runs on the blocking pool as an
 *       {@code io.weft.blocking.BlockingJob} (its protocol with the loop is
 *       in that package's docs). The bounce buffer of a file job
 *       ({@code BounceBuffers}) belongs to the job until its poll returns
 *       ready; a cancelled job keeps it.</li>
 * </ul>
 *
 * <h2>Native memory</h2>
 * A completion driver lends a native buffer to an op whose memory is on the
 * heap, and to every write ({@code BufferPool}: 4, 16 or 64 KiB, the
 * smallest that holds the transfer), from its first submission to its
 * completion, even when the op was cancelled meanwhile. A buffer that comes
 * back goes to a cache of at most {@code weft.uring.bufferCacheBytes} (4 MiB)
 * and is freed beyond it, so the native memory of a driver is what its ops
 * in flight hold plus the cache. A write copies its bytes in, even from
 * native memory, so that a write cancelled in the kernel never reads the
 * caller's memory after {@code cancel()} returned (on epoll and nio a
 * cancelled write is done by then, or copied: one behaviour on every
 * driver). Native memory the caller owns (direct buffers, native segments)
 * is read into in place. {@code readable()} (an IORING_OP_POLL_ADD) holds
 * none.
 *
 * <h2>An op's life (descriptor drivers)</h2>
 * <ol>
 *   <li><b>NEW</b>: made by a socket or file method; nothing is in the
 *       kernel.</li>
 *   <li>First poll. Readiness driver (epoll): while the socket's readiness
 *       bit for the op's interest is set, try the system call; a result
 *       makes it <b>DONE</b>; EAGAIN clears the bit and makes it
 *       <b>WAITING</b> on the socket's waiter list, woken by the next edge.
 *       Completion driver (io_uring): an SQE is prepared and the op enters
 *       the driver's in-flight table (<b>WAITING</b>, {@code inKernel});
 *       submitted with the loop's next enter.</li>
 *   <li>A completion stores the result and wakes the op's waker; the next
 *       poll turns it into the value (<b>DONE</b>) and returns the borrowed
 *       buffer.</li>
 *   <li>Cancel (an aborted task, a Timeout, a select that lost): a waiting
 *       readiness op leaves the waiter list (<b>CANCELLED</b>, nothing was
 *       consumed). An op in the kernel is asked to stop
 *       (IORING_OP_ASYNC_CANCEL) and stays in the in-flight table, with
 *       every buffer it references, until its own completion; then
 *       {@code completeCancelled} keeps what must not be lost: bytes a read
 *       received go to the stream's leftover (the next read returns them), a
 *       connection an accept took goes to the listener's spare queue, a
 *       datagram to the socket's kept queue; the error a read or receive
 *       ended with (a reset, a refusal: the kernel cleared it from the
 *       socket) fails the next one, after what was kept before it, as the
 *       socket's pending error would on epoll.</li>
 *   <li>Closing a socket wakes (epoll) or cancels (io_uring) its pending
 *       ops, which then fail with AsynchronousCloseException; so do the ops
 *       of a closed io_uring file ({@code FdFile}), even one the kernel had
 *       finished. A file of epoll or nio ({@code ChannelFile}) fails its
 *       pending ops at once and leaves their pool jobs to end on their own,
 *       with their bounce buffers. A write (or fsync) cancelled while
 *       still in the kernel or on a pool thread may land yet: the file's
 *       later writes and fsyncs wait for it to end (io_uring:
 *       {@code FdSocket.cancelledInKernel}, as a socket's next write does;
 *       epoll and nio: {@code ChannelFile.writesAhead}). Closing the
 *       executor closes its driver after every task has finished: sockets
 *       left open are closed, in-flight ops are reaped, then the kernel
 *       objects and the native memory are released.</li>
 * </ol>
 *
 * <h2>The io_uring driver ({@link io.weft.io.UringDriver})</h2>
 *
 * <p><b>Submission.</b> The first poll of an {@link io.weft.io.FdOp} takes a slot in the
 * in-flight table and writes the op's submission entry ({@code FdOp.prepare});
 * {@code user_data} is the slot and its generation. Entries written during a
 * loop turn go to the kernel together, with the one io_uring_enter of the
 * next {@link io.weft.io.UringDriver#poll()} or {@link io.weft.io.UringDriver#park(long)}; a full SQ is submitted at
 * once and the write retried.
 *
 * <p><b>The table keeps what the kernel uses.</b> An op stays in the table
 * — with its buffers: the user's ByteBuffer or MemorySegment, and
 * {@code FdOp.nativeBuf} lent from the pool — from its submission until its
 * own completion, even when its task was cancelled or ended. Its completion
 * takes it out: a live op stores the result and wakes its waker (its next
 * poll returns {@code FdOp.complete}, then the lent buffer goes back to the
 * pool); a cancelled op hands the result to {@code FdOp.completeCancelled}
 * (bytes read are kept for the next read, an accepted connection for the
 * next accept) and the buffer goes back.
 *
 * <p><b>Cancel.</b> Cancelling an op in the kernel submits IORING_OP_ASYNC_CANCEL
 * for its user_data (the cancel's own completion is ignored) and marks it
 * CANCELLED; it still leaves the table only at its own completion, which is
 * -ECANCELED or, if the kernel finished first, the real result. An op whose
 * entry is written but not yet submitted is cancelled the same way: the
 * kernel takes entries in order, so the op is issued before its cancel.
 *
 * <p><b>Order after a cancel.</b> A new op of the same direction (read or
 * write) on a socket whose cancelled op is still in the kernel is not
 * submitted until that op's completion: the cancelled read may yet bring
 * bytes, which it keeps for the next read, and a read submitted meanwhile
 * could get the bytes after them. The new op waits on the cancelled op's
 * waker field, then its poll starts again (a read first takes the kept bytes).
 *
 * <p><b>Closing a socket</b> cancels its ops in the kernel (a pending recv
 * holds the file, so close(2) alone would not end it) and submits at once,
 * before close(2) frees the descriptor number: an op written but not yet
 * submitted must not find a new socket under the same number. A live op
 * then fails with AsynchronousCloseException ({@code FdSocket.failure}),
 * also a read, receive or accept whose completion came before the close
 * and was not taken yet (as epoll and nio, which had not made the call):
 * what it brought goes as a cancelled op's (an accepted descriptor is
 * closed, a datagram dropped). A socket write the kernel did returns its
 * count (its bytes went).
 *
 * <p><b>Wakes.</b> {@link io.weft.io.UringDriver#park} waits in io_uring_enter(GETEVENTS, min 1)
 * with the timeout passed through IORING_ENTER_EXT_ARG. {@link io.weft.io.UringDriver#wakeup()}
 * (any thread) writes an eventfd that always has a read in the ring
 * ({@code UringWake}). The executor calls wakeup() only after the loop
 * announced it is about to park.
 *
 * <p><b>Flags, and why not SINGLE_ISSUER / DEFER_TASKRUN.</b> The ring is set
 * up with COOP_TASKRUN | TASKRUN_FLAG (no interrupt of the loop thread for
 * each completion: the kernel's completion work runs when the thread next
 * enters the kernel, and the SQ flags say when it waits) and SUBMIT_ALL; an
 * older kernel gets a ring without them. SINGLE_ISSUER, which DEFER_TASKRUN
 * needs, ties the ring for good to the thread that made it (a submission from
 * any other thread fails with EEXIST; the kernel has no call to move it), and
 * an executor's {@code run} may be called from a different thread each time,
 * with ops still in the kernel.
 *
 * <p><b>A loop that moves between threads.</b> Without SINGLE_ISSUER any thread
 * may enter the ring, but an op stays bound to the thread that submitted it:
 * its completion work runs as that thread's task work (at once if the thread
 * sleeps, since the kernel wakes it; else when it next enters the kernel), and
 * when that thread exits the kernel ends the op with -ECANCELED. So, after
 * {@link io.weft.io.UringDriver#bindTo} a new thread: the eventfd read is replaced by one of the new
 * thread, and an op of an earlier loop thread that completes with an
 * -ECANCELED nobody asked for is submitted again from the current one
 * ({@code FdOp.restart}; a connect then waits for writability, as the attempt
 * goes on in the kernel).
 *
 * <p><b>Blocking descriptors.</b> Sockets of this driver are made without
 * O_NONBLOCK, as liburing advises: io_uring first tries an op without
 * waiting and arms an internal poll when it would block, but an op that it
 * hands to its worker threads on an O_NONBLOCK socket fails with EAGAIN
 * instead of waiting.
 *
 */
package io.weft.io;
