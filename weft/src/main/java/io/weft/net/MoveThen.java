package io.weft.net;

import io.weft.CancellableFuture;
import io.weft.Context;
import io.weft.Poll;
import io.weft.executor.Worker;
import io.weft.io.DetachedStream;
import io.weft.io.StreamHandle;
import io.weft.io.StreamOps;
import io.weft.task.Task;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.util.function.Function;

/**
 * An operation of a {@link StreamMove}'s stream from a worker other than its
 * home: waits for the stream to move here, then runs {@code op} on it (or
 * forwards it home, for a shared stream). The thread rules are
 * {@link StreamMove}'s: it runs on the calling task's worker, and reads and
 * writes the mover's state as its other operations there do.
 */
final class MoveThen<T> implements CancellableFuture<T>, io.weft.compose.GivesBack<T> {
    private final StreamMove mover;
    private final Function<StreamOps, CancellableFuture<T>> op;
    private CancellableFuture<T> inner;
    /** {@link #inner} runs on the stream's handle here: counted in {@code StreamMove.activeHere}. */
    private boolean counted;
    /** The move this operation waits for, or null. */
    private Task<DetachedStream> waitingFor;

    MoveThen(StreamMove mover, Function<StreamOps, CancellableFuture<T>> op) {
        this.mover = mover;
        this.op = op;
    }

    private void ended() {
        if (counted) {
            counted = false;
            mover.activeHere--;
        }
    }

    /**
     * The value the operation returned, given back by a combinator that took
     * it and was given up: to the operation that ran on this worker's
     * handle, which puts a read's bytes back (its own thread check refuses
     * it if the stream moved away since); an operation forwarded to the
     * stream's worker keeps nothing to give back.
     */
    @Override
    public void giveBack(T value) {
        io.weft.compose.GivesBack.giveBackTo(inner, value); // a stream operation's value is never AutoCloseable
    }

    @Override
    public Poll<T> poll(Context cx) {
        for (;;) {
            if (inner != null) {
                try {
                    Poll<T> p = inner.poll(cx);
                    if (p.isReady()) {
                        ended();
                    }
                    return p;
                } catch (StreamMove.Retry moved) {
                    inner = null; // forwarded, but the stream had left that worker: look where it is now
                } catch (RuntimeException | Error failed) {
                    ended();
                    throw failed;
                }
            }
            if (mover.closed) {
                throw new UncheckedIOException(new ClosedChannelException());
            }
            StreamHandle h = mover.stream.handle;
            if (h.onOwnerThread() && (h.isOpen() || mover.closedHere(h))) { // not a handle detached for a move
                inner = op.apply(h);
                counted = true;
                mover.activeHere++;
                continue;
            }
            Worker here = Worker.current("a socket operation");
            Task<DetachedStream> m = mover.moveFor(here);
            if (m == null) {
                inner = op.apply(mover.remote()); // shared: run on the stream's worker
                continue;
            }
            if (!m.isFinished() && m.wakeOnCompletion(cx.waker(), true)) {
                waitingFor = m;
                return Poll.pending();
            }
            waitingFor = null;
            mover.claim(m, here); // here now, or shared
        }
    }

    /**
     * <b>Cancel safety:</b> see the class comment: the move goes on; the
     * operation did nothing, or is cancelled (a forwarded read hands back
     * what it read).
     */
    @Override
    public void cancel() {
        if (inner != null) {
            inner.cancel();
            ended();
        } else if (waitingFor != null) {
            Task<DetachedStream> m = waitingFor;
            waitingFor = null;
            mover.abandon(m, Worker.currentOrNull());
        }
    }
}
