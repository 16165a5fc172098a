package io.weft.sync;

import io.weft.Context;
import io.weft.Poll;
import io.weft.executor.Worker;
import java.util.ArrayList;
import java.util.List;

/**
 * Channels between N executors, built once and joined by each (glommio's
 * channel mesh): every ordered pair of members that may talk gets its own
 * {@link SpscChannel}, so no two executors ever contend on one.
 * <ul>
 *   <li>A <b>full</b> mesh ({@link #full}): every member may send to every
 *       other. Members join with {@link #join()} or {@link #join(int)}.</li>
 *   <li>A <b>partial</b> mesh ({@link #partial}): each member joins with a
 *       {@link Role}; there is a channel from member i to member j (i != j)
 *       when i sends (PRODUCER or BOTH) and j receives (CONSUMER or
 *       BOTH).</li>
 * </ul>
 * Each member joins once, from a task of its executor (or from a plain
 * thread); its join completes when all {@link #members()} have joined, and
 * returns that member's {@link MeshConnection}, which knows its id and its
 * peers and is bound, with every channel end it holds, to the joining
 * thread. Member ids are 0 to {@code members() - 1}: the given one, or the
 * lowest free one.
 *
 * <h2>With the executor pool</h2>
 * A {@code LocalExecutorPool} runs one executor per core; build the mesh for
 * its size and join it from one task on each executor, with the executor's
 * index in the pool as the member id, so that ids match across meshes:
 * <pre>{@code
 * var mesh = ChannelMesh.<Long>full(pool.size(), 1024);
 * pool.spawnOnEach(() -> {
 *     try (MeshConnection<Long> c = mesh.join(Weft.executorIndex()).await()) {
 *         for (int peer : c.sendsTo()) c.sendTo(peer, 42L).await();
 *         c.closeSenders();                         // the peers see our end of stream
 *         for (;;) use(c.recvFromAny().await());   // until every peer closed
 *     } catch (ChannelClosedException end) { }
 *     return null;
 * });
 * }</pre>
 * Executors started by hand (each {@code LocalExecutor} on a thread of its
 * own) join the same way, each with an id of its choosing.
 *
 * <h2>Threads</h2>
 * The membership table is guarded by a lock (joins are rare); the channels
 * are made, all at once, by the join that completes the mesh, and published
 * to the other members by that lock.
 */
public final class ChannelMesh<T> {

    /** What a member of a partial mesh does. */
    public enum Role {
        /** Sends to every CONSUMER and BOTH member; receives nothing. */
        PRODUCER,
        /** Receives from every PRODUCER and BOTH member; sends nothing. */
        CONSUMER,
        /** Both: every member of a full mesh. */
        BOTH;

        boolean sends() {
            return this != CONSUMER;
        }

        boolean receives() {
            return this != PRODUCER;
        }
    }

    /** One member's place, guarded by {@code access}. */
    private static final class Member {
        final int id;
        final Role role;
        final Thread thread;
        final String executor;
        /** The join that holds this place now; another may take it over once this one is DONE. */
        Waiter join;
        /** A connection was handed out: the place is taken for good. */
        boolean connected;

        Member(int id, Role role, Thread thread, String executor) {
            this.id = id;
            this.role = role;
            this.thread = thread;
            this.executor = executor;
        }

        String describe() {
            return "member " + id + " (" + role + ", thread " + thread.getName()
                    + (executor == null ? "" : ", executor " + executor) + ")";
        }
    }

    private final boolean full;
    private final int members;
    private final int capacity;
    private final Access access = Access.shared();
    /** By id; null for a free place. Guarded by access. */
    private final Member[] places;
    private int joined;
    /** [from][to], made when the last member joins. Guarded by access, then read-only. */
    private SpscChannel<T>[][] channels;
    /** Joins waiting for the others. Guarded by access. */
    private final WaitList waiting = new WaitList();

    private ChannelMesh(boolean full, int members, int capacity) {
        if (members < 1) {
            throw new IllegalArgumentException("a channel mesh needs at least 1 member, was " + members);
        }
        if (capacity < 1) {
            throw new IllegalArgumentException("channel capacity must be at least 1, was " + capacity);
        }
        if (capacity > SpscRing.MAX_CAPACITY) { // at the call: the last join would fail to build its channels
            throw new IllegalArgumentException("channel capacity too large: " + capacity + " (at most "
                    + SpscRing.MAX_CAPACITY + ")");
        }
        this.full = full;
        this.members = members;
        this.capacity = capacity;
        this.places = new Member[members];
    }

    /** A mesh where each of {@code members} members may send to every other, through channels of {@code capacity}. */
    public static <T> ChannelMesh<T> full(int members, int capacity) {
        return new ChannelMesh<>(true, members, capacity);
    }

    /** A mesh of {@code members} members, each joining with a {@link Role}; channels of {@code capacity}. */
    public static <T> ChannelMesh<T> partial(int members, int capacity) {
        return new ChannelMesh<>(false, members, capacity);
    }

    public int members() {
        return members;
    }

    public int capacity() {
        return capacity;
    }

    public boolean isFull() {
        return full;
    }

    /** Joins a full mesh with the lowest free member id. See {@link #join(int)}. */
    public WaitFuture<MeshConnection<T>> join() {
        return join(-1, null, "join()");
    }

    /**
     * Joins a full mesh as member {@code id}: the future completes, on the
     * calling thread, once every member has joined, with this member's
     * connection. Throws {@link IllegalStateException} at its first poll if
     * the id is taken, if this thread already joined, or if every place is
     * taken.
     *
     * <p><b>Cancel safety:</b> cancelled before the mesh is complete, the
     * join leaves it (the id is free again). Cancelled after (every member
     * joined and the channels exist, so the others may already be sending
     * to it) the membership stays: a later join on the same thread takes it
     * over and returns its connection.
     */
    public WaitFuture<MeshConnection<T>> join(int id) {
        return join(id, null, "join(id)");
    }

    /** Joins a partial mesh with {@code role} and the lowest free member id. See {@link #join(int, Role)}. */
    public WaitFuture<MeshConnection<T>> join(Role role) {
        return join(-1, role, "join(role)");
    }

    /**
     * Joins a partial mesh as member {@code id} with {@code role}; as
     * {@link #join(int)}, with the same cancel safety.
     */
    public WaitFuture<MeshConnection<T>> join(int id, Role role) {
        return join(id, role, "join(id, role)");
    }

    private WaitFuture<MeshConnection<T>> join(int id, Role role, String call) {
        if (full && role != null) {
            throw new IllegalArgumentException(call + " on a full mesh: its members have no roles; use join() or join(id)");
        }
        if (!full && role == null) {
            throw new IllegalArgumentException(call + " on a partial mesh: say the role, join(Role) or join(id, Role)");
        }
        if (id < -1 || id >= members) {
            throw new IllegalArgumentException("no member id " + id + " in a mesh of " + members + " (0.." + (members - 1) + ")");
        }
        return new JoinOp(id, full ? Role.BOTH : role);
    }

    // ---------------------------------------------------------------- under access

    private Member register(JoinOp op, Thread me) {
        for (Member m : places) {
            if (m != null && m.thread == me) {
                boolean takeOver = !m.connected && m.join.state == Waiter.DONE
                        && (op.id < 0 || op.id == m.id) && op.role == m.role;
                if (!takeOver) {
                    throw new IllegalStateException("thread " + me.getName() + " already joined this mesh as "
                            + m.describe() + (m.connected ? "" : ", and that join is still waiting")
                            + ": each executor joins a mesh once");
                }
                m.join = op;
                return m;
            }
        }
        int id = op.id;
        if (id < 0) {
            for (id = 0; id < members && places[id] != null; id++) {
                // the lowest free id
            }
            if (id == members) {
                throw new IllegalStateException("every place of this mesh of " + members + " is taken");
            }
        } else if (places[id] != null) {
            throw new IllegalStateException("member id " + id + " is taken, by " + places[id].describe());
        }
        Worker ex = Worker.currentOrNull();
        Member m = new Member(id, op.role, me, ex == null ? null : ex.name());
        m.join = op;
        places[id] = m;
        if (joined + 1 == members) {
            SpscChannel<T>[][] table;
            try {
                table = connectAll();
            } catch (RuntimeException | Error e) { // out of memory: the mesh stays as it was, this join fails
                places[id] = null;
                throw e;
            }
            joined++;
            channels = table;
            waiting.notifyEvery();
        } else {
            joined++;
        }
        return m;
    }

    /** Every member's channels, made before anything of the mesh changes: a failure leaves it as it was. */
    @SuppressWarnings("unchecked")
    private SpscChannel<T>[][] connectAll() {
        SpscChannel<T>[][] table = new SpscChannel[members][members];
        for (int from = 0; from < members; from++) {
            for (int to = 0; to < members; to++) {
                if (from != to && places[from].role.sends() && places[to].role.receives()) {
                    table[from][to] = SpscChannel.create(capacity);
                }
            }
        }
        return table;
    }

    /** The connection of {@code m}, on its own thread (called after the lock is released). */
    @SuppressWarnings("unchecked")
    private MeshConnection<T> connect(Member m, SpscChannel<T>[][] table, Role[] roles) {
        String how = "which joined a channel mesh as member " + m.id;
        SpscSender<T>[] to = new SpscSender[members];
        SpscReceiver<T>[] from = new SpscReceiver[members];
        for (int peer = 0; peer < members; peer++) {
            if (table[m.id][peer] != null) {
                to[peer] = table[m.id][peer].sender();
                to[peer].bind(how);
            }
            if (table[peer][m.id] != null) {
                from[peer] = table[peer][m.id].receiver();
                from[peer].bind(how);
            }
        }
        return new MeshConnection<>(m.id, m.role, full, roles, to, from);
    }

    private final class JoinOp extends Waiter implements WaitFuture<MeshConnection<T>> {
        final int id;
        final Role role;
        private Member member;

        JoinOp(int id, Role role) {
            this.id = id;
            this.role = role;
        }

        @Override
        public Poll<MeshConnection<T>> poll(Context cx) {
            Member m;
            SpscChannel<T>[][] table;
            Role[] roles = new Role[members];
            access.enter();
            try {
                if (state == DONE) {
                    throw new IllegalStateException("join future polled after it completed or was cancelled");
                }
                if (member == null) {
                    try {
                        member = register(this, Thread.currentThread());
                    } catch (RuntimeException refused) {
                        state = DONE; // a join that failed is over, as any wait that failed
                        throw refused;
                    }
                } else if (member.thread != Thread.currentThread()) {
                    throw new IllegalStateException("a join of this mesh was polled on thread " + Thread.currentThread()
                            .getName() + " after its first poll on thread " + member.thread.getName());
                }
                if (joined < members) {
                    waker = cx.waker();
                    if (state == IDLE) {
                        waiting.addLast(this);
                    }
                    return Poll.pending();
                }
                finish(waiting);
                m = member;
                m.connected = true;
                table = channels;
                for (int i = 0; i < members; i++) {
                    roles[i] = places[i].role;
                }
            } finally {
                access.exit();
            }
            return Poll.ready(connect(m, table, roles));
        }

        @Override
        public void cancel() {
            access.enter();
            try {
                if (state == DONE) {
                    return;
                }
                finish(waiting);
                if (member != null && joined < members) {
                    places[member.id] = null; // not complete: leave, as if never asked
                    joined--;
                }
            } finally {
                access.exit();
            }
        }
    }

    /** The ids {@code from} sends to, or receives from, given every member's role. */
    static int[] peers(int self, Role[] roles, boolean sending) {
        List<Integer> ids = new ArrayList<>();
        for (int peer = 0; peer < roles.length; peer++) {
            if (peer != self && (sending ? roles[self].sends() && roles[peer].receives()
                    : roles[peer].sends() && roles[self].receives())) {
                ids.add(peer);
            }
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }
}
