package io.weft.sync;

import io.weft.Context;
import io.weft.Poll;

/**
 * Receives from whichever of several {@link SpscReceiver}s (all bound to one
 * thread) has a value first, fairly: each receive starts looking at the
 * source after the one that delivered last (round robin), so a source that
 * always has a value cannot starve the others. A source whose stream ended
 * is skipped from then on; once every one has ended, a receive fails with
 * {@link ChannelClosedException}.
 *
 * <p>Thread: the thread that owns the receivers; {@code cursor} and
 * {@code ended} are plain fields of that thread.
 */
final class Fanin<T> {
    private final ThreadBinding binding;
    private final SpscReceiver<T>[] sources;
    /** The id reported with a value from {@code sources[i]}. */
    private final int[] ids;
    private final boolean[] ended;
    /** Where the next receive starts looking. */
    private int cursor;

    Fanin(ThreadBinding binding, SpscReceiver<T>[] sources, int[] ids) {
        this.binding = binding;
        this.sources = sources;
        this.ids = ids;
        this.ended = new boolean[sources.length];
    }

    int size() {
        return sources.length;
    }

    WaitFuture<MeshMessage<T>> recv() {
        binding.check();
        return new RecvAnyOp();
    }

    /**
     * Polls one recv per source, starting at {@code cursor}, and returns the
     * first value; the others are cancelled at once, so (by the recv's cancel
     * safety) they took nothing and hand on any wake-up they had. A value
     * leaves its ring only in the poll of its own recv that returns ready,
     * and at most one of them does per receive: the loop stops there.
     */
    private final class RecvAnyOp implements WaitFuture<MeshMessage<T>> {
        private final WaitFuture<T>[] ops;
        private boolean done;

        @SuppressWarnings("unchecked")
        RecvAnyOp() {
            ops = new WaitFuture[sources.length];
        }

        @Override
        public Poll<MeshMessage<T>> poll(Context cx) {
            binding.check();
            if (done) {
                throw new IllegalStateException("receive-from-any future polled after it completed or was cancelled");
            }
            int n = sources.length;
            boolean open = false;
            for (int k = 0; k < n; k++) {
                int i = cursor + k < n ? cursor + k : cursor + k - n;
                if (ended[i]) {
                    continue;
                }
                WaitFuture<T> op = ops[i];
                if (op == null) {
                    op = ops[i] = sources[i].recv();
                }
                Poll<T> p;
                try {
                    p = op.poll(cx);
                } catch (ChannelClosedException end) {
                    ended[i] = true; // the recv is DONE
                    ops[i] = null;
                    continue;
                }
                if (p.isReady()) {
                    ops[i] = null;
                    cancelAll();
                    cursor = i + 1 < n ? i + 1 : 0;
                    return Poll.ready(new MeshMessage<>(ids[i], p.get()));
                }
                open = true;
            }
            if (!open) {
                cancelAll();
                throw new ChannelClosedException("every source closed and drained", null);
            }
            return Poll.pending();
        }

        private void cancelAll() {
            done = true;
            for (int i = 0; i < ops.length; i++) {
                WaitFuture<T> op = ops[i];
                if (op != null) {
                    ops[i] = null;
                    op.cancel();
                }
            }
        }

        /** <b>Cancel safety:</b> took nothing from any source; a wake-up it had goes to the next recv of that source. */
        @Override
        public void cancel() {
            binding.check();
            if (!done) {
                cancelAll();
            }
        }
    }
}
