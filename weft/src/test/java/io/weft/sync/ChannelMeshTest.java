package io.weft.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.JoinHandle;
import io.weft.LocalExecutor;
import io.weft.Weft;
import io.weft.sync.ChannelMesh.Role;
import io.weft.time.TimedOutException;
import io.weft.time.Timeout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Channel meshes between N executors on N plain threads ({@link OnExecutors}),
 * as the executor pool will run them: member i joins from executor i.
 */
@org.junit.jupiter.api.Timeout(value = 2, unit = TimeUnit.MINUTES,
        threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
class ChannelMeshTest {

    static long encode(int from, long seq) {
        return ((long) from << 40) | seq;
    }

    /**
     * Four members each send 50,000 values to every other through channels of
     * 16 (so senders often wait on a full ring while receivers wait on empty
     * ones), then close their senders; each receives from any peer until every
     * peer has closed. Every value arrives exactly once, in order per sender.
     */
    /**
     * A capacity no channel can hold is refused at the call, where the last
     * join failed to build the channels and left the mesh half-made, the
     * joins before it asleep for ever.
     */
    @Test
    void aCapacityNoChannelHoldsIsRefusedAtTheCall() {
        assertThatThrownBy(() -> ChannelMesh.full(2, Integer.MAX_VALUE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("capacity too large");
        assertThatThrownBy(() -> Sharded.create(2, Integer.MAX_VALUE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("capacity too large");
    }

    @Test
    void allToAllEveryValueArrivesOnceInOrderPerSender() throws Exception {
        final int n = 4;
        final long perPeer = 50_000;
        ChannelMesh<Long> mesh = ChannelMesh.full(n, 16);
        List<long[]> got = OnExecutors.run("mesh-all", n, 90, id -> () -> {
            try (MeshConnection<Long> c = mesh.join(id).await()) {
                assertThat(c.id()).isEqualTo(id);
                assertThat(c.sendsTo()).hasSize(n - 1).doesNotContain(id);
                assertThat(c.receivesFrom()).isEqualTo(c.sendsTo());
                JoinHandle<Void> sender = Weft.spawn(() -> {
                    for (long seq = 0; seq < perPeer; seq++) {
                        for (int peer : c.sendsTo()) {
                            c.sendTo(peer, encode(id, seq)).await();
                        }
                    }
                    c.closeSenders();
                });
                long[] next = new long[n]; // per sender, the next sequence number expected
                for (;;) {
                    MeshMessage<Long> m;
                    try {
                        m = c.recvFromAny().await();
                    } catch (ChannelClosedException end) {
                        break;
                    }
                    int from = (int) (m.value() >>> 40);
                    long seq = m.value() & ((1L << 40) - 1);
                    if (from != m.from() || seq != next[from]) {
                        throw new AssertionError("member " + id + ": from " + m.from() + " got " + from + "/" + seq
                                + ", expected sequence " + next[from]);
                    }
                    next[from]++;
                }
                sender.await();
                return next;
            }
        });
        for (int id = 0; id < n; id++) {
            for (int from = 0; from < n; from++) {
                assertThat(got.get(id)[from]).as("values member %d got from %d", id, from)
                        .isEqualTo(from == id ? 0 : perPeer);
            }
        }
    }

    /** With every peer's channel full, receive-from-any takes them in turn: 1, 2, 3, 1, 2, 3, ... */
    @Test
    void receiveFromAnyIsFairAcrossPeers() throws Exception {
        final int capacity = 8;
        ChannelMesh<Integer> mesh = ChannelMesh.full(4, capacity);
        CountDownLatch filled = new CountDownLatch(3);
        List<List<Integer>> out = OnExecutors.run("mesh-fair", 4, 30, id -> () -> {
            try (MeshConnection<Integer> c = mesh.join(id).await()) {
                if (id != 0) {
                    for (int i = 0; i < capacity; i++) {
                        assertThat(c.trySendTo(0, i)).isTrue();
                    }
                    assertThat(c.trySendTo(0, 99)).as("full").isFalse();
                    filled.countDown();
                    return List.of();
                }
                filled.await(); // blocks this executor's only task: every peer's channel is full after
                List<Integer> order = new ArrayList<>();
                for (int i = 0; i < 3 * capacity; i++) {
                    MeshMessage<Integer> m = c.recvFromAny().await();
                    assertThat(m.value()).as("per peer in order").isEqualTo(i / 3);
                    order.add(m.from());
                }
                return order;
            }
        });
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < capacity; i++) {
            expected.addAll(List.of(1, 2, 3));
        }
        assertThat(out.get(0)).isEqualTo(expected);
    }

    @Test
    void aPartialMeshConnectsProducersToConsumersOnly() throws Exception {
        // members 0 and 1 produce, 2 and 3 consume, 4 does both
        Role[] roles = {Role.PRODUCER, Role.PRODUCER, Role.CONSUMER, Role.CONSUMER, Role.BOTH};
        ChannelMesh<String> mesh = ChannelMesh.partial(roles.length, 4);
        List<List<String>> out = OnExecutors.run("mesh-partial", roles.length, 30, id -> () -> {
            try (MeshConnection<String> c = mesh.join(id, roles[id]).await()) {
                assertThat(c.role()).isEqualTo(roles[id]);
                List<String> got = new ArrayList<>();
                switch (roles[id]) {
                    case PRODUCER -> {
                        assertThat(c.sendsTo()).containsExactly(2, 3, 4);
                        assertThat(c.receivesFrom()).isEmpty();
                        assertThatThrownBy(() -> c.sendTo(1 - id, "x")).isInstanceOf(IllegalArgumentException.class)
                                .hasMessageContaining("is a PRODUCER").hasMessageContaining("sends to [2, 3, 4]");
                        assertThatThrownBy(c::recvFromAny).isInstanceOf(IllegalStateException.class)
                                .hasMessageContaining("receives from nobody");
                        assertThatThrownBy(() -> c.recvFrom(2)).isInstanceOf(IllegalArgumentException.class);
                        for (int peer : c.sendsTo()) {
                            c.sendTo(peer, id + ">" + peer).await();
                        }
                    }
                    case CONSUMER -> {
                        assertThat(c.sendsTo()).isEmpty();
                        assertThat(c.receivesFrom()).containsExactly(0, 1, 4);
                        assertThatThrownBy(() -> c.sendTo(0, "x")).isInstanceOf(IllegalArgumentException.class)
                                .hasMessageContaining("CONSUMER");
                        for (int peer : c.receivesFrom()) {
                            got.add(c.recvFrom(peer).await());
                        }
                    }
                    case BOTH -> {
                        assertThat(c.sendsTo()).containsExactly(2, 3);
                        assertThat(c.receivesFrom()).containsExactly(0, 1);
                        for (int peer : c.sendsTo()) {
                            c.sendTo(peer, id + ">" + peer).await();
                        }
                        for (int peer : c.receivesFrom()) {
                            got.add(c.recvFrom(peer).await());
                        }
                    }
                }
                return got;
            }
        });
        assertThat(out.get(2)).containsExactly("0>2", "1>2", "4>2");
        assertThat(out.get(3)).containsExactly("0>3", "1>3", "4>3");
        assertThat(out.get(4)).containsExactly("0>4", "1>4");
    }

    @Test
    void sendingToOneselfIsAnErrorThatSaysSo() throws Exception {
        ChannelMesh<String> mesh = ChannelMesh.full(2, 4);
        OnExecutors.run("mesh-self", 2, 30, id -> () -> {
            try (MeshConnection<String> c = mesh.join(id).await()) {
                assertThatThrownBy(() -> c.sendTo(id, "me")).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("member " + id + " cannot send to itself");
                assertThatThrownBy(() -> c.recvFrom(id)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("itself");
                assertThatThrownBy(() -> c.sendTo(7, "x")).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("no such member in a mesh of 2");
                return null;
            }
        });
    }

    @Test
    void joinMisuseIsRefusedWithTheReason() throws Exception {
        ChannelMesh<String> full = ChannelMesh.full(2, 4);
        ChannelMesh<String> partial = ChannelMesh.partial(2, 4);
        assertThatThrownBy(() -> full.join(Role.PRODUCER)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("full mesh");
        assertThatThrownBy(partial::join).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("say the role");
        assertThatThrownBy(() -> full.join(2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no member id 2");
        try (var ex = LocalExecutor.builder().name("mesh-joiner").build()) {
            ex.run(() -> {
                JoinHandle<MeshConnection<String>> first = Weft.spawn(() -> full.join(0).await());
                Weft.yieldNow().await(); // member 0 joined, waiting for member 1
                assertThatThrownBy(() -> full.join(1).await()).as("a second join on the same executor")
                        .isInstanceOf(IllegalStateException.class).hasMessageContaining("already joined this mesh")
                        .hasMessageContaining("member 0");
                first.abort(); // its join is cancelled before the mesh is complete: member 0 leaves
                assertThatThrownBy(first::await).isInstanceOf(io.weft.TaskCancelledException.class);
                assertThatThrownBy(() -> Timeout.of(Duration.ofMillis(1), full.join(0)).await())
                        .as("the place is free again: joined, then timed out waiting for member 1")
                        .isInstanceOf(TimedOutException.class);
                return null;
            });
        }
    }

    /**
     * A join cancelled before the mesh is complete leaves it: its id is free
     * for another executor. A join cancelled after (its connection not taken)
     * keeps its place, and the next join on its thread takes it over.
     */
    @Test
    void aCancelledJoinLeavesAnIncompleteMeshAndKeepsItsPlaceInACompleteOne() throws Exception {
        ChannelMesh<Integer> mesh = ChannelMesh.full(2, 4);
        try (var ex = LocalExecutor.create()) {
            ex.run(() -> {
                assertThatThrownBy(() -> Timeout.of(Duration.ofMillis(1), mesh.join(0)).await())
                        .isInstanceOf(TimedOutException.class);
                return null;
            });
        }
        CountDownLatch memberZeroWaits = new CountDownLatch(1);
        CountDownLatch memberOneJoined = new CountDownLatch(1);
        List<Integer> out = OnExecutors.run("mesh-rejoin", 2, 30, id -> () -> {
            if (id == 1) {
                memberZeroWaits.await(); // so that this join completes the mesh
                try (MeshConnection<Integer> c = mesh.join(1).await()) {
                    memberOneJoined.countDown();
                    c.sendTo(0, 42).await();
                    return c.recvFrom(0).await();
                }
            }
            WaitFuture<MeshConnection<Integer>> j = mesh.join(0); // id 0 is free again
            JoinHandle<MeshConnection<Integer>> waiting = Weft.spawn(() -> j.await());
            Weft.yieldNow().await(); // member 0 joined and waits for member 1
            memberZeroWaits.countDown();
            memberOneJoined.await(); // the mesh is complete: the waiting join was woken, and has not run
            waiting.abort(); // so its join is cancelled after completion: the place stays
            assertThatThrownBy(waiting::await).isInstanceOf(io.weft.TaskCancelledException.class);
            try (MeshConnection<Integer> c = mesh.join().await()) { // takes the place over
                assertThat(c.id()).isEqualTo(0);
                int v = c.recvFrom(1).await();
                c.sendTo(1, v + 1).await();
                return v;
            }
        });
        assertThat(out).containsExactly(42, 43);
    }

    @Test
    void aConnectionBelongsToTheThreadThatJoined() throws Exception {
        ChannelMesh<String> mesh = ChannelMesh.full(2, 4);
        List<MeshConnection<String>> conns = OnExecutors.run("mesh-owner", 2, 30, id -> () -> mesh.join(id).await());
        assertThatThrownBy(() -> conns.get(0).trySendTo(1, "x")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("MeshConnection").hasMessageContaining("mesh-owner-0")
                .hasMessageContaining(Thread.currentThread().getName());
        assertThatThrownBy(() -> conns.get(1).tryRecvFrom(0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("mesh-owner-1");
    }

    /** A receive-from-any that is woken by a value and then given up took nothing: the value stays. */
    @Test
    void aWokenReceiveFromAnyThatIsAbortedTakesNothing() {
        try (var ex = LocalExecutor.create()) {
            ex.run(() -> {
                List<SpscChannel<String>> chans = List.of(SpscChannel.create(2), SpscChannel.create(2),
                        SpscChannel.create(2));
                @SuppressWarnings("unchecked")
                SpscReceiver<String>[] sources = chans.stream().map(SpscChannel::receiver).toArray(SpscReceiver[]::new);
                Fanin<String> any = new Fanin<>(chans.get(0).consumer, sources, new int[] {5, 6, 7});
                chans.get(0).receiver().tryRecv(); // binds the bindings to this thread
                JoinHandle<MeshMessage<String>> first = Weft.spawn(() -> any.recv().await());
                JoinHandle<MeshMessage<String>> second = Weft.spawn(() -> any.recv().await());
                Weft.yieldNow().await();
                Weft.yieldNow().await(); // both wait on all three channels, first in front
                assertThat(chans.get(1).sender().trySend("v")).isTrue(); // wakes the first only
                first.abort(); // before it runs
                assertThat(second.await()).isEqualTo(new MeshMessage<>(6, "v"));
                for (SpscChannel<String> c : chans) {
                    assertThat(c.receiver().tryRecv()).as("taken once").isNull();
                }
                for (SpscChannel<String> c : chans) {
                    c.sender().close();
                }
                assertThatThrownBy(() -> any.recv().await()).isInstanceOf(ChannelClosedException.class)
                        .hasMessageContaining("every source closed");
                return null;
            });
        }
    }

    /**
     * Member 0 receives from any peer with random timeouts (0 to 50 us)
     * while three peers send 30,000 values each, pausing 1 ms after every
     * thousand (so that member 0 waits and timeouts fire however the threads
     * are scheduled): every value arrives exactly once, in order per peer.
     */
    @Test
    void receiveFromAnyUnderRandomTimeoutsLosesNothing() throws Exception {
        final int perPeer = 30_000;
        ChannelMesh<Integer> mesh = ChannelMesh.full(4, 4);
        AtomicLong timedOut = new AtomicLong();
        List<int[]> out = OnExecutors.run("mesh-any-cancel", 4, 90, id -> () -> {
            try (MeshConnection<Integer> c = mesh.join(id).await()) {
                if (id != 0) {
                    for (int i = 0; i < perPeer; i++) {
                        c.sendTo(0, i).await();
                        if (i % 1_000 == 999) {
                            Weft.sleep(Duration.ofMillis(1)).await(); // member 0 waits: its timeouts fire
                        }
                    }
                    return null;
                }
                SplittableRandom rnd = new SplittableRandom(3);
                int[] next = new int[4];
                for (;;) {
                    MeshMessage<Integer> m;
                    try {
                        m = Timeout.of(Duration.ofNanos(rnd.nextLong(50_001)), c.recvFromAny()).await();
                    } catch (TimedOutException t) {
                        timedOut.incrementAndGet();
                        continue;
                    } catch (ChannelClosedException end) {
                        return next;
                    }
                    if (m.value() != next[m.from()]) {
                        throw new AssertionError("from " + m.from() + ": " + m.value() + ", expected "
                                + next[m.from()]);
                    }
                    next[m.from()]++;
                }
            }
        });
        assertThat(out.get(0)).containsExactly(0, perPeer, perPeer, perPeer);
        assertThat(timedOut.get()).as("receives given up").isGreaterThan(10);
    }
}
