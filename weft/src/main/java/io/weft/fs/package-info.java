/**
 * Files of an executor: {@link io.weft.fs.File} (buffered) and
 * {@link io.weft.fs.DmaFile} (O_DIRECT), read and written at explicit
 * offsets. On io_uring every operation is submitted to the ring (size is an
 * fstat on the loop thread); on epoll and nio it runs on a pool of blocking
 * threads through a bounce buffer, so an executor's thread never waits on a
 * disk and a cancelled operation never writes into the task's memory
 * afterwards. Every driver behaves as a {@link java.nio.channels.FileChannel}
 * would; {@code FileContractTest} pins each rule below on each driver.
 *
 * <h2>Threads</h2>
 * A file belongs to the executor whose task opened it, and only that
 * executor's thread may use it: any other thread gets IllegalStateException
 * naming the file, the executor's thread and the calling thread, at the call
 * (every method but {@code path()}, {@code isOpen()} and
 * {@code toString()}) and at a poll of an operation's future.
 *
 * <p>On a StealingExecutor the file belongs to the worker whose task opened
 * it, and a task of another worker of the same executor may use it too: its
 * operations are made and run on the file's worker, as a task there
 * ({@code io.weft.executor.OnHome}, a hop between threads per operation;
 * the checks "at the call" below then come from {@code await()}), and
 * {@code close()} from there closes it on its worker. A task on the file's
 * worker pays nothing for this.
 *
 * <h2>At the call</h2>
 * In FileChannel's order, after the thread: a file that was closed throws
 * ClosedChannelException (as the cause of UncheckedIOException); reading a
 * file opened without READ throws NonReadableChannelException, writing one
 * opened without WRITE NonWritableChannelException (their cause names the
 * file and the missing option); a negative position or a read-only
 * destination throws IllegalArgumentException.
 *
 * <h2>Errors</h2>
 * A failed system call surfaces from {@code await()} as
 * UncheckedIOException whose cause is the IOException FileChannel would
 * throw, its message naming the file, the call (open, pread, pwrite, fstat,
 * fsync) and the errno, e.g. {@code "/tmp/d: pread: EISDIR (Is a
 * directory)"}: NoSuchFileException (ENOENT), AccessDeniedException
 * (EACCES, EPERM), FileAlreadyExistsException (EEXIST), else
 * FileSystemException. On epoll and nio the errno comes from java.nio's
 * exception (its type, or its strerror text, which is then its cause); a
 * text no errno matches is kept as it is, after the call. A read that needs
 * bytes the file does not have ({@code readExactAt}) fails with
 * EOFException. {@code size()} is what fstat says, for a directory too;
 * reading a directory fails with EISDIR.
 *
 * <h2>Closing</h2>
 * An operation made before {@code close()} and not returned by then fails
 * with AsynchronousCloseException (as the cause of UncheckedIOException):
 * at once on epoll and nio, where the pool thread's call cannot be
 * interrupted and finishes on its own, into its own bounce buffer; on
 * io_uring at the operation's completion, after close cancelled it in the
 * kernel (IORING_OP_ASYNC_CANCEL) — it keeps its buffers until then, and
 * one the kernel had finished fails all the same, so a write may have been
 * written. A loop ({@code readAll}, {@code readExactAt},
 * {@code writeAllAt}) pending at close fails the same way.
 *
 * <h2>Cancellation</h2>
 * Every operation is an {@link io.weft.CancellableFuture}; each method's
 * Javadoc says under "Cancel safety" what a cancelled one leaves. In short:
 * a cancelled read took nothing that matters (on io_uring the kernel may
 * still fill native memory until the read's completion); a cancelled write
 * may have been written, and its source's position does not move; a
 * cancelled open closes the descriptor it got anyway.
 */
package io.weft.fs;
