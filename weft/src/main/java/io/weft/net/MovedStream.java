package io.weft.net;

import io.weft.JoinHandle;
import io.weft.executor.Worker;
import io.weft.io.DetachedStream;
import io.weft.io.StreamHandle;
import io.weft.task.Task;
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
 * moving.closeWhenDone(pool.spawnOn(next++ % pool.size(), () -> serve(moving.attach())));
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

    /**
     * Closes this stream when {@code task} ends, if nobody attached it by
     * then, and returns {@code task}: hand a stream to the task that will
     * attach it this way, and a task aborted before it ever ran (its
     * executor closing, a scope shutting down) does not leave the
     * connection open.
     *
     * <pre>{@code
     * MovedStream<TcpStream> conn = listener.accept().await().detach().await();
     * conn.closeWhenDone(Weft.spawn(() -> { try (TcpStream s = conn.attach()) { serve(s); } }));
     * }</pre>
     *
     * It does not count as awaiting the task: a failure nobody awaits is
     * still reported as unobserved. A stream the task attached is the
     * task's, and stays open if the task handed it on.
     */
    public <T> JoinHandle<T> closeWhenDone(JoinHandle<T> task) {
        if (task == null) {
            throw new NullPointerException("task");
        }
        if (!(task instanceof Task<T> t)) {
            throw new IllegalArgumentException("closeWhenDone takes the handle of a weft task, not " + task);
        }
        if (!t.wakeOnCompletion(detached::close, false)) {
            detached.close(); // it has ended already
        }
        return task;
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
