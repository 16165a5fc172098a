package io.weft.examples;

import io.weft.Driver;
import io.weft.LocalExecutor;

/**
 * Command-line options of the example servers:
 * {@code [--port N] [--host ADDR] [--driver uring|epoll|nio] [--executors N] [--pin CPU]}.
 * With several executors each binds the port with SO_REUSEPORT and the
 * kernel spreads connections; {@code --pin} pins executor i to CPU+i.
 */
record ServerArgs(String host, int port, Driver driver, int executors, int pin) {

    static ServerArgs parse(String[] args, int defaultPort) {
        String host = "127.0.0.1";
        int port = defaultPort;
        Driver driver = null;
        int executors = 1;
        int pin = -1;
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
                default -> throw new IllegalArgumentException("unknown option " + a
                        + " (expected --port, --host, --driver, --executors, --pin)");
            }
        }
        if (executors < 1) {
            throw new IllegalArgumentException("--executors must be at least 1");
        }
        return new ServerArgs(host, port, driver, executors, pin);
    }

    private static Driver driver(String v) {
        for (Driver d : Driver.values()) {
            if (d.propertyName().equalsIgnoreCase(v) || (d == Driver.URING && "io_uring".equalsIgnoreCase(v))) {
                return d;
            }
        }
        throw new IllegalArgumentException("--driver " + v + ": expected uring, epoll or nio");
    }

    LocalExecutor executor(int i, String name) {
        LocalExecutor.Builder b = LocalExecutor.builder().name(name + "-" + i);
        if (driver != null) {
            b.driver(driver);
        }
        if (pin >= 0) {
            b.pinTo(pin + i);
        }
        return b.build();
    }

    /** Runs {@code body(i)} on {@code executors} threads and waits for them. */
    void runOnEach(java.util.function.IntConsumer body) throws InterruptedException {
        Thread[] threads = new Thread[executors];
        for (int i = 0; i < executors; i++) {
            int n = i;
            threads[i] = new Thread(() -> body.accept(n), "server-" + i);
            threads[i].start();
        }
        for (Thread t : threads) {
            t.join();
        }
    }
}
