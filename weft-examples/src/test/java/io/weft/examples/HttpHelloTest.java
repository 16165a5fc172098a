package io.weft.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.JoinHandle;
import io.weft.LocalExecutor;
import io.weft.Weft;
import io.weft.net.TcpListener;
import io.weft.net.TcpStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The parser's outcomes, and the server answering good, bad and random requests over real sockets. */
@org.junit.jupiter.api.Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES,
        threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD) // a hang fails instead of stalling the build
class HttpHelloTest {

    static int parse(String head) {
        byte[] b = head.getBytes(StandardCharsets.ISO_8859_1);
        return new HttpParser().parse(b, 0, b.length);
    }

    @Test
    void parserOutcomes() {
        assertThat(parse("GET / HTTP/1.1\r\nHost: x\r\n\r\n")).isEqualTo(27);
        assertThat(parse("GET / HTTP/1.1\r\nHost: x\r\n")).isEqualTo(HttpParser.NEED_MORE);
        assertThat(parse("GET / HT")).isEqualTo(HttpParser.NEED_MORE);
        assertThat(parse("GET  / HTTP/1.1\r\n\r\n")).isEqualTo(-400);
        assertThat(parse("G@T / HTTP/1.1\r\n\r\n")).isEqualTo(-400);
        assertThat(parse("GET / HTTP/2.0\r\n\r\n")).isEqualTo(-505);
        assertThat(parse("GET / HTTP/1.1\nHost: x\n\n")).isEqualTo(-400);
        assertThat(parse("GET / HTTP/1.1\r\nBad Header: x\r\n\r\n")).isEqualTo(-400);
        assertThat(parse("GET / HTTP/1.1\r\nX: a\u0001b\r\n\r\n")).isEqualTo(-400);
        assertThat(parse("POST / HTTP/1.1\r\nContent-Length: 12x\r\n\r\n")).isEqualTo(-400);
        assertThat(parse("POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n")).isEqualTo(-400);
        assertThat(parse("POST / HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n")).isEqualTo(-413);
        assertThat(parse("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n")).isEqualTo(-501);
        assertThat(parse("GET / HTTP/1.1\r\nX: " + "a".repeat(9000))).isEqualTo(-431);
        HttpParser p = new HttpParser();
        byte[] b = "GET /x HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(p.parse(b, 0, b.length)).isEqualTo(b.length);
        assertThat(p.keepAlive).isTrue();
        b = "GET /x HTTP/1.1\r\nConnection: close\r\nContent-Length: 3\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(p.parse(b, 0, b.length)).isEqualTo(b.length);
        assertThat(p.keepAlive).isFalse();
        assertThat(p.contentLength).isEqualTo(3);
    }

    @Test
    void parserNeverThrowsOnRandomBytes() {
        Random r = new Random(11);
        HttpParser p = new HttpParser();
        String alphabet = "GET /HTP1.\r\n: aZ\t\u0000\u00ff";
        for (int i = 0; i < 200_000; i++) {
            byte[] b = new byte[r.nextInt(64)];
            for (int k = 0; k < b.length; k++) {
                b[k] = r.nextInt(4) == 0 ? (byte) r.nextInt(256) : (byte) alphabet.charAt(r.nextInt(alphabet.length()));
            }
            int res = p.parse(b, 0, b.length);
            assertThat(res).isIn(HttpParser.NEED_MORE, -400, -413, -431, -501, -505)
                    .as("positive results are head lengths").satisfiesAnyOf(
                            x -> assertThat(x).isLessThanOrEqualTo(0), x -> assertThat(x).isBetween(1, b.length));
        }
    }

    @Test
    void serverAnswersPipelinedAndBadRequestsAndKeepsRunning() {
        try (LocalExecutor ex = LocalExecutor.create()) {
            List<String> replies = ex.run(() -> {
                HttpHello server = new HttpHello();
                TcpListener l = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0));
                JoinHandle<Void> accept = Weft.spawn(() -> {
                    for (;;) {
                        TcpStream s = l.accept().await();
                        Weft.spawn(() -> server.connection(s));
                    }
                });
                List<String> out = new ArrayList<>();
                out.add(exchange(l, "GET / HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"));
                out.add(exchange(l, "NOT HTTP AT ALL\r\n\r\n"));
                out.add(exchange(l, "GET / HTTP/1.1\r\nX: " + "a".repeat(10_000) + "\r\n\r\n"));
                out.add(exchange(l, "POST / HTTP/1.1\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello"));
                Random r = new Random(3);
                for (int i = 0; i < 200; i++) {
                    byte[] junk = new byte[1 + r.nextInt(300)];
                    r.nextBytes(junk);
                    String reply = exchange(l, new String(junk, StandardCharsets.ISO_8859_1));
                    assertThat(reply).matches("(?s)(|HTTP/1\\.1 (400|413|431|501|505) .*)");
                }
                out.add(exchange(l, "GET / HTTP/1.0\r\n\r\n")); // still serving after the junk
                accept.abort();
                l.close();
                return out;
            });
            assertThat(replies.get(0)).containsPattern("(?s)200 OK.*Hello, World!.*200 OK.*Hello, World!");
            assertThat(replies.get(1)).startsWith("HTTP/1.1 400 Bad Request");
            assertThat(replies.get(2)).startsWith("HTTP/1.1 431 ");
            assertThat(replies.get(3)).startsWith("HTTP/1.1 200 OK").endsWith("Hello, World!");
            assertThat(replies.get(4)).startsWith("HTTP/1.1 200 OK").endsWith("Hello, World!");
        }
    }

    /** Sends {@code request}, half-closes, and reads the reply until the server closes. */
    static String exchange(TcpListener l, String request) throws Exception {
        try (TcpStream c = TcpStream.connect(l.localAddress()).await()) {
            try {
                c.writeAll(ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1))).await();
                c.shutdownOutput();
            } catch (UncheckedIOException e) {
                // the server may close before taking everything (an early 431): read what it said
            }
            ByteBuffer in = ByteBuffer.allocate(64 * 1024);
            try {
                while (c.read(in).await() >= 0) {
                    // until the server closes
                }
            } catch (UncheckedIOException e) {
                // reset after an early close: the reply read so far is the answer
            }
            return new String(in.array(), 0, in.position(), StandardCharsets.ISO_8859_1);
        }
    }
}
