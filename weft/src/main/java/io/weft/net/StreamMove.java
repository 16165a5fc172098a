package io.weft.net;

import io.weft.CancellableFuture;
import io.weft.Context;
import io.weft.Poll;
import io.weft.executor.Worker;
import io.weft.io.DetachedStream;
import io.weft.io.StreamHandle;
import io.weft.task.Task;
import io.weft.TaskFailedException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.util.function.Function;

/**
 * How a stream of a StealingExecutor follows the task that uses it. A
 * stream is registered with the reactor of one worker (its home); a task
 * that started on another worker (a connection handed to a spawned task,
 * the usual server) cannot use it there. So the first awaited operation
 * from another worker of the same executor moves it: a task on the home
 * takes it off that reactor ({@link StreamHandle#detach()}, with nothing
 * pending on it), and the waiting operation registers it with its own
 * worker's reactor, then runs. From then on the stream lives there, as the
 * task does (tasks do not move after their first run).
 *
 * <h2>Threads</h2>
 * Any worker of the executor may start a move; the fields here are guarded
 * by this object's monitor, held for a few field writes and never across an
 * await. {@code SocketStream.handle} and {@code home} are volatile: written
 * here, under the monitor, by the worker the stream moves to, before it
 * first uses the new handle; read by any thread.
 * <ul>
 *   <li>One move at a time ({@link #move}): operations from other workers
 *       during a move wait for it, and whichever claims the finished move
 *       first ({@link #claim}) takes the stream to its own worker; the
 *       others find it on a foreign worker again and start the next
 *       move.</li>
 *   <li>A move fails, and the stream stays where it was, if an operation
 *       is pending on it at home (a stream used at once by tasks on two
 *       workers, a read on one and a write on the other: keep both on one
 *       task, or detach and attach by hand); the waiting operation throws
 *       the detach's IllegalStateException, saying so.</li>
 *   <li>A close from another worker marks the stream closed at once for
 *       its users; the descriptor is closed on its home (a task there), or,
 *       during a move, by whoever ends the move.</li>
 * </ul>
 *
 * <p><b>Cancel safety:</b> an operation cancelled while it waits for a move
 * did nothing; the move goes on, and the next operation (from any worker)
 * takes the stream, with the bytes a cancelled read had kept.
 */
final class StreamMove {
    private final SocketStream stream;
    /** The detach running on the home worker, or null. Guarded by this. */
    private Task<DetachedStream> move;
    /** Closed from another worker. Guarded by this; read without it by isOpen (volatile). */
    private volatile boolean closed;
    /** Moves completed (tests read it). Guarded by this. */
    private long moves;

    StreamMove(SocketStream stream) {
        this.stream = stream;
    }

    boolean isClosed() {
        return closed;
    }

    synchronized long moves() {
        return moves;
    }

    /** Whether a move is in flight (tests read it). */
    synchronized boolean moving() {
        return move != null;
    }

    /** {@code op} on the stream once it is on this worker (it moves here first if need be). */
    <T> CancellableFuture<T> then(Function<StreamHandle, CancellableFuture<T>> op) {
        return new MoveThen<>(op);
    }

    /** The move in flight, started (a detach on the home worker) if none is; {@code here} asks. */
    private synchronized Task<DetachedStream> moveFor(Worker here) {
        if (closed) {
            throw new UncheckedIOException(new ClosedChannelException());
        }
        if (move == null) {
            Worker home = stream.home;
            if (!home.sameExecutor(here)) {
                throw new IllegalStateException(stream + " belongs to " + home.name() + " and was used from "
                        + here.name() + ": a stream moves by itself only between the workers of one"
                        + " StealingExecutor; hand it to another executor with detach() and attach()");
            }
            move = home.spawnHere(stream.handle.detach());
        }
        return move;
    }

    /**
     * After {@code m} finished: if nobody claimed it yet, registers the
     * stream with {@code here}'s reactor (or closes it if the stream was
     * closed meanwhile). Rethrows a detach that failed; the stream then
     * stays where it was.
     */
    private synchronized void claim(Task<DetachedStream> m, Worker here) {
        if (move != m) {
            return; // another operation claimed it: the caller looks where the stream is now
        }
        move = null;
        DetachedStream d;
        try {
            d = m.peek();
        } catch (RuntimeException failed) { // the detach threw, or was cancelled by a close of the executor
            Throwable why = failed instanceof TaskFailedException && failed.getCause() != null ? failed.getCause() : failed;
            if (why instanceof UncheckedIOException io) {
                throw io; // closed at home meanwhile: the operation fails as it would there
            }
            throw new IllegalStateException(stream + " could not move from " + stream.home.name() + " to "
                    + here.name() + ": " + why.getMessage(), why);
        }
        if (closed) {
            d.close();
            throw new UncheckedIOException(new ClosedChannelException());
        }
        stream.handle = d.attach(here.driver());
        stream.home = here;
        moves++;
    }

    /** A close from a worker other than the stream's home. */
    void closeFromAfar() {
        Task<DetachedStream> m;
        Worker home;
        StreamHandle h;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            m = move;
            home = stream.home;
            h = stream.handle;
        }
        if (m != null) {
            // whoever ends the move closes what it detached: an operation waiting for it, or this
            if (!m.wakeOnCompletion(() -> closeMoved(m), true)) {
                closeMoved(m);
            }
        } else {
            home.runHere(h::close); // on its reactor's thread
        }
    }

    private synchronized void closeMoved(Task<DetachedStream> m) {
        if (move == m) {
            move = null;
            try {
                m.peek().close();
            } catch (RuntimeException stayed) {
                stream.home.runHere(stream.handle::close); // the detach failed: the stream is still at home
            }
        }
    }

    /** An operation from another worker: waits for the stream to move here, then runs {@code op} on it. */
    private final class MoveThen<T> implements CancellableFuture<T> {
        private final Function<StreamHandle, CancellableFuture<T>> op;
        private CancellableFuture<T> inner;

        MoveThen(Function<StreamHandle, CancellableFuture<T>> op) {
            this.op = op;
        }

        @Override
        public Poll<T> poll(Context cx) {
            while (inner == null) {
                if (closed) {
                    throw new UncheckedIOException(new ClosedChannelException());
                }
                StreamHandle h = stream.handle;
                if (h.onOwnerThread()) {
                    inner = op.apply(h);
                    break;
                }
                Worker here = Worker.current("a socket operation");
                Task<DetachedStream> m = moveFor(here);
                if (!m.isFinished() && m.wakeOnCompletion(cx.waker(), true)) {
                    return Poll.pending();
                }
                claim(m, here);
            }
            return inner.poll(cx);
        }

        /** <b>Cancel safety:</b> see the class comment: the move goes on; the operation did nothing, or is cancelled. */
        @Override
        public void cancel() {
            if (inner != null) {
                inner.cancel();
            }
        }
    }
}
