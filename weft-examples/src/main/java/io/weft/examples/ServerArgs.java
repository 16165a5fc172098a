package io.weft.examples;

import io.weft.Driver;
import io.weft.JoinHandle;
import io.weft.LocalExecutorPool;
import io.weft.Placement;
import io.weft.StealingExecutor;
import io.weft.TaskInfo;
import io.weft.Weft;
import io.weft.net.TcpListener;
import io.weft.net.TcpStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * Command-line options of the example servers:
 * {@code [--port N] [--host ADDR] [--driver uring|epoll|nio] [--executors N]
 * [--placement unbound|spread|pack] [--pin CPU] [--executor pool|stealing]
 * [--detect-stalls MS] [--dump-on-signal USR2]}.
 * The server runs on a {@link LocalExecutorPool} of {@code --executors}
 * executors; with several, each binds the port with SO_REUSEPORT and the
 * kernel spreads connections. {@code --placement} places them (maxSpread,
 * maxPack or unbound, the default); {@code --pin CPU} pins executor i to
 * CPU+i instead. With {@code --executor stealing} (servers that support it)
 * it runs on a {@link StealingExecutor} of {@code --executors} workers
 * instead: one task accepts, and each connection is served by a task of its
 * own on whichever worker takes it (see {@link #serveStealing}).
 * {@code --detect-stalls MS} reports a task that holds its thread longer
 * than MS milliseconds, while it does (a WARNING with the thread's stack);
 * {@code --dump-on-signal USR2} prints every task of the process (a task
 * dump, as {@code Weft.dumpAllTasks()}) each time the process gets that
 * signal: {@code kill -USR2 <pid>}.
 */
record ServerArgs(String host, int port, Driver driver, int executors, Placement placement, boolean stealing,
                  Duration stallThreshold, String dumpSignal) {

    static ServerArgs parse(String[] args, int defaultPort) {
        String host = "127.0.0.1";
        int port = defaultPort;
        Driver driver = null;
        int executors = 1;
        int pin = -1;
        String placement = null;
        boolean stealing = false;
        Duration stalls = null;
        String dumpSignal = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--port" -> port = Integer.parseInt(v);
                case "--host" -> host = v;
                case "--driver" -> driver = driver(v);
                case "--executors" -> executors = Integer.parseInt(v);
                case "--pin" -> pin = Integer.parseInt(v);
                case "--placement" -> placement = v;
                case "--executor" -> stealing = switch (v) {
                    case "pool" -> false;
                    case "stealing" -> true;
                    default -> throw new IllegalArgumentException("--executor " + v + ": expected pool or stealing");
                };
                case "--detect-stalls" -> stalls = Duration.ofMillis(Long.parseLong(v));
                case "--dump-on-signal" -> dumpSignal = v;
                default -> throw new IllegalArgumentException("unknown option " + a
                        + " (expected --port, --host, --driver, --executors, --placement, --pin, --executor,"
                        + " --detect-stalls, --dump-on-signal)");
            }
        }
        if (executors < 1) {
            throw new IllegalArgumentException("--executors must be at least 1");
        }
        if (pin >= 0 && placement != null) {
            throw new IllegalArgumentException("--pin and --placement both place the executors: give one");
        }
        ServerArgs parsed = new ServerArgs(host, port, driver, executors, placement(placement, pin, executors),
                stealing, stalls, dumpSignal);
        if (dumpSignal != null) {
            installDump(dumpSignal);
        }
        return parsed;
    }

    /** Prints a dump of every task in the process each time the process gets {@code signal}. */
    @SuppressWarnings("removal")
    private static void installDump(String signal) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal(signal), sig -> {
                List<TaskInfo> tasks = Weft.dumpAllTasks();
                System.out.println(TaskInfo.toText(tasks));
                System.out.flush();
            });
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--dump-on-signal " + signal + ": " + e.getMessage()
                    + " (USR2 is free on Linux)", e);
        }
    }

    private static Placement placement(String name, int pin, int executors) {
        if (pin >= 0) {
            List<int[]> cpus = new ArrayList<>();
            for (int i = 0; i < executors; i++) {
                cpus.add(new int[] {pin + i});
            }
            return Placement.custom(cpus);
        }
        if (name == null) {
            return Placement.unbound();
        }
        return switch (name) {
            case "unbound" -> Placement.unbound();
            case "spread" -> Placement.maxSpread();
            case "pack" -> Placement.maxPack();
            default -> throw new IllegalArgumentException("--placement " + name + ": expected unbound, spread or pack");
        };
    }

    private static Driver driver(String v) {
        for (Driver d : Driver.values()) {
            if (d.propertyName().equalsIgnoreCase(v) || (d == Driver.URING && "io_uring".equalsIgnoreCase(v))) {
                return d;
            }
        }
        throw new IllegalArgumentException("--driver " + v + ": expected uring, epoll or nio");
    }

    /** A pool of {@code executors} executors named {@code name-i}, placed and on the driver asked for. */
    LocalExecutorPool pool(String name) {
        LocalExecutorPool.Builder b = LocalExecutorPool.builder().name(name).executors(executors).placement(placement);
        if (driver != null) {
            b.driver(driver);
        }
        if (stallThreshold != null) {
            b.detectStalls(stallThreshold);
        }
        return b.build();
    }

    /**
     * On a StealingExecutor of {@code executors} workers, placed and on the
     * driver asked for: one task binds {@code host:port} and accepts; each
     * connection is served by {@code handler} in a task of its own, on
     * whichever worker starts it (the stream moves there at its first
     * read). Runs until the JVM exits.
     */
    void serveStealing(String name, Consumer<TcpStream> handler) {
        serveStealing(name, handler, null);
    }

    /** As {@link #serveStealing(String, Consumer)}, with {@code chore} (may be null) spawned beside the accept loop. */
    void serveStealing(String name, Consumer<TcpStream> handler, Runnable chore) {
        StealingExecutor.Builder b = StealingExecutor.builder().name(name).workers(executors).placement(placement);
        if (driver != null) {
            b.driver(driver);
        }
        if (stallThreshold != null) {
            b.detectStalls(stallThreshold);
        }
        try (StealingExecutor ex = b.build()) {
            // on exit (ctrl-c, kill): where the connections' streams went, per worker
            Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println(name + ": " + streamsSummary(ex))));
            ex.blockOn(() -> {
                try (TcpListener l = TcpListener.bind(new InetSocketAddress(host, port))) {
                    System.out.println(name + ": listening on " + l.localAddress() + " (StealingExecutor, "
                            + executors + " worker(s))");
                    if (chore != null) {
                        Weft.spawn(chore);
                    }
                    for (;;) {
                        TcpStream conn = l.accept().await();
                        Weft.spawn(() -> handler.accept(conn)); // moves to the worker its task starts on
                    }
                }
            });
        }
    }

    /** Per worker: polls, streams moved to it, stream operations it ran for tasks of other workers. */
    static String streamsSummary(StealingExecutor ex) {
        StringBuilder s = new StringBuilder("per worker (polls, streams moved in, operations run for other workers):");
        for (var w : ex.stats().workers()) {
            s.append(' ').append(w.index()).append(": ").append(w.polls()).append(", ").append(w.streamMoves())
                    .append(", ").append(w.forwardedOps()).append(';');
        }
        return s.toString();
    }

    /** Runs {@code server} as a task on every executor of a new pool, until they all end (or the JVM exits). */
    void serveOnEach(String name, Callable<Void> server) {
        if (stealing) {
            throw new IllegalArgumentException(name + ": --executor stealing is not supported by this server yet"
                    + " (EchoServer, HttpHello and TcpProxy have it)");
        }
        try (LocalExecutorPool pool = pool(name)) {
            for (JoinHandle<Void> h : pool.spawnOnEach(server)) {
                h.await();
            }
        }
    }
}
