package io.weft.examples;

import io.weft.LocalExecutor;
import io.weft.Weft;
import io.weft.net.SocketOptions;
import io.weft.net.TcpListener;
import io.weft.net.TcpStream;
import io.weft.time.Interval;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * An HTTP/1.1 "hello" server: keep-alive, pipelining, a strict request
 * parser ({@link HttpParser}) that answers malformed requests with 400 and
 * oversized heads with 431 and then closes, never crashing. Every request
 * gets {@code Hello, World!}.
 *
 * <pre>
 * java -jar weft-examples/target/weft-examples.jar   (see README)
 *   io.weft.examples.HttpHello [--port 8080] [--driver uring|epoll|nio] [--executors N] [--pin CPU]
 * </pre>
 */
public final class HttpHello {
    private static final byte[] BODY = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
    private static final DateTimeFormatter DATE = // IMF-fixdate (RFC 9110): a two-digit day, unlike RFC_1123_DATE_TIME
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", java.util.Locale.US);

    /** The response, with a Date header refreshed every second; one per executor, loop thread only. */
    private byte[] response = response();

    private static byte[] response() {
        String head = "HTTP/1.1 200 OK\r\nServer: weft\r\nContent-Type: text/plain\r\nContent-Length: " + BODY.length
                + "\r\nDate: " + DATE.format(ZonedDateTime.now(ZoneOffset.UTC)) + "\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] r = new byte[h.length + BODY.length];
        System.arraycopy(h, 0, r, 0, h.length);
        System.arraycopy(BODY, 0, r, h.length, BODY.length);
        return r;
    }

    private static byte[] error(int status) {
        String reason = switch (status) {
            case 400 -> "Bad Request";
            case 413 -> "Content Too Large";
            case 431 -> "Request Header Fields Too Large";
            case 501 -> "Not Implemented";
            case 505 -> "HTTP Version Not Supported";
            default -> "Error";
        };
        return ("HTTP/1.1 " + status + " " + reason + "\r\nServer: weft\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    public static void main(String[] args) throws Exception {
        ServerArgs a = ServerArgs.parse(args, 8080);
        a.runOnEach(i -> {
            try (LocalExecutor ex = a.executor(i, "http")) {
                ex.run(() -> {
                    new HttpHello().serve(a, i);
                    return null;
                });
            }
        });
    }

    void serve(ServerArgs a, int index) throws IOException {
        SocketOptions opts = SocketOptions.DEFAULT.withReusePort(a.executors() > 1);
        try (TcpListener l = TcpListener.bind(new InetSocketAddress(a.host(), a.port()), opts)) {
            System.out.println("http: listening on " + l.localAddress() + " (driver " + Weft.current().driver()
                    + ", executor " + index + ")");
            Weft.spawn(() -> {
                Interval tick = Interval.every(Duration.ofSeconds(1));
                for (;;) {
                    tick.tick().await();
                    response = response();
                }
            });
            for (;;) {
                TcpStream s = l.accept().await();
                Weft.spawn(() -> connection(s));
            }
        }
    }

    /** One connection: parse every complete request in the buffer, answer them with one write, read more. */
    void connection(TcpStream s) {
        byte[] in = new byte[16 * 1024];
        ByteBuffer inBuf = ByteBuffer.wrap(in);
        ByteBuffer out = ByteBuffer.allocateDirect(16 * 1024);
        HttpParser p = new HttpParser();
        int start = 0;
        int end = 0;
        try (s) {
            s.setNoDelay(true);
            for (;;) {
                boolean close = false;
                for (;;) {
                    int r = p.parse(in, start, end);
                    if (r == HttpParser.NEED_MORE) {
                        break;
                    }
                    if (r < 0) {
                        out.put(error(-r));
                        close = true;
                        break;
                    }
                    start += r;
                    long body = p.contentLength;
                    long here = Math.min(body, end - start);
                    start += (int) here;
                    body -= here;
                    while (body > 0) { // skip a body that was not read yet
                        int n = s.read(inBuf.clear().limit((int) Math.min(in.length, body))).await();
                        if (n < 0) {
                            return;
                        }
                        body -= n;
                        start = end = 0;
                    }
                    byte[] resp = response;
                    if (out.remaining() < resp.length) {
                        s.writeAll(out.flip()).await();
                        out.clear();
                    }
                    out.put(resp);
                    if (!p.keepAlive) {
                        close = true;
                        break;
                    }
                }
                if (out.position() > 0) {
                    s.writeAll(out.flip()).await();
                    out.clear();
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
                int n = s.read(inBuf.limit(in.length).position(end)).await();
                if (n < 0) {
                    return;
                }
                end += n;
            }
        } catch (UncheckedIOException | IOException e) {
            // the peer reset or went away: the connection ends, the server goes on
        }
    }
}
