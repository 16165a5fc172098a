/**
 * weft: an asynchronous task runtime. The API is {@code io.weft} (executor,
 * tasks, futures, composition), {@code io.weft.time} (timeouts, intervals)
 * and {@code io.weft.sync} (channels, semaphores, mutexes, notify); the other
 * packages are the machinery behind it.
 */
module io.weft {
    exports io.weft;
    exports io.weft.net;
    exports io.weft.sync;
    exports io.weft.time;
}
