package io.weft.net;

import io.weft.CancellableFuture;
import io.weft.Context;
import io.weft.Poll;
import io.weft.executor.Worker;
import io.weft.io.DetachedStream;
import io.weft.io.StreamHandle;
import io.weft.io.StreamOps;
import io.weft.task.Task;
import io.weft.TaskFailedException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.util.function.Function;

/**
 * How a stream of a StealingExecutor follows the task that uses it. A
 * stream is registered with the reactor of one worker (its home); a task
 * that started on another worker (a connection handed to a spawned task,
 * the usual server) cannot use it there. So every operation of such a
 * stream finds the stream at its first poll ({@link #then}; readExact and
 * writeAll at each of their reads and writes: they loop over the stream's
 * own operations), and the first from another
 * worker of the same executor moves it: a task on the home takes it off
 * that reactor ({@link StreamHandle#detach()}, with no operation under way
 * on it), and the waiting operation registers it with its own worker's
 * reactor, then runs. From then on the stream lives there, as the task
 * does (tasks do not move after their first run).
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
 *   <li>A stream that a task at home has an operation pending on does not
 *       move (a stream used at once by tasks on two workers: a proxy's two
 *       directions, a read on one and a write on the other). It is then
 *       <em>shared</em>: the other workers' writes send what fits from
 *       their own thread ({@link #writeNow}, only while no forwarded
 *       operation is in flight, whose bytes would go first), and what must
 *       wait, reads and readables are run on its worker and their results
 *       handed back ({@link RemoteStream}, one hop each). It stays shared
 *       until {@value #IDLE_TO_MOVE} forwarded
 *       operations in a row find nothing else pending at home; then the
 *       next operation from afar moves it again (so two tasks that take
 *       turns on one stream do not bounce it between workers at every
 *       operation).</li>
 *   <li>Operations under way on the handle where it is
 *       ({@link #activeHere}: applied, not yet ended) are counted by that
 *       worker's thread alone, which is also where a detach runs and
 *       decides: it detaches only with none under way. Between a detach
 *       and its landing the old handle is closed for its worker; an
 *       operation there waits for the move and may claim it itself
 *       ({@code closedHere} tells a detached handle from a closed stream),
 *       a setting (shutdownOutput, setNoDelay, setLinger) is applied as the
 *       stream lands, and the stream reads as open.</li>
 *   <li>A close from another worker marks the stream closed at once for
 *       its users; the descriptor is closed on its home (a task there), or,
 *       during a move, by whoever ends the move.</li>
 * </ul>
 *
 * <p><b>Cancel safety:</b> an operation cancelled while it waits for a move
 * did nothing; the move goes on, and the next operation (from any worker)
 * takes the stream, with the bytes a cancelled read had kept; if none is
 * waiting for it, the move lands back on the stream's worker as it ends
 * ({@link #abandon}), so that no stream is left off every reactor. A forwarded
 * read given up after it read hands its bytes back ({@link #giveBack}): on
 * the stream's worker they go before every byte not yet read; during a
 * move they wait here and go to the stream once it lands.
 */
final class StreamMove {
    final SocketStream stream;
    /** The detach running on the home worker, or null. Guarded by this. */
    private Task<DetachedStream> move;
    /** Closed from another worker. Guarded by this; read without it by isOpen (volatile). */
    volatile boolean closed;
    /** Moves completed (tests read it). Guarded by this. */
    private long moves;
    /** Found busy at home: operations from afar are forwarded there. Written under this; read without it. */
    private volatile boolean shared;
    /** Operations run on the stream's worker for tasks of others (tests read it). Guarded by this. */
    private long forwards;
    /** Writes from tasks of other workers sent on their own thread (tests read it); any thread, by get-and-add. */
    private volatile long directWrites;
    private static final java.util.concurrent.atomic.AtomicLongFieldUpdater<StreamMove> DIRECT_WRITES =
            java.util.concurrent.atomic.AtomicLongFieldUpdater.newUpdater(StreamMove.class, "directWrites");
    /** Forwarded operations whose tasks have not ended (any thread, by get-and-add). */
    private volatile int forwardsInFlight;
    private static final java.util.concurrent.atomic.AtomicIntegerFieldUpdater<StreamMove> FORWARDS_IN_FLIGHT =
            java.util.concurrent.atomic.AtomicIntegerFieldUpdater.newUpdater(StreamMove.class, "forwardsInFlight");
    /**
     * Operations of tasks under way on the stream's handle where it is
     * (applied to it, not yet complete, failed or cancelled): a move waits
     * for none, and forwarded operations count as busy while any is. The
     * thread of the current handle only.
     */
    int activeHere;
    /** Forwarded operations in a row that found nothing else pending at home. Guarded by this. */
    private int idleForwards;
    /** Settings made during a move, for the stream once it lands; null when none are. Guarded by this. */
    private java.util.ArrayList<SocketStream.Setting> settings;
    /** Bytes given back during a move, for the stream once it lands. Guarded by this. */
    private byte[] stash;
    /**
     * The view a task of another worker uses while the stream is shared;
     * made at first use (an idle connection carries none). Immutable, so a
     * racy first use makes two alike, either fine.
     */
    private RemoteStream remote;
    /** Forwarded operations in a row that find the stream idle at home before it may move again. */
    static final int IDLE_TO_MOVE = 4;

    /** What a forwarded operation's task returns when the stream was no longer on its worker. */
    static final Object RETRY = new Object();

    /** Thrown by a forwarded operation that found the stream gone from that worker: look again. */
    static final class Retry extends RuntimeException {
        static final Retry INSTANCE = new Retry();

        private Retry() {
            super("the stream moved", null, false, false);
        }
    }

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

    synchronized long forwards() {
        return forwards;
    }

    /** Whether {@code h}, closed, is the stream's handle and no move is in flight: the stream is closed. */
    synchronized boolean closedHere(StreamHandle h) {
        return move == null && stream.handle == h;
    }

    /** Whether operations from afar are forwarded to the stream's worker (tests read it). */
    boolean shared() {
        return shared;
    }

    RemoteStream remote() {
        RemoteStream r = remote;
        if (r == null) {
            remote = r = new RemoteStream(this);
        }
        return r;
    }

    /**
     * {@code op} on the stream once it is on this worker (it moves here
     * first if need be), or forwarded to its worker while it is shared.
     */
    <T> CancellableFuture<T> then(Function<StreamOps, CancellableFuture<T>> op) {
        return new MoveThen<>(this, op);
    }

    /**
     * The move in flight, started (a detach on the home worker, unless an
     * operation is pending there) if none is; null if the stream is shared
     * and no move is in flight. {@code here} asks.
     */
    synchronized Task<DetachedStream> moveFor(Worker here) {
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
            if (shared) {
                return null;
            }
            move = home.spawnHere(new DetachUnlessBusy(stream.handle));
        }
        return move;
    }

    /**
     * On the home worker: the detach, or null (no move) if an operation of a
     * task is under way on the stream. Asked at every poll until the detach
     * is done: a detach may wait (for a read cancelled in the kernel to come
     * back), and a task here may start an operation meanwhile; the stream
     * then stays (the detach, which took nothing yet, is dropped).
     */
    private final class DetachUnlessBusy implements CancellableFuture<DetachedStream> {
        private final StreamHandle h;
        private CancellableFuture<DetachedStream> detach;

        DetachUnlessBusy(StreamHandle h) {
            this.h = h;
        }

        @Override
        public Poll<DetachedStream> poll(Context cx) {
            if (h.isOpen() && activeHere > 0) {
                if (detach != null) {
                    detach.cancel(); // it took nothing: the stream stays where it is
                    detach = null;
                }
                return Poll.ready(null);
            }
            if (detach == null) {
                detach = h.detach();
            }
            return detach.poll(cx);
        }

        @Override
        public void cancel() {
            if (detach != null) {
                detach.cancel();
            }
        }
    }

    /** A forwarded operation's task, on {@code stream.home}; {@code here()} asks for it. */
    Task<Object> spawnAtHome(CancellableFuture<Object> atHome) {
        FORWARDS_IN_FLIGHT.incrementAndGet(this); // before the task exists: writeNow never misses it
        Task<Object> t;
        try {
            t = stream.home.spawnHere(atHome);
        } catch (RuntimeException | Error e) {
            forwardEnded();
            throw e;
        }
        if (!t.wakeOnCompletion(this::forwardEnded, false)) {
            forwardEnded();
        }
        return t;
    }

    private void forwardEnded() {
        FORWARDS_IN_FLIGHT.decrementAndGet(this);
    }

    /**
     * From a task of another worker while the stream is shared: sends what
     * fits now from {@code src} on this thread, with no hop
     * ({@link StreamHandle#writeNow}); 0 if nothing went. Only while no
     * forwarded operation of this stream is in flight: an earlier write
     * forwarded, or given up while forwarded, may still send its bytes, which
     * go first.
     */
    int writeNow(MemorySegment src) {
        if (forwardsInFlight != 0) {
            return 0;
        }
        int n = stream.handle.writeNow(src);
        if (n > 0) {
            DIRECT_WRITES.incrementAndGet(this); // no monitor on this road: it is the proxy's every write
        }
        return n;
    }

    long directWrites() {
        return directWrites;
    }

    /**
     * On the worker a forwarded operation was sent to: the stream's handle
     * if the stream is still there and not moving, else null (the operation
     * looks again). Counts the operations that find nothing else pending
     * (see {@link #IDLE_TO_MOVE}).
     */
    synchronized StreamHandle enterAtHome() {
        if (closed) {
            throw new UncheckedIOException(new ClosedChannelException());
        }
        StreamHandle h = stream.handle;
        if (move != null || !h.onOwnerThread()) {
            return null;
        }
        if (activeHere > 0) {
            idleForwards = 0;
        } else if (++idleForwards >= IDLE_TO_MOVE) {
            idleForwards = 0;
            shared = false;
        }
        forwards++;
        stream.home.countForwardedOp();
        activeHere++;
        return h;
    }

    /** A forwarded operation that {@link #enterAtHome} let in ended (the stream's worker). */
    void leftHome() {
        activeHere--;
    }

    /**
     * Bytes a forwarded read took from the stream for a caller that gave it
     * up (any thread): back into the stream, before every byte not yet read.
     */
    void giveBack(byte[] bytes) {
        Worker home;
        synchronized (this) {
            if (closed) {
                return; // nobody reads a closed stream
            }
            if (move != null) {
                stash = stash == null ? bytes : concat(stash, bytes); // read later than those stashed before
                return;
            }
            StreamHandle h = stream.handle;
            if (h.onOwnerThread()) {
                h.unread(bytes);
                return;
            }
            home = stream.home;
        }
        home.runHere(() -> giveBack(bytes)); // queued there before any later operation of this caller
    }

    /**
     * The peer's or the local address of the stream on its way: asked of
     * what the detach took off its worker, under this monitor (no claim or
     * close meanwhile); null when no detached stream is held here (the
     * detach is not done yet, or the move ended: the caller looks again).
     */
    synchronized java.net.SocketAddress addressWhileMoving(boolean peer) throws IOException {
        Task<DetachedStream> m = move;
        if (m == null || !m.isFinished()) {
            return null;
        }
        DetachedStream d;
        try {
            d = m.peek();
        } catch (RuntimeException detachFailed) {
            return null; // the stream stays where it was: its handle answers
        }
        return d == null ? null : d.address(peer);
    }

    /** {@code s} kept for the stream once the move in flight lands; false if none is in flight, or it is closed. Any thread. */
    synchronized boolean afterMove(SocketStream.Setting s) {
        if (move == null || closed) {
            return false; // closed: the setting meets the closed handle and fails as closed
        }
        if (settings == null) {
            settings = new java.util.ArrayList<>(2);
        }
        settings.add(s);
        return true;
    }

    /** The settings made during the move, on {@code h}, the stream where it is now (its worker's thread). Guarded by this. */
    private void applySettings(StreamHandle h) {
        if (settings == null) {
            return;
        }
        for (SocketStream.Setting s : settings) {
            try {
                s.apply(h);
            } catch (IOException | UncheckedIOException failed) {
                // the connection failed meanwhile: its next operation reports it
            }
        }
        settings = null;
    }

    /**
     * A move ended with the stream where it was (busy there, or the detach
     * failed): what waited for it goes to it there, on its worker's thread
     * (queued there before the operation that claimed the move goes on):
     * the settings made meanwhile, and the bytes given back meanwhile,
     * before every byte not yet read. Guarded by this.
     */
    private void stayed() {
        byte[] back = stash;
        stash = null;
        if (settings == null && back == null) {
            return;
        }
        stream.home.runHere(() -> {
            synchronized (this) {
                applySettings(stream.handle);
            }
            if (back != null) {
                giveBack(back); // where the stream is now: a move begun since waits with them
            }
        });
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    /**
     * After {@code m} finished: if nobody claimed it yet, registers the
     * stream with {@code here}'s reactor (or closes it if the stream was
     * closed meanwhile). Rethrows a detach that failed; the stream then
     * stays where it was.
     */
    synchronized void claim(Task<DetachedStream> m, Worker here) {
        if (move != m) {
            return; // another operation claimed it: the caller looks where the stream is now
        }
        move = null;
        DetachedStream d;
        RuntimeException failed = null;
        try {
            d = m.peek();
        } catch (RuntimeException e) { // the detach threw, or was cancelled by a close of the executor
            d = null;
            failed = e;
        }
        if (closed) { // closed from afar meanwhile, which left the close to whoever ends the move
            closeWhereItIs(d);
            throw new UncheckedIOException(new ClosedChannelException());
        }
        if (failed != null) {
            Throwable why = failed instanceof TaskFailedException && failed.getCause() != null ? failed.getCause() : failed;
            if (why instanceof UncheckedIOException io) {
                throw io; // closed at home meanwhile: the operation fails as it would there
            }
            stayed();
            throw new IllegalStateException(stream + " could not move from " + stream.home.name() + " to "
                    + here.name() + ": " + why.getMessage(), why);
        }
        if (d == null) { // busy at home: the stream stays, and operations from afar go there
            shared = true;
            idleForwards = 0;
            stayed();
            return;
        }
        StreamHandle h = d.attach(here.driver());
        if (stash != null) {
            h.unread(stash);
            stash = null;
        }
        applySettings(h);
        stream.handle = h;
        if (stream.home != here) {
            stream.home = here;
            moves++;
            here.countStreamMovedIn();
        }
    }

    /**
     * An operation waiting for {@code m} gave up (on its worker's thread):
     * nobody may ever claim the move, and a stream detached from one
     * reactor and attached to none would be closed by no executor's close.
     * So a finished move lands here, and one still running lands back on
     * the stream's worker as it ends (as if it had not moved); an operation
     * still waiting for it then finds it taken and looks again.
     */
    void abandon(Task<DetachedStream> m, Worker here) {
        if (!m.isFinished() && m.wakeOnCompletion(() -> landAtHome(m), false)) {
            return;
        }
        if (here != null) {
            claimQuietly(m, here);
        } else {
            closeMoved(m); // given up off any worker: the executor is closing
        }
    }

    private void landAtHome(Task<DetachedStream> m) {
        if (stream.handle.onOwnerThread()) {
            claimQuietly(m, stream.home);
        } else {
            closeMoved(m); // ended off its worker: the executor is closing, and nobody will use the stream
        }
    }

    private void claimQuietly(Task<DetachedStream> m, Worker w) {
        try {
            claim(m, w);
        } catch (RuntimeException nothingLanded) {
            // the detach failed or the stream was closed: nothing is left to land
        }
    }

    /**
     * Its user closes the stream on its worker (the handle's thread): closed
     * for every user from now on, also while a move waits to run there
     * (which would otherwise read the closed handle as a detached one: an
     * address asked then would wait on the very thread the move needs).
     */
    synchronized void closedAtHome() {
        closed = true;
    }

    /** A close from a worker other than the stream's home; refused, changing nothing, from outside the executor. */
    void closeFromAfar() {
        Task<DetachedStream> m;
        Worker home;
        StreamHandle h;
        synchronized (this) {
            if (closed) {
                return;
            }
            Worker here = Worker.currentOrNull();
            if (here == null || !stream.home.sameExecutor(here)) { // before anything changes: the stream goes on
                throw new IllegalStateException(stream + " belongs to " + stream.home.name() + " and was closed from "
                        + Thread.currentThread().getName() + ", outside that executor: close it from a task of"
                        + " that executor (or hand it over with detach() and attach())");
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
            DetachedStream d;
            try {
                d = m.peek();
            } catch (RuntimeException detachFailed) {
                d = null; // the stream is still at home
            }
            closeWhereItIs(d);
        }
    }

    /** Closes what a finished move {@code d} detached, or the stream at home if it did not move (busy, or the detach failed). */
    private void closeWhereItIs(DetachedStream d) {
        if (d != null) {
            d.close();
        } else {
            stream.home.runHere(stream.handle::close); // on its reactor's thread
        }
    }
}
