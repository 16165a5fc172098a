package io.weft.sync;

import io.weft.sync.ChannelMesh.Role;
import java.util.Arrays;
import java.util.List;

/**
 * One member's view of a {@link ChannelMesh}: its id, its peers, and the
 * ends of the channels it holds (a sender to each member it may send to, a
 * receiver from each member that may send to it). It belongs, with all
 * those ends, to the thread that joined: any task of that executor may use
 * it; another thread gets an {@link IllegalStateException} naming both.
 *
 * <p>Values from one member to another arrive in the order sent (one
 * {@link SpscChannel} per ordered pair). {@link #close()} (or
 * {@link #closeSenders()} first, to keep receiving) when the member leaves:
 * its peers then get what it sent, then the end of its stream, and their
 * sends to it fail.
 */
public final class MeshConnection<T> implements AutoCloseable {
    private final int id;
    private final Role role;
    private final boolean fullMesh;
    private final Role[] roles;
    /** By peer id; null where there is no channel. */
    private final SpscSender<T>[] to;
    private final SpscReceiver<T>[] from;
    private final List<Integer> sendsTo;
    private final List<Integer> receivesFrom;
    private final Fanin<T> any;
    private final ThreadBinding binding = new ThreadBinding("a MeshConnection", false);

    MeshConnection(int id, Role role, boolean fullMesh, Role[] roles, SpscSender<T>[] to, SpscReceiver<T>[] from) {
        this.id = id;
        this.role = role;
        this.fullMesh = fullMesh;
        this.roles = roles;
        this.to = to;
        this.from = from;
        int[] out = ChannelMesh.peers(id, roles, true);
        int[] in = ChannelMesh.peers(id, roles, false);
        this.sendsTo = Arrays.stream(out).boxed().toList();
        this.receivesFrom = Arrays.stream(in).boxed().toList();
        @SuppressWarnings("unchecked")
        SpscReceiver<T>[] sources = new SpscReceiver[in.length];
        for (int i = 0; i < in.length; i++) {
            sources[i] = from[in[i]];
        }
        binding.bind("which joined the mesh as member " + id);
        this.any = new Fanin<>(binding, sources, in);
    }

    /** This member's id in the mesh, 0 to {@code members() - 1}. */
    public int id() {
        return id;
    }

    public Role role() {
        return role;
    }

    public int members() {
        return roles.length;
    }

    /** The ids this member may send to, ascending (in a full mesh: every other member). */
    public List<Integer> sendsTo() {
        return sendsTo;
    }

    /** The ids this member receives from, ascending. */
    public List<Integer> receivesFrom() {
        return receivesFrom;
    }

    /**
     * Sends {@code value} to member {@code peer}, suspending while that
     * channel is full. Throws {@link IllegalArgumentException} if there is no
     * channel to {@code peer} (itself, a member that does not receive, an
     * id out of range); fails with {@link ChannelClosedException} carrying
     * the value if the peer closed its receiving end or this member closed
     * its senders.
     *
     * <p><b>Cancel safety:</b> as {@link SpscSender#send}: a cancelled send
     * sent nothing.
     */
    public WaitFuture<Void> sendTo(int peer, T value) {
        return sender(peer).send(value);
    }

    /** Sends to {@code peer} without waiting: false if that channel is full. Errors as {@link #sendTo}. */
    public boolean trySendTo(int peer, T value) {
        return sender(peer).trySend(value);
    }

    /**
     * The next value from member {@code peer}, suspending while there is
     * none; {@link ChannelClosedException} once that peer closed its senders
     * and every value it sent was received.
     *
     * <p><b>Cancel safety:</b> as {@link SpscReceiver#recv}: a cancelled
     * recv took nothing.
     */
    public WaitFuture<T> recvFrom(int peer) {
        return receiver(peer).recv();
    }

    /** The next value from {@code peer} without waiting, or null if none; errors as {@link #recvFrom}. */
    public T tryRecvFrom(int peer) {
        return receiver(peer).tryRecv();
    }

    /**
     * The next value from any peer, with the peer's id: ready once any
     * channel to this member has a value. Fair: each receive starts looking
     * at the peer after the one that delivered last, so one busy peer never
     * starves the others. Fails with {@link ChannelClosedException} once
     * every peer closed its senders and every value was received; throws
     * {@link IllegalStateException} if this member receives from nobody.
     *
     * <p><b>Cancel safety:</b> a cancelled receive took nothing from any
     * peer: every value stays in its channel, and a wake-up it had goes to
     * the next receive of that channel.
     */
    public WaitFuture<MeshMessage<T>> recvFromAny() {
        if (any.size() == 0) {
            throw new IllegalStateException("member " + id + " (" + role + ") receives from nobody in this mesh");
        }
        return any.recv();
    }

    /**
     * This member sends no more: closes its sender to every peer
     * (idempotent). Each peer receives what was sent, then the end of this
     * member's stream; this member may still receive.
     */
    public void closeSenders() {
        binding.check();
        for (SpscSender<T> s : to) {
            if (s != null) {
                s.close();
            }
        }
    }

    /**
     * Leaves the mesh: {@link #closeSenders()}, and closes every receiving
     * end, so that the peers' sends to this member fail with their values
     * (idempotent).
     */
    @Override
    public void close() {
        closeSenders();
        closeReceivers();
    }

    /** Closes every receiving end: the peers' sends to this member fail from now on. */
    void closeReceivers() {
        binding.check();
        for (SpscReceiver<T> r : from) {
            if (r != null) {
                r.close();
            }
        }
    }

    /** The receiving end from {@code peer}, or null. */
    SpscReceiver<T> receiverOf(int peer) {
        return from[peer];
    }

    private SpscSender<T> sender(int peer) {
        binding.check();
        if (peer >= 0 && peer < to.length && to[peer] != null) {
            return to[peer];
        }
        throw new IllegalArgumentException(noChannel(peer, "send to"));
    }

    private SpscReceiver<T> receiver(int peer) {
        binding.check();
        if (peer >= 0 && peer < from.length && from[peer] != null) {
            return from[peer];
        }
        throw new IllegalArgumentException(noChannel(peer, "receive from"));
    }

    private String noChannel(int peer, String what) {
        String me = "member " + id + " cannot " + what + " ";
        if (peer == id) {
            return me + "itself: a mesh has no channel from a member to itself; hand the value to a task of this"
                    + " executor directly (a local Channel, say)";
        }
        if (peer < 0 || peer >= roles.length) {
            return me + "member " + peer + ": no such member in a mesh of " + roles.length + " (0.."
                    + (roles.length - 1) + ")";
        }
        return me + "member " + peer + " in this partial mesh: member " + id + " is a " + role + ", member " + peer
                + " a " + roles[peer] + ", and channels run from PRODUCER/BOTH members to CONSUMER/BOTH members"
                + (fullMesh ? "" : "; member " + id + " sends to " + sendsTo + " and receives from " + receivesFrom);
    }
}
