/**
 * Sockets of an executor: {@link io.weft.net.TcpListener},
 * {@link io.weft.net.TcpStream}. A socket belongs to the executor whose task
 * made it and is used by that executor's tasks only (another thread gets
 * IllegalStateException naming both threads); its operations run on the
 * executor's driver (io_uring, epoll or nio, see {@link io.weft.Driver}).
 *
 * <h2>Moving a connection</h2>
 * A connected stream can move to another executor of the same driver kind:
 * {@code detach()} takes it off its executor (with nothing pending on it;
 * on io_uring once a cancelled read still in the kernel has completed, whose
 * bytes move with it) and gives a {@link io.weft.net.MovedStream}, which a
 * task of the other executor {@code attach()}es, once. So one executor may
 * accept and others serve, without SO_REUSEPORT.
 *
 * <p>Between the workers of one StealingExecutor a stream also moves by
 * itself: the first awaited operation on it from a task of another worker
 * takes it off its worker's reactor and registers it with its own, then
 * runs ({@code StreamMove}). So a connection handed to a
 * spawned task serves wherever that task starts. While a task on its worker
 * has an operation under way on it (two tasks on two workers using one
 * stream at once: a proxy's two directions), it stays: the other worker's
 * writes send what fits at once from their own thread (a non-blocking send
 * on the descriptor, which the gate of {@code io.weft.io.FdSocket} holds
 * open meanwhile), and what must wait, reads and readables are run on its
 * worker and their results handed back ({@code RemoteStream}: the bytes
 * travel in buffers of their own, never the caller's; a read given up after
 * it read hands its bytes back to the stream). A listener does not move:
 * an accept awaited on another worker runs on the listener's, and the
 * connection it gives then moves as any stream ({@code ListenerAccepts}). A
 * UDP socket does not move either: sends and receives from another worker
 * run on its worker ({@code io.weft.executor.OnHome}); {@code connect} is
 * for its own worker.
 *
 * <h2>Reading and writing at once</h2>
 * A stream is full duplex: one task may wait in a read while another waits
 * in a write of the same stream (a proxy copies each direction in its own
 * task, as {@code io.weft.examples.TcpProxy} does). Closing the stream from
 * either task ends the other's pending operation with
 * AsynchronousCloseException. Several reads (or writes) pending at once on
 * one stream are allowed, but which of them gets which bytes is the order
 * the kernel takes them in: give each direction to one task. On a
 * StealingExecutor the two tasks may run on two workers (see above).
 *
 * <h2>Errors</h2>
 * Operations that may wait return a {@link io.weft.Future}. A failed system
 * call surfaces from {@code await()} as {@link java.io.UncheckedIOException}
 * whose cause is the {@link java.io.IOException} subclass java.nio would
 * throw, its message naming the call and the errno:
 * {@link java.net.ConnectException} (ECONNREFUSED; ETIMEDOUT of a connect),
 * {@link java.net.SocketTimeoutException} (the timeout of
 * {@code connect(address, timeout)}),
 * {@link java.net.BindException} (EADDRINUSE),
 * {@link java.nio.channels.AsynchronousCloseException} (closed while
 * pending), {@link java.nio.channels.ClosedChannelException} (used after
 * close), {@link java.net.SocketException} (ECONNRESET, EPIPE, ETIMEDOUT of
 * an established connection, others).
 * Calls that never wait (bind, shutdownOutput, options, addresses) throw
 * the IOException itself. End of stream is -1.
 *
 * <h2>Host names</h2>
 * {@link io.weft.net.TcpStream#connect(String, int)} (and an unresolved
 * {@link java.net.InetSocketAddress} given to {@code connect}) resolves the
 * name on the blocking pool with {@link java.net.InetAddress#getAllByName},
 * never on the executor's thread, which a slow DNS server would stall; then
 * it tries the addresses in order until one connects. The lookup is a
 * blocking task ({@code io.weft.blocking}): giving up the connect while it
 * waits for a pool thread means it never runs, while it runs interrupts it
 * and drops its answer. An unknown host fails with UncheckedIOException
 * whose cause is an {@link java.net.UnknownHostException} naming it. IP
 * literals need no lookup.
 *
 * <h2>Waiting without a buffer</h2>
 * {@link io.weft.net.SocketStream#readable()} waits until a read would not
 * wait, holding no buffer (io_uring polls the socket; epoll and nio wait for
 * the read bit), and {@link io.weft.net.SocketStream#tryRead} then reads
 * what is there without waiting. A server with many idle connections takes a
 * buffer only for a connection that has bytes ({@code HttpHello} and
 * {@code EchoServer} do): an idle connection costs its task and its socket
 * object, about 1.5 to 5 KB on the heap (weft-bench/idle.sh). A pending
 * {@code read} of a heap buffer holds a native buffer on io_uring for as long
 * as it waits.
 *
 * <h2>Cancel safety</h2>
 * Every operation is an {@link io.weft.CancellableFuture}; whatever gives it
 * up cancels it (an aborted await, a Timeout, a lost select). Its buffer stays
 * reachable until the kernel is done with it.
 * <ul>
 *   <li>read, readExact, readable, receive: no byte or datagram is lost;
 *       what a cancelled read had already received is returned first by the
 *       next read (or tryRead, or receive).</li>
 *   <li>accept: a connection a cancelled accept had already taken goes to
 *       the next accept (closed with the listener).</li>
 *   <li>connect (also the one with a timeout): the socket is closed; a
 *       connect by host name cancelled while the name is being resolved
 *       gives the lookup up (see below).</li>
 *   <li>write, writeAll, send: on epoll and nio a cancelled write wrote
 *       nothing; on io_uring it may have sent a prefix of its bytes, whole
 *       and in order before anything written later (see
 *       {@link io.weft.net.SocketStream#write}). On every driver the
 *       caller's buffer is free once {@code cancel()} returned: what it
 *       holds afterwards is never sent.</li>
 * </ul>
 * {@code io.weft.net.CancelIoTest} checks each of these on every driver.
 */
package io.weft.net;
