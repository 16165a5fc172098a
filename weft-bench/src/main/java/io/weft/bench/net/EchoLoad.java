package io.weft.bench.net;

import io.weft.bench.Args;
import io.weft.bench.Histogram;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;

/**
 * A closed-loop load generator for the TCP echo servers: N connections, each
 * sends a message, waits for all of it to come back, checks it, and sends
 * again, for a warm-up and then a measured time. One thread and one NIO
 * selector (as wrk drives its connections from one event loop), meant to be
 * pinned to its own CPU with taskset. Every round trip's latency, from the
 * write to the last byte back, goes into a {@link Histogram}.
 *
 * <p>Prints a human line and a machine line:
 * {@code RESULT round_trips_per_s=... p50_us=... p99_us=... max_us=... errors=... round_trips=... server_cpu_ns=...}
 * (server_cpu_ns: the CPU time process {@code --server-pid} used during the measured window, or -1).
 *
 * <pre>
 * taskset -c 1 java -cp weft-bench/target/benchmarks.jar io.weft.bench.net.EchoLoad \
 *      [--port 7007] [--host 127.0.0.1] [--connections 64] [--size 64] [--warmup 5] [--duration 10] [--server-pid PID]
 * </pre>
 */
public final class EchoLoad {
    private EchoLoad() {
    }

    /** One connection: the message it sends, what came back so far, and when it was sent. */
    private static final class Conn {
        final SocketChannel ch;
        final ByteBuffer out;
        final ByteBuffer in;
        final byte[] expected;
        long sentAt;

        Conn(SocketChannel ch, int size, int id) {
            this.ch = ch;
            this.expected = new byte[size];
            for (int i = 0; i < size; i++) {
                expected[i] = (byte) ('a' + (id + i) % 26);
            }
            this.out = ByteBuffer.allocateDirect(size).put(expected).flip();
            this.in = ByteBuffer.allocateDirect(size);
        }
    }

    public static void main(String[] argv) throws IOException {
        Args a = Args.parse(argv, Set.of("port", "host", "connections", "size", "warmup", "duration", "server-pid"));
        long serverPid = a.getInt("server-pid", -1);
        InetSocketAddress addr = new InetSocketAddress(a.get("host", "127.0.0.1"), a.getInt("port", 7007));
        int connections = a.getInt("connections", 64);
        int size = a.getInt("size", 64);
        long warmupNs = (long) (a.getDouble("warmup", 5) * 1e9);
        long durationNs = (long) (a.getDouble("duration", 10) * 1e9);

        Histogram h = new Histogram();
        long errors = 0;
        long serverCpu0 = -1;
        long serverCpu1 = -1;
        byte[] got = new byte[size];
        try (Selector sel = Selector.open()) {
            Conn[] conns = new Conn[connections];
            for (int i = 0; i < connections; i++) {
                SocketChannel ch = SocketChannel.open(addr);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ch.configureBlocking(false);
                conns[i] = new Conn(ch, size, i);
                ch.register(sel, SelectionKey.OP_READ, conns[i]);
            }
            long start = System.nanoTime();
            long measureFrom = start + warmupNs;
            long end = measureFrom + durationNs;
            boolean measuring = false;
            for (Conn c : conns) {
                send(c, start);
            }
            long now = start;
            while (now < end) {
                sel.select(100);
                now = System.nanoTime();
                if (!measuring && now >= measureFrom) {
                    measuring = true;
                    h.reset();
                    errors = 0;
                    serverCpu0 = serverCpuNanos(serverPid);
                }
                Set<SelectionKey> ready = sel.selectedKeys();
                for (Iterator<SelectionKey> it = ready.iterator(); it.hasNext();) {
                    SelectionKey k = it.next();
                    it.remove();
                    Conn c = (Conn) k.attachment();
                    if (k.isWritable()) {
                        c.ch.write(c.out);
                        if (!c.out.hasRemaining()) {
                            k.interestOps(SelectionKey.OP_READ);
                        }
                    }
                    if (!k.isReadable()) {
                        continue;
                    }
                    int n = c.ch.read(c.in);
                    if (n < 0) {
                        throw new IOException("the server closed connection " + Arrays.asList(conns).indexOf(c));
                    }
                    if (c.in.hasRemaining()) {
                        continue;
                    }
                    h.record(now - c.sentAt);
                    c.in.flip().get(got);
                    c.in.clear();
                    if (!Arrays.equals(got, c.expected)) {
                        errors++;
                    }
                    if (!send(c, now)) {
                        k.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                    }
                }
            }
            serverCpu1 = serverCpuNanos(serverPid);
            for (Conn c : conns) {
                c.ch.close();
            }
        }
        long serverCpu = serverCpu0 < 0 || serverCpu1 < 0 ? -1 : serverCpu1 - serverCpu0;
        double seconds = durationNs / 1e9;
        double rate = h.count() / seconds;
        System.out.printf(Locale.ROOT, "echo %s: %d connections, %d B messages, %.1f s: %.0f round trips/s, %s%n",
                addr, connections, size, seconds, rate, h.summary());
        System.out.printf(Locale.ROOT, "RESULT round_trips_per_s=%.0f p50_us=%.1f p99_us=%.1f max_us=%.1f errors=%d"
                        + " round_trips=%d server_cpu_ns=%d%n",
                rate, h.percentile(0.5) / 1e3, h.percentile(0.99) / 1e3, h.max() / 1e3, errors, h.count(), serverCpu);
        if (errors > 0) {
            System.exit(2);
        }
    }

    /**
     * The CPU time of every thread of process {@code pid} so far, in nanoseconds (the scheduler's run time,
     * /proc/PID/task/TID/schedstat); -1 without a pid or where /proc does not say. A thread that ended is
     * missed, as in the scripts' own measure.
     */
    static long serverCpuNanos(long pid) {
        if (pid <= 0) {
            return -1;
        }
        long sum = 0;
        try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc", Long.toString(pid), "task"))) {
            for (var t : (Iterable<java.nio.file.Path>) tasks::iterator) {
                try {
                    String st = java.nio.file.Files.readString(t.resolve("schedstat"));
                    sum += Long.parseLong(st.substring(0, st.indexOf(' ')));
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return sum;
    }

    /** Writes the message; false when the socket took only part of it (the rest goes on OP_WRITE). */
    private static boolean send(Conn c, long now) throws IOException {
        c.sentAt = now;
        c.out.rewind();
        c.ch.write(c.out);
        return !c.out.hasRemaining();
    }
}
