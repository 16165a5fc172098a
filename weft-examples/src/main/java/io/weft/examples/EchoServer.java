package io.weft.examples;

import io.weft.LocalExecutor;
import io.weft.Weft;
import io.weft.net.SocketOptions;
import io.weft.net.TcpListener;
import io.weft.net.TcpStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A TCP echo server: one task per connection writes back what it reads.
 * {@code io.weft.examples.EchoServer [--port 7007] [--driver uring|epoll|nio] [--executors N] [--pin CPU]}
 */
public final class EchoServer {
    public static void main(String[] args) throws Exception {
        ServerArgs a = ServerArgs.parse(args, 7007);
        a.runOnEach(i -> {
            try (LocalExecutor ex = a.executor(i, "echo")) {
                ex.run(() -> {
                    SocketOptions opts = SocketOptions.DEFAULT.withReusePort(a.executors() > 1);
                    try (TcpListener l = TcpListener.bind(new InetSocketAddress(a.host(), a.port()), opts)) {
                        System.out.println("echo: listening on " + l.localAddress() + " (driver "
                                + Weft.current().driver() + ", executor " + i + ")");
                        for (;;) {
                            TcpStream s = l.accept().await();
                            Weft.spawn(() -> echo(s));
                        }
                    }
                });
            }
        });
    }

    static void echo(TcpStream s) {
        ByteBuffer buf = ByteBuffer.allocateDirect(16 * 1024);
        try (s) {
            s.setNoDelay(true);
            while (s.read(buf.clear()).await() > 0) {
                s.writeAll(buf.flip()).await();
            }
        } catch (UncheckedIOException | java.io.IOException e) {
            // the peer went away
        }
    }
}
