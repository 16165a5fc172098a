package io.weft.net;

import io.weft.CancellableFuture;
import io.weft.executor.OnHome;
import io.weft.io.ListenerHandle;
import io.weft.io.StreamHandle;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

/**
 * The accepts and the close of a listener ({@link TcpListener},
 * {@link UnixListener}), from any worker of a StealingExecutor. A listener
 * stays on the worker whose task bound it (its reactor); an accept awaited
 * by a task of another worker runs there, as a task of that worker
 * ({@link OnHome}), and hands the caller the connection, whose stream then
 * moves to the caller's worker at its first read or write
 * ({@link StreamMove}). So an accept loop spawned with a listener bound
 * elsewhere works, at the price of a hop between threads per accept (an
 * accept loop that binds its own listener pays none).
 *
 * <p><b>Cancel safety:</b> no connection is lost. An accept given up while
 * it runs on the listener's worker is cancelled there, as any accept (a
 * connection the kernel had taken already waits for the next accept); one
 * that had already taken a connection hands it back ({@link #handedBack}),
 * and the next accept, from any worker, returns it first; a close of the
 * listener closes what is handed back. So does a join (or a select, a
 * Timeout) that took a connection and is then given up.
 *
 * <p>Threads: {@code handedBack} is a concurrent queue (any thread); the
 * rest is final.
 */
final class ListenerAccepts<S extends SocketStream> {
    private final ListenerHandle handle;
    private final Function<StreamHandle, S> wrap;
    /** On a StealingExecutor, the worker whose reactor holds the listener (its accepts run there). */
    private final OnHome home;
    /** Connections taken for accepts given up meanwhile: the next accept's. */
    private final ConcurrentLinkedQueue<S> handedBack = new ConcurrentLinkedQueue<>();
    /** The listener is closed or closing (its handle may close later, on its worker): what comes back is closed. */
    private volatile boolean closed;

    ListenerAccepts(ListenerHandle handle, Function<StreamHandle, S> wrap) {
        this.handle = handle;
        this.wrap = wrap;
        this.home = OnHome.ofCurrent();
    }

    CancellableFuture<S> accept() {
        if (!handedBack.isEmpty()) { // taken at the first poll (GivenBack), else an accept made then
            return new TakenBack<>(new GivenBack<>(handedBack::poll, c -> c, this::acceptLive), this::handBack);
        }
        return new TakenBack<>(acceptLive(), this::handBack); // given back by a join: the next accept's
    }

    /** From another worker: made and polled on the listener's, the stream made there too. */
    private CancellableFuture<S> acceptLive() {
        return home.run(handle, () -> handle.accept().map(wrap), this::handBack);
    }

    private void handBack(S conn) {
        handedBack.add(conn); // then read closed: pairs with close()'s store of closed, then drain
        if (closed || !handle.isOpen()) {
            closeHandedBack(); // the listener closed meanwhile
        }
    }

    /** Connections handed back and not yet taken (tests). */
    int handedBackCount() {
        return handedBack.size();
    }

    /** Closes the listener (on its worker, from another one), then what was handed back. */
    void close() {
        closed = true; // before the drain: a hand-back after it sees this (its handle may close only later)
        home.close(handle, handle::close); // from another worker: on the listener's, its reactor's thread
        closeHandedBack();
    }

    private void closeHandedBack() {
        for (S s; (s = handedBack.poll()) != null; ) {
            s.close();
        }
    }
}
