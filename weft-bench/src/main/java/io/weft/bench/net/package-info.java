/**
 * The peers and the load of the whole-program network benchmarks
 * ({@code weft-bench/http.sh}, {@code weft-bench/echo.sh}), which run weft's
 * own {@code io.weft.examples.HttpHello} and {@code EchoServer} beside them.
 *
 * <ul>
 *   <li>{@link io.weft.bench.net.NettyServer}: Netty 4.2, one event loop, epoll or io_uring;
 *   <li>{@link io.weft.bench.net.VirtualThreadServer}: blocking java.net sockets, a virtual
 *       thread per connection, HttpHello's parser and buffering;
 *   <li>{@link io.weft.bench.net.HelloResponse}: the bytes every HTTP server answers with;
 *   <li>{@link io.weft.bench.net.EchoLoad}: the closed-loop echo client (wrk does HTTP).
 * </ul>
 * Each server is a separate process confined to one CPU by the scripts; the
 * load runs on the other CPU.
 */
package io.weft.bench.net;
