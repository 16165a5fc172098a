/**
 * weft: an asynchronous task runtime. The API is {@code io.weft} (executor,
 * tasks, futures, composition), {@code io.weft.time} (timeouts, intervals)
 * and {@code io.weft.sync} (channels, semaphores, mutexes, notify); the other
 * packages are the machinery behind it.
 */
module io.weft {
    requires jdk.unsupported; // com.sun.nio.file.ExtendedOpenOption.DIRECT for O_DIRECT through FileChannel
    exports io.weft;
    exports io.weft.fs;
    exports io.weft.net;
    exports io.weft.sync;
    exports io.weft.time;
}
