package io.weft.bench.net;

import io.weft.bench.Args;
import io.weft.examples.HttpParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The virtual-thread peer of weft's HttpHello and EchoServer: blocking
 * {@code java.net} sockets, one virtual thread per connection. Run it with
 * {@code -Djdk.virtualThreadScheduler.parallelism=1} to give it one core, as
 * weft's single executor has.
 *
 * <p>The HTTP connection loop is HttpHello's, line for line, with blocking
 * streams instead of tasks: the same {@link HttpParser}, the same 16 KiB
 * buffers, every request of a read answered with one write. So the figures
 * differ by the I/O and scheduling model only.
 *
 * <pre>
 * java -Djdk.virtualThreadScheduler.parallelism=1 -cp weft-bench/target/benchmarks.jar \
 *      io.weft.bench.net.VirtualThreadServer [--app http|echo] [--port 8080] [--host 127.0.0.1]
 * </pre>
 */
public final class VirtualThreadServer {
    private VirtualThreadServer() {
    }

    /** The response with the current date, replaced every second by a virtual thread. */
    private static volatile byte[] response = HelloResponse.bytes("vthreads");

    public static void main(String[] argv) throws Exception {
        Args a = Args.parse(argv, Set.of("app", "port", "host"));
        String app = a.get("app", "http");
        int port = a.getInt("port", 8080);
        String host = a.get("host", "127.0.0.1");
        if (!app.equals("http") && !app.equals("echo")) {
            throw new IllegalArgumentException("--app " + app + ": expected http or echo");
        }
        try (ServerSocket server = new ServerSocket();
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getByName(host), port), 1024);
            if (app.equals("http")) {
                threads.submit(() -> {
                    for (;;) {
                        Thread.sleep(1000);
                        response = HelloResponse.bytes("vthreads");
                    }
                });
            }
            System.out.println(app + ": listening on " + server.getLocalSocketAddress()
                    + " (virtual thread per connection, scheduler parallelism "
                    + System.getProperty("jdk.virtualThreadScheduler.parallelism", "default") + ")");
            for (;;) {
                Socket s = server.accept();
                threads.submit(() -> {
                    if (app.equals("http")) {
                        http(s);
                    } else {
                        echo(s);
                    }
                });
            }
        }
    }

    static void echo(Socket s) {
        byte[] buf = new byte[16 * 1024];
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            s.setTcpNoDelay(true);
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            // the peer went away
        }
    }

    /** As HttpHello.connection: parse every complete request in the buffer, answer them with one write, read more. */
    static void http(Socket s) {
        byte[] in = new byte[16 * 1024];
        byte[] out = new byte[16 * 1024];
        int outLen = 0;
        HttpParser p = new HttpParser();
        int start = 0;
        int end = 0;
        try (s; InputStream is = s.getInputStream(); OutputStream os = s.getOutputStream()) {
            s.setTcpNoDelay(true);
            for (;;) {
                boolean close = false;
                for (;;) {
                    int r = p.parse(in, start, end);
                    if (r == HttpParser.NEED_MORE) {
                        break;
                    }
                    if (r < 0) {
                        byte[] e = HelloResponse.error(-r);
                        System.arraycopy(e, 0, out, outLen, Math.min(e.length, out.length - outLen));
                        outLen += Math.min(e.length, out.length - outLen);
                        close = true;
                        break;
                    }
                    start += r;
                    long body = p.contentLength;
                    long here = Math.min(body, end - start);
                    start += (int) here;
                    body -= here;
                    while (body > 0) { // skip a body that was not read yet
                        int n = is.read(in, 0, (int) Math.min(in.length, body));
                        if (n < 0) {
                            return;
                        }
                        body -= n;
                        start = end = 0;
                    }
                    byte[] resp = response;
                    if (out.length - outLen < resp.length) {
                        os.write(out, 0, outLen);
                        outLen = 0;
                    }
                    System.arraycopy(resp, 0, out, outLen, resp.length);
                    outLen += resp.length;
                    if (!p.keepAlive) {
                        close = true;
                        break;
                    }
                }
                if (outLen > 0) {
                    os.write(out, 0, outLen);
                    outLen = 0;
                }
                if (close) {
                    return;
                }
                if (start == end) {
                    start = end = 0;
                } else if (in.length - end < 2048) {
                    System.arraycopy(in, start, in, 0, end - start);
                    end -= start;
                    start = 0;
                }
                int n = is.read(in, end, in.length - end);
                if (n < 0) {
                    return;
                }
                end += n;
            }
        } catch (IOException e) {
            // the peer reset or went away: the connection ends, the server goes on
        }
    }
}
