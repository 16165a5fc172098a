package io.weft.net;

import io.weft.CancellableFuture;
import io.weft.Context;
import io.weft.Poll;
import io.weft.TaskFailedException;
import io.weft.executor.Worker;
import io.weft.io.ListenerHandle;
import io.weft.io.StreamHandle;
import io.weft.task.Task;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

/**
 * The accepts of a listener ({@link TcpListener}, {@link UnixListener}),
 * from any worker of a StealingExecutor. A listener stays on the worker
 * whose task bound it (its reactor); an accept awaited by a task of another
 * worker runs there, as a task of that worker ({@code Worker.spawnHere}),
 * and hands the caller the connection, whose stream then moves to the
 * caller's worker at its first read or write ({@link StreamMove}). So an
 * accept loop spawned with a listener bound elsewhere works, at the price
 * of a hop between threads per accept (an accept loop that binds its own
 * listener pays none).
 *
 * <p><b>Cancel safety:</b> no connection is lost. An accept given up while
 * it runs on the listener's worker is cancelled there, as any accept (a
 * connection the kernel had taken already waits for the next accept); one
 * that had already taken a connection hands it back ({@link #handedBack}),
 * and the next accept, from any worker, returns it first; a close of the
 * listener closes what is handed back.
 *
 * <p>Threads: {@code handedBack} is a concurrent queue (any thread); the
 * rest is final.
 */
final class ListenerAccepts<S extends SocketStream> {
    private final ListenerHandle handle;
    private final Function<StreamHandle, S> wrap;
    /** The StealingExecutor worker whose reactor holds the listener, or null (a LocalExecutor's). */
    private final Worker home;
    /** Connections taken for accepts given up meanwhile: the next accept's. */
    private final ConcurrentLinkedQueue<S> handedBack = new ConcurrentLinkedQueue<>();

    ListenerAccepts(ListenerHandle handle, Function<StreamHandle, S> wrap) {
        this.handle = handle;
        this.wrap = wrap;
        Worker w = Worker.currentOrNull();
        this.home = w != null && !w.tasksStayOnThread() ? w : null;
    }

    CancellableFuture<S> accept() {
        if (home == null || handle.onOwnerThread()) {
            S back = handedBack.poll();
            return back != null ? new HandedBack(back) : handle.accept().map(wrap);
        }
        return new OnHome();
    }

    /** Closes the listener (on its worker, from another one), then what was handed back. */
    void close() {
        if (home == null || handle.onOwnerThread()) {
            handle.close();
        } else {
            home.spawnHere(cx -> {
                handle.close(); // on its reactor's thread
                return Poll.ready(null);
            });
        }
        closeHandedBack();
    }

    /** What was handed back is closed (the listener closed). */
    void closeHandedBack() {
        for (S s; (s = handedBack.poll()) != null; ) {
            s.close();
        }
    }

    /** An accept on the listener's worker, for a task of another worker. */
    private final class OnHome implements CancellableFuture<S> {
        private Task<S> task;
        private boolean done;

        @Override
        public Poll<S> poll(Context cx) {
            if (done) {
                throw new IllegalStateException("accept polled after it completed or was cancelled");
            }
            if (task == null) {
                S back = handedBack.poll();
                if (back != null) {
                    done = true;
                    return Poll.ready(back);
                }
                Worker here = Worker.current("TcpListener.accept");
                if (!home.sameExecutor(here)) {
                    return handle.accept().map(wrap).poll(cx); // another executor: the driver's check says so
                }
                task = home.spawnHere(handle.accept().map(wrap)); // polled on the listener's worker, the stream made there
            }
            if (!task.isFinished() && task.wakeOnCompletion(cx.waker(), true)) {
                return Poll.pending();
            }
            done = true;
            try {
                return Poll.ready(task.peek());
            } catch (TaskFailedException failed) {
                if (failed.getCause() instanceof RuntimeException r) {
                    throw r; // the accept's own failure (UncheckedIOException, ...), as a local accept throws it
                }
                throw failed;
            }
        }

        /** <b>Cancel safety:</b> see the class comment. */
        @Override
        public void cancel() {
            if (done || task == null) {
                done = true;
                return;
            }
            done = true;
            Task<S> t = task;
            t.abort(); // cancels the accept on the listener's worker, unless it completed first
            if (!t.wakeOnCompletion(() -> handBack(t), true)) {
                handBack(t);
            }
        }

        private void handBack(Task<S> t) {
            S s;
            try {
                s = t.peek();
            } catch (RuntimeException cancelledOrFailed) {
                return; // it took nothing
            }
            handedBack.add(s);
            if (!handle.isOpen()) {
                closeHandedBack(); // the listener closed meanwhile
            }
        }
    }

    /** An accept answered by a connection handed back; cancelled before it was polled, it hands it back again. */
    private final class HandedBack implements CancellableFuture<S> {
        private S conn;

        HandedBack(S conn) {
            this.conn = conn;
        }

        @Override
        public Poll<S> poll(Context cx) {
            S c = conn;
            if (c == null) {
                throw new IllegalStateException("accept polled after it completed or was cancelled");
            }
            conn = null;
            return Poll.ready(c);
        }

        @Override
        public void cancel() {
            S c = conn;
            conn = null;
            if (c != null) {
                handedBack.add(c);
            }
        }
    }
}
