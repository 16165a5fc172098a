package io.weft.examples;

import io.weft.Weft;
import io.weft.net.SocketOptions;
import io.weft.net.TcpListener;
import io.weft.net.TcpStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A TCP echo server: one task per connection writes back what it reads;
 * an idle connection holds no buffer (see {@link #echo}).
 * {@code io.weft.examples.EchoServer [--port 7007] [--driver uring|epoll|nio] [--executors N] [--placement unbound|spread|pack] [--pin CPU] [--executor pool|stealing]}
 */
public final class EchoServer {
    public static void main(String[] args) throws Exception {
        ServerArgs a = ServerArgs.parse(args, 7007);
        if (a.stealing()) {
            // a task stays on the worker that first ran it: one pool of buffers per worker thread
            ThreadLocal<Buffers> perWorker = ThreadLocal.withInitial(() -> new Buffers(16 * 1024, false, 1024));
            a.serveStealing("echo", s -> echo(s, perWorker.get()));
            return;
        }
        a.serveOnEach("echo", () -> {
            SocketOptions opts = SocketOptions.DEFAULT.withReusePort(a.executors() > 1);
            try (TcpListener l = TcpListener.bind(new InetSocketAddress(a.host(), a.port()), opts)) {
                System.out.println("echo: listening on " + l.localAddress() + " (driver "
                        + Weft.current().driver() + ", executor " + Weft.executorIndex() + ")");
                Buffers buffers = new Buffers(16 * 1024, false, 1024); // heap: see HttpHello's buffers
                for (;;) {
                    TcpStream s = l.accept().await();
                    Weft.spawn(() -> echo(s, buffers));
                }
            }
        });
    }

    /**
     * Waits for bytes without a buffer ({@code readable}), then takes one
     * from the executor's pool for the read and the write back: an idle
     * connection holds no buffer.
     */
    static void echo(TcpStream s, Buffers buffers) {
        try (s) {
            s.setNoDelay(true);
            for (;;) {
                s.readable().await();
                ByteBuffer buf = buffers.take();
                try {
                    int n = s.tryRead(buf);
                    if (n < 0) {
                        return;
                    }
                    if (n > 0) {
                        s.writeAll(buf.flip()).await();
                    }
                } finally {
                    buffers.give(buf);
                }
            }
        } catch (UncheckedIOException | java.io.IOException e) {
            // the peer went away
        }
    }
}
