package io.weft.examples;

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
 *   io.weft.examples.HttpHello [--port 8080] [--driver uring|epoll|nio] [--executors N] [--placement unbound|spread|pack] [--pin CPU] [--executor pool|stealing]
 *     [--detect-stalls MS] [--dump-on-signal USR2]   (with --detect-stalls, GET /stall holds a thread a second)
 * </pre>
 */
public final class HttpHello {
    private static final byte[] BODY = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
    private static final DateTimeFormatter DATE = // IMF-fixdate (RFC 9110): a two-digit day, unlike RFC_1123_DATE_TIME
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", java.util.Locale.US);

    /** The response, with a Date header refreshed every second; one per executor, loop thread only. */
    private byte[] response = response();
    /** On a StealingExecutor: one response for every worker, refreshed by one task; read by any. */
    private static volatile byte[] shared = response();
    /** Whether this instance answers with {@link #shared} (one instance per worker thread of a StealingExecutor). */
    private final boolean useShared;

    /** A server for one executor (a LocalExecutor, or one of a pool). */
    HttpHello() {
        this(false);
    }

    private HttpHello(boolean useShared) {
        this.useShared = useShared;
    }

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

    /** With {@code --detect-stalls}: {@code GET /stall} holds its executor's thread a second, for the stall report. */
    private static boolean stallDemo;

    /** Spins {@code millis} without yielding: what a blocking call or a long computation in a handler does. */
    static void holdTheThread(long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() - end < 0) {
            Thread.onSpinWait();
        }
    }

    public static void main(String[] args) throws Exception {
        ServerArgs a = ServerArgs.parse(args, 8080);
        stallDemo = a.stallThreshold() != null;
        if (a.stealing()) {
            // a connection's task stays on the worker that first ran it: buffers per worker thread, one response
            ThreadLocal<HttpHello> perWorker = ThreadLocal.withInitial(() -> new HttpHello(true));
            a.serveStealing("http", s -> perWorker.get().connection(s), () -> {
                Interval tick = Interval.every(Duration.ofSeconds(1));
                for (;;) {
                    tick.tick().await();
                    shared = response();
                }
            });
            return;
        }
        a.serveOnEach("http", () -> {
            new HttpHello().serve(a, Weft.executorIndex()); // one per executor: its buffers and Date header
            return null;
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

    /**
     * Request bytes and answers, lent to a connection while it has bytes to
     * handle. Heap buffers: the parser reads the array, and a small answer
     * costs io_uring a copy into a pooled native buffer, which a direct
     * buffer would not; but a direct buffer dropped by a full pool is freed
     * only by a GC, and on io_uring every connection writing at once holds
     * one (its write waits for the kernel's completion).
     */
    private final Buffers inBuffers = new Buffers(16 * 1024, false, 1024);
    private final Buffers outBuffers = new Buffers(4 * 1024, false, 1024);

    /**
     * One connection: wait for bytes without a buffer, read what is there
     * into a pooled buffer, answer every complete request with one write,
     * and give the buffers back. Only a connection in the middle of a
     * request keeps its input buffer between reads; an idle keep-alive
     * connection holds none.
     */
    void connection(TcpStream s) {
        HttpParser p = new HttpParser();
        ByteBuffer inBuf = null; // a partial request, if any: bytes [0, position)
        try (s) {
            s.setNoDelay(true);
            for (;;) {
                s.readable().await();
                if (inBuf == null) {
                    inBuf = inBuffers.take();
                }
                int n = s.tryRead(inBuf);
                if (n < 0) {
                    return;
                }
                if (n == 0) {
                    if (inBuf.position() == 0) {
                        inBuffers.give(inBuf); // the readiness was stale: wait again, holding nothing
                        inBuf = null;
                    }
                    continue;
                }
                ByteBuffer out = outBuffers.take();
                try {
                    int kept = answer(s, p, inBuf, out);
                    if (kept == 0) {
                        inBuffers.give(inBuf); // before the write, which may wait
                        inBuf = null;
                    } else if (kept > 0) {
                        inBuf.position(kept);
                    }
                    if (out.position() > 0) {
                        s.writeAll(out.flip()).await();
                    }
                    if (kept < 0) {
                        return; // answered with an error, or the client asked to close
                    }
                } finally {
                    outBuffers.give(out);
                }
            }
        } catch (UncheckedIOException | IOException e) {
            // the peer reset or went away: the connection ends, the server goes on
        } finally {
            if (inBuf != null) {
                inBuffers.give(inBuf);
            }
        }
    }

    /**
     * Puts the answer to every complete request in {@code inBuf}'s bytes into
     * {@code out} (writing it first when it is full). Returns how many bytes
     * of a partial request remain (moved to the front), or -1 if the
     * connection must close after {@code out} is written.
     */
    private int answer(TcpStream s, HttpParser p, ByteBuffer inBuf, ByteBuffer out) {
        byte[] in = inBuf.array();
        int start = 0;
        int end = inBuf.position();
        for (;;) {
            int r = p.parse(in, start, end);
            if (r == HttpParser.NEED_MORE) {
                break;
            }
            if (r < 0) {
                out.put(error(-r));
                return -1;
            }
            start += r;
            long body = p.contentLength;
            long here = Math.min(body, end - start);
            start += (int) here;
            body -= here;
            while (body > 0) { // skip a body that was not read yet
                s.readable().await();
                int n = s.tryRead(inBuf.clear().limit((int) Math.min(in.length, body)));
                if (n < 0) {
                    return -1;
                }
                body -= n;
                start = end = 0;
            }
            if (stallDemo && p.targetEnd - p.targetStart >= 6 && new String(in, p.targetStart, 6,
                    StandardCharsets.US_ASCII).equals("/stall")) {
                holdTheThread(1000); // the operator's demo: a request that never yields (see README)
            }
            byte[] resp = useShared ? shared : response;
            if (out.remaining() < resp.length) {
                s.writeAll(out.flip()).await();
                out.clear();
            }
            out.put(resp);
            if (!p.keepAlive) {
                return -1;
            }
        }
        int kept = end - start;
        System.arraycopy(in, start, in, 0, kept);
        inBuf.clear();
        return kept;
    }
}
