/**
 * Sockets of an executor: {@link io.weft.net.TcpListener},
 * {@link io.weft.net.TcpStream}. A socket belongs to the executor whose task
 * made it and is used by that executor's tasks only (another thread gets
 * IllegalStateException naming both threads); its operations run on the
 * executor's driver (io_uring, epoll or nio, see {@link io.weft.Driver}).
 *
 * <h2>Reading and writing at once</h2>
 * A stream is full duplex: one task may wait in a read while another waits
 * in a write of the same stream (a proxy copies each direction in its own
 * task, as {@code io.weft.examples.TcpProxy} does). Closing the stream from
 * either task ends the other's pending operation with
 * AsynchronousCloseException. Several reads (or writes) pending at once on
 * one stream are allowed, but which of them gets which bytes is the order
 * the kernel takes them in: give each direction to one task.
 *
 * <h2>Errors</h2>
 * Operations that may wait return a {@link io.weft.Future}. A failed system
 * call surfaces from {@code await()} as {@link java.io.UncheckedIOException}
 * whose cause is the {@link java.io.IOException} subclass java.nio would
 * throw, its message naming the call and the errno:
 * {@link java.net.ConnectException} (ECONNREFUSED),
 * {@link java.net.SocketTimeoutException} (a connect timeout),
 * {@link java.net.BindException} (EADDRINUSE),
 * {@link java.nio.channels.AsynchronousCloseException} (closed while
 * pending), {@link java.nio.channels.ClosedChannelException} (used after
 * close), {@link java.net.SocketException} (ECONNRESET, EPIPE, others).
 * Calls that never wait (bind, shutdownOutput, options, addresses) throw
 * the IOException itself. End of stream is -1.
 *
 * <h2>Cancellation</h2>
 * An operation whose task is aborted (or that a Timeout or select gives
 * up) is cancelled. Its buffer stays reachable until the kernel is done
 * with it. Bytes a cancelled read had already received are returned by the
 * next read, and a connection a cancelled accept had already taken by the
 * next accept: cancelling loses no data. A cancelled write may have sent
 * some or all of its bytes (as in every runtime).
 */
package io.weft.net;
