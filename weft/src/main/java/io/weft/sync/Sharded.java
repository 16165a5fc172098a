package io.weft.sync;

import io.weft.executor.Worker;

import io.weft.CancellableFuture;
import io.weft.JoinHandle;
import io.weft.Weft;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToIntFunction;

/**
 * Values routed to an executor by key, over a full {@link ChannelMesh}
 * (glommio's {@code Sharded}): each of {@link #shards()} executors joins
 * with a handler, and a {@code send(key, value)} from any of them goes to
 * shard {@code floorMod(hash(key), shards)}, whose handler task handles it.
 * So every value of one key is handled on one executor, in the order each
 * sender sent it, and state kept per key needs no lock.
 *
 * <pre>{@code
 * var counts = Sharded.<String, Integer>create(n, 1024);    // hash = key.hashCode()
 * // on each of the n executors:
 * Map<String, Integer> mine = new HashMap<>();              // this shard's keys only
 * var shard = counts.join(id, (word, k) -> mine.merge(word, k, Integer::sum)).await();
 * for (String w : words) shard.send(w, 1).await();
 * shard.close();                                            // this shard sends no more
 * shard.handler().await();                                  // every shard closed, every value handled
 * }</pre>
 * With the executor pool, join with {@code Weft.executorIndex()} as the id
 * from a task on each executor, as for {@link ChannelMesh}.
 */
public final class Sharded<K, V> {

    /** What a shard does with each value routed to it; runs in the shard's handler task (it may await). */
    @FunctionalInterface
    public interface Handler<K, V> {
        void handle(K key, V value) throws Exception;
    }

    private final ChannelMesh<Map.Entry<K, V>> mesh;
    private final ToIntFunction<? super K> hash;
    private final int capacity;

    private Sharded(int shards, int capacity, ToIntFunction<? super K> hash) {
        this.mesh = ChannelMesh.full(shards, capacity);
        this.hash = Objects.requireNonNull(hash, "hash");
        this.capacity = capacity;
    }

    /** {@code shards} shards routed by {@code key.hashCode()}, channels of {@code capacity}. */
    public static <K, V> Sharded<K, V> create(int shards, int capacity) {
        return new Sharded<>(shards, capacity, Object::hashCode);
    }

    /** {@code shards} shards routed by {@code hash}, channels of {@code capacity}. */
    public static <K, V> Sharded<K, V> create(int shards, int capacity, ToIntFunction<? super K> hash) {
        return new Sharded<>(shards, capacity, hash);
    }

    public int shards() {
        return mesh.members();
    }

    /** The shard that handles {@code key}: {@code floorMod(hash(key), shards())}. */
    public int shardOf(K key) {
        return Math.floorMod(hash.applyAsInt(Objects.requireNonNull(key, "key")), mesh.members());
    }

    /**
     * Joins as shard {@code id} (as {@link ChannelMesh#join(int)}: the future
     * completes once every shard has joined) and starts this shard's handler
     * task on the calling executor; call it from a task. From a plain thread
     * or a StealingExecutor's task it throws IllegalStateException, joining
     * nothing.
     *
     * <p><b>Cancel safety:</b> as {@link ChannelMesh#join(int)}'s; the
     * handler task starts only when the future completes.
     */
    public CancellableFuture<Shard<K, V>> join(int id, Handler<? super K, ? super V> handler) {
        Objects.requireNonNull(handler, "handler");
        checkJoiner();
        return mesh.join(id).map(c -> new Shard<>(this, c, handler));
    }

    /** {@link #join(int, Handler)} with the lowest free shard id. */
    public CancellableFuture<Shard<K, V>> join(Handler<? super K, ? super V> handler) {
        Objects.requireNonNull(handler, "handler");
        checkJoiner();
        return mesh.join().map(c -> new Shard<>(this, c, handler));
    }

    /**
     * A shard is an executor whose tasks stay on its thread: its ends belong
     * to that thread, and its handler is a task there. Refused before
     * anything is joined, so that the shards still join.
     */
    private static void checkJoiner() {
        Worker w = Worker.currentOrNull();
        if (w == null) {
            throw new IllegalStateException("Sharded.join called from thread " + Thread.currentThread().getName()
                    + ", outside any executor: a shard is an executor, which runs its handler task; join from"
                    + " a task of each executor (e.g. of a LocalExecutorPool, with Weft.executorIndex() as the id)");
        }
        if (!w.tasksStayOnThread()) {
            throw new IllegalStateException("Sharded.join called from a task of " + w.name() + ", a StealingExecutor,"
                    + " whose tasks run on several threads, where a shard's channels belong to one: join from the"
                    + " executors of a LocalExecutorPool (one shard each), or share a Channel.bounded instead");
        }
    }

    /**
     * One executor's shard: sends values to the shard of their key, and runs
     * the handler task for the values of its own keys. Belongs to the thread
     * that joined.
     */
    public static final class Shard<K, V> implements AutoCloseable {
        private final Sharded<K, V> sharded;
        private final MeshConnection<Map.Entry<K, V>> connection;
        /** Values this shard routes to itself: both ends on this thread. */
        private final SpscChannel<Map.Entry<K, V>> self;
        private final JoinHandle<Void> handler;

        Shard(Sharded<K, V> sharded, MeshConnection<Map.Entry<K, V>> connection, Handler<? super K, ? super V> h) {
            this.sharded = sharded;
            this.connection = connection;
            this.self = SpscChannel.create(sharded.capacity);
            String how = "which joined a Sharded as shard " + connection.id();
            self.sender().bind(how);
            self.receiver().bind(how);
            int n = connection.members();
            @SuppressWarnings("unchecked")
            SpscReceiver<Map.Entry<K, V>>[] sources = new SpscReceiver[n];
            int[] ids = new int[n];
            for (int i = 0; i < n; i++) {
                ids[i] = i;
                sources[i] = i == connection.id() ? self.receiver() : connection.receiverOf(i);
            }
            Fanin<Map.Entry<K, V>> in = new Fanin<>(self.consumer, sources, ids);
            this.handler = Weft.spawn(() -> handleAll(in, h));
            // A handler aborted before its first run never runs its body, nor so its finally: its end closes the
            // receivers all the same (on this thread, where the handler completes; a bystander, not a joiner).
            if (!((io.weft.task.Task<Void>) handler).wakeOnCompletion(this::refuseValues, false)) {
                refuseValues();
            }
        }

        /** From now on a send to this shard fails instead of waiting for ever (idempotent). */
        private void refuseValues() {
            connection.closeReceivers();
            self.receiver().close();
        }

        private Void handleAll(Fanin<Map.Entry<K, V>> in, Handler<? super K, ? super V> h) throws Exception {
            try {
                for (;;) {
                    Map.Entry<K, V> e;
                    try {
                        e = in.recv().await().value();
                    } catch (ChannelClosedException end) {
                        return null; // every shard closed, every value handled
                    }
                    h.handle(e.getKey(), e.getValue());
                }
            } finally {
                refuseValues(); // ended, failed or aborted (its end's hook does it too, for a handler never run)
            }
        }

        /** This shard's id, 0 to {@code shards() - 1}. */
        public int id() {
            return connection.id();
        }

        /**
         * Sends {@code value} to the shard of {@code key} (this one included),
         * suspending while that channel is full. Fails with
         * {@link ChannelClosedException} if this shard was closed, or if the
         * handler of the key's shard has ended; its {@code value()} is then
         * the {@code Map.Entry} of the key and the value.
         *
         * <p><b>Cancel safety:</b> as {@link SpscSender#send}: a cancelled
         * send sent nothing.
         */
        public WaitFuture<Void> send(K key, V value) {
            int to = sharded.shardOf(key);
            Map.Entry<K, V> e = Map.entry(key, Objects.requireNonNull(value, "value"));
            return to == connection.id() ? self.sender().send(e) : connection.sendTo(to, e);
        }

        /**
         * The handler task: it ends once every shard has closed and every
         * value routed here was handled (or fails with what the handler
         * threw; the shard then refuses further values).
         */
        public JoinHandle<Void> handler() {
            return handler;
        }

        /** This shard sends no more (idempotent); its handler goes on until every shard has closed. */
        @Override
        public void close() {
            connection.closeSenders();
            self.sender().close();
        }
    }
}
