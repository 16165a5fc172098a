package io.weft.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Values routed to executors by key: N executors on N plain threads ({@link OnExecutors}). */
@org.junit.jupiter.api.Timeout(value = 2, unit = TimeUnit.MINUTES,
        threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
class ShardedTest {

    /**
     * Three shards each send every key of 0..299 five times (sequence
     * numbers 0..4). Each key is handled on exactly one executor, the one of
     * shard {@code key % 3}, in its handler task; every (sender, key) value
     * arrives exactly once and in order.
     */
    /**
     * A handler aborted before its first run (its body never runs, so its
     * finally neither): the shard refuses values all the same, where a send
     * was taken into a ring nobody would read (and, once full, waited for
     * ever).
     */
    @Test
    void aHandlerAbortedBeforeItStartsRefusesValues() {
        Sharded<String, Integer> s = Sharded.create(1, 1, k -> 0);
        try (var ex = io.weft.LocalExecutor.create()) {
            ex.run(() -> {
                var shard = s.join(0, (k, v) -> { }).await(); // a mesh of one: ready at once
                shard.handler().abort(); // not started yet: its body never runs
                assertThatThrownBy(() -> shard.handler().await()).isInstanceOf(io.weft.TaskCancelledException.class);
                assertThatThrownBy(() -> shard.send("k", 1).await()).isInstanceOf(ChannelClosedException.class);
                return null;
            });
        }
    }

    @Test
    void eachKeyIsHandledOnOneExecutorInOrderPerSender() throws Exception {
        final int n = 3;
        final int keys = 300;
        final int rounds = 5;
        Sharded<Integer, int[]> sharded = Sharded.create(n, 8); // Integer.hashCode() = the key
        Map<Integer, String> handledOn = new ConcurrentHashMap<>(); // key -> thread that handled it
        List<Map<Integer, int[]>> out = OnExecutors.run("shard", n, 60, id -> () -> {
            Map<Integer, int[]> next = new HashMap<>(); // this shard's keys: key -> next sequence per sender
            Sharded.Shard<Integer, int[]> shard = sharded.join(id, (key, v) -> {
                int sender = v[0];
                int seq = v[1];
                String thread = Thread.currentThread().getName();
                String first = handledOn.putIfAbsent(key, thread);
                if (first != null && !first.equals(thread)) {
                    throw new AssertionError("key " + key + " handled on " + first + " and on " + thread);
                }
                int[] expected = next.computeIfAbsent(key, k -> new int[n]);
                if (expected[sender] != seq) {
                    throw new AssertionError("key " + key + " from shard " + sender + ": sequence " + seq
                            + ", expected " + expected[sender]);
                }
                expected[sender]++;
            }).await();
            assertThat(shard.id()).isEqualTo(id);
            for (int seq = 0; seq < rounds; seq++) {
                for (int key = 0; key < keys; key++) {
                    shard.send(key, new int[] {id, seq}).await();
                }
            }
            shard.close();
            shard.handler().await();
            return next;
        });
        assertThat(handledOn).hasSize(keys);
        for (int key = 0; key < keys; key++) {
            int home = key % n;
            assertThat(handledOn.get(key)).as("key %d", key).isEqualTo("shard-" + home);
            assertThat(out.get(home).get(key)).as("key %d: values from each shard", key)
                    .containsExactly(rounds, rounds, rounds);
        }
        for (int s = 0; s < n; s++) {
            assertThat(out.get(s)).as("keys handled by shard %d", s).hasSize(keys / n);
        }
    }

    @Test
    void theShardOfAKeyIsTheFloorModOfItsHash() {
        Sharded<String, String> byLength = Sharded.create(4, 2, String::length);
        assertThat(byLength.shardOf("abcdef")).isEqualTo(2);
        Sharded<Integer, String> byValue = Sharded.create(3, 2);
        assertThat(byValue.shardOf(-1)).as("never negative").isEqualTo(2);
        assertThat(byValue.shardOf(7)).isEqualTo(1);
        assertThatThrownBy(() -> byValue.shardOf(null)).isInstanceOf(NullPointerException.class);
    }

    /**
     * A join from a plain thread or from a StealingExecutor's task (whose
     * tasks live on several threads, where a shard's ends belong to one) is
     * refused at the call, naming what to do, before anything is joined:
     * the shards then join as usual. A plain thread's join used to connect
     * it to the mesh, then fail to start its handler ("Weft.spawn called
     * outside a weft executor"), leaving the others' sends to it blocked.
     */
    @Test
    void aJoinFromAPlainThreadOrAStealingExecutorIsRefusedAndJoinsNothing() throws Exception {
        Sharded<String, Integer> sharded = Sharded.create(2, 4, k -> k.length());
        assertThatThrownBy(() -> sharded.join(0, (k, v) -> { })).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Sharded.join").hasMessageContaining("outside any executor");
        try (io.weft.StealingExecutor st = io.weft.StealingExecutor.builder().workers(2).build()) {
            assertThatThrownBy(() -> st.blockOn(() -> sharded.join(1, (k, v) -> { })))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("StealingExecutor")
                    .hasMessageContaining("LocalExecutorPool");
        }
        Map<String, Integer> handled = new ConcurrentHashMap<>();
        OnExecutors.run("shard-after-refusals", 2, 30, id -> () -> {
            var shard = sharded.join(id, handled::put).await();
            shard.send(id == 0 ? "a" : "bb", id).await();
            shard.close();
            shard.handler().await();
            return null;
        });
        assertThat(handled).containsExactlyInAnyOrderEntriesOf(Map.of("a", 0, "bb", 1));
    }

    @Test
    void aSendAfterCloseGivesTheEntryBack() throws Exception {
        Sharded<String, Integer> sharded = Sharded.create(2, 2, k -> 1);
        OnExecutors.run("shard-closed", 2, 30, id -> () -> {
            var shard = sharded.join(id, (k, v) -> { }).await();
            shard.close();
            assertThatThrownBy(() -> shard.send("k", 5).await()).isInstanceOf(ChannelClosedException.class)
                    .satisfies(e -> assertThat(((ChannelClosedException) e).<Map.Entry<String, Integer>>valueAs())
                            .isEqualTo(Map.entry("k", 5)));
            shard.handler().await();
            return null;
        });
    }

    @Test
    void aHandlerThatFailsRefusesFurtherValuesInsteadOfBlockingItsSenders() throws Exception {
        Sharded<String, Integer> sharded = Sharded.create(2, 1, k -> 1); // every key to shard 1
        List<Object> out = OnExecutors.run("shard-fail", 2, 30, id -> () -> {
            var shard = sharded.join(id, (k, v) -> {
                throw new IllegalStateException("handler broke on " + k);
            }).await();
            if (id == 1) {
                assertThatThrownBy(() -> shard.handler().await()).hasRootCauseMessage("handler broke on first");
                shard.close();
                return "failed";
            }
            try {
                for (int i = 0; ; i++) {
                    shard.send(i == 0 ? "first" : "more", i).await(); // capacity 1: would block for good
                }
            } catch (ChannelClosedException refused) {
                shard.close();
                return "refused";
            }
        });
        assertThat(out).containsExactly("refused", "failed");
    }
}
