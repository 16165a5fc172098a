package io.weft.bench.net;

import io.weft.bench.Args;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Idle keep-alive connections for the memory-per-connection benchmark
 * ({@code weft-bench/idle.sh}): opens {@code --connections} connections to an
 * HTTP server, sends one GET on each and reads its whole response (so every
 * connection has been served once and is now an idle keep-alive connection),
 * prints {@code READY n}, and keeps them open until a line arrives on stdin
 * (or stdin closes); then closes them all and prints {@code CLOSED n}.
 *
 * <pre>
 * java -cp weft-bench/target/benchmarks.jar io.weft.bench.net.IdleLoad [--port 8080] [--host 127.0.0.1] [--connections 8000]
 * </pre>
 */
public final class IdleLoad {
    private IdleLoad() {
    }

    private static final byte[] REQUEST = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BODY = "Hello, World!".getBytes(StandardCharsets.US_ASCII);

    public static void main(String[] argv) throws IOException {
        Args a = Args.parse(argv, Set.of("port", "host", "connections"));
        InetSocketAddress addr = new InetSocketAddress(a.get("host", "127.0.0.1"), a.getInt("port", 8080));
        int n = a.getInt("connections", 8000);
        List<SocketChannel> open = new ArrayList<>(n);
        ByteBuffer in = ByteBuffer.allocate(4096);
        for (int i = 0; i < n; i++) {
            SocketChannel ch = SocketChannel.open(addr);
            open.add(ch);
            ch.write(ByteBuffer.wrap(REQUEST));
            in.clear();
            while (!endsWithBody(in)) { // Content-Length is the body's: the response ends with it
                if (ch.read(in) < 0) {
                    throw new IOException("connection " + i + " closed before its response ended");
                }
            }
        }
        System.out.println("READY " + open.size());
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII)).readLine();
        for (SocketChannel ch : open) {
            ch.close();
        }
        System.out.println("CLOSED " + open.size());
    }

    private static boolean endsWithBody(ByteBuffer b) {
        int end = b.position();
        if (end < BODY.length) {
            return false;
        }
        for (int i = 0; i < BODY.length; i++) {
            if (b.get(end - BODY.length + i) != BODY[i]) {
                return false;
            }
        }
        return true;
    }
}
