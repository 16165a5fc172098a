/**
 * weft: an asynchronous task runtime. The API is {@code io.weft} (executor,
 * tasks, futures, composition, the driver choice), {@code io.weft.time}
 * (timeouts, intervals), {@code io.weft.sync} (channels, locks, notify,
 * broadcast, watch), {@code io.weft.net} (TCP, UDP, Unix sockets) and
 * {@code io.weft.fs} (files); the other packages are the machinery behind it.
 */
module io.weft {
    requires java.management; // the debug check of awaits (the thread's locks), the executors' MBeans
    requires jdk.jfr; // weft's JFR events (off unless a recording enables them)
    requires jdk.unsupported; // com.sun.nio.file.ExtendedOpenOption.DIRECT for O_DIRECT through FileChannel
    exports io.weft;
    exports io.weft.fs;
    exports io.weft.net;
    exports io.weft.sync;
    exports io.weft.time;
}
