package io.weft.io;

import io.weft.sys.Linux;

/**
 * The eventfd other threads write to wake a reactor's loop, and that the
 * reactor closes: a signal after the close writes nowhere. Without the
 * guard a wake-up that came late (a second close of an executor, a
 * notifier racing the loop's exit) wrote its 8 bytes to whatever the
 * number named by then: another file, another socket.
 */
final class WakeSignal {
    private final int fd;
    /** Guarded by this: the close and every signal are ordered, so none follows the close. */
    private boolean closed;

    WakeSignal(int fd) {
        this.fd = fd;
    }

    /** Any thread: adds one to the eventfd, unless it is closed. */
    synchronized void signal() {
        if (!closed) {
            Linux.local().eventfdSignal(fd);
        }
    }

    /** Closes the eventfd once; no signal reaches it afterwards. */
    synchronized void close(Linux sys) {
        if (!closed) {
            closed = true;
            sys.close(fd);
        }
    }
}
