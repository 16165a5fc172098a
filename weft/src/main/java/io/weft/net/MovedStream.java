package io.weft.net;

import io.weft.executor.Worker;
import io.weft.io.DetachedStream;
import io.weft.io.StreamHandle;
import java.util.function.Function;

/**
 * A connected stream on its way from one executor to another: what
 * {@link TcpStream#detach()} (or {@link UnixStream#detach()}) gives, to be
 * handed to a task of another executor (a spawn, a channel), which calls
 * {@link #attach()} to get the stream back, registered with its own driver.
 * So a server may accept on one executor and serve on any:
 *
 * <pre>{@code
 * TcpStream conn = listener.accept().await();
 * MovedStream<TcpStream> moving = conn.detach().await();
 * pool.spawnOn(next++ % pool.size(), () -> serve(moving.attach()));
 * }</pre>
 *
 * Any thread may hold it. Bytes a cancelled read had kept for the next read
 * move with it. It moves between executors of the same driver kind only
 * (IllegalStateException otherwise, naming both). {@link #attach()} works
 * once; a stream never attached must be closed ({@link #close()}, which
 * does nothing after an attach).
 */
public final class MovedStream<S extends SocketStream> implements AutoCloseable {
    private final DetachedStream detached;
    private final Function<StreamHandle, S> wrap;

    MovedStream(DetachedStream detached, Function<StreamHandle, S> wrap) {
        this.detached = detached;
        this.wrap = wrap;
    }

    /**
     * The stream, registered with the driver of the executor whose task calls
     * this (IllegalStateException outside a task). Once only.
     */
    public S attach() {
        return wrap.apply(detached.attach(Worker.current("MovedStream.attach").driver()));
    }

    /** Closes the stream if nobody attached it (then {@link #attach()} throws); idempotent. */
    @Override
    public void close() {
        detached.close();
    }

    @Override
    public String toString() {
        return "MovedStream[from " + detached.from() + "]";
    }
}
