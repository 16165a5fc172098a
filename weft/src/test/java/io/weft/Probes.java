package io.weft;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Hand-written futures that count what happens to them. */
final class Probes {
    private Probes() {
    }

    /**
     * Pending until {@link #open}; remembers every waker it was polled with
     * and wakes them all when opened. Safe from any thread.
     */
    static final class Gate<T> implements Future<T> {
        private final List<Waker> wakers = new ArrayList<>();
        private boolean open;
        private T value;
        final AtomicInteger polls = new AtomicInteger();

        @Override
        public Poll<T> poll(Context cx) {
            polls.incrementAndGet();
            synchronized (this) {
                if (open) {
                    return Poll.ready(value);
                }
                wakers.add(cx.waker());
                return Poll.pending();
            }
        }

        void open(T v) {
            List<Waker> toWake;
            synchronized (this) {
                open = true;
                value = v;
                toWake = new ArrayList<>(wakers);
                wakers.clear();
            }
            for (Waker w : toWake) {
                w.wake();
            }
        }

        synchronized int waiting() {
            return wakers.size();
        }
    }

    /** Pending forever; counts polls and keeps its last waker. */
    static final class Never<T> implements Future<T> {
        final AtomicInteger polls = new AtomicInteger();
        volatile Waker waker;

        @Override
        public Poll<T> poll(Context cx) {
            polls.incrementAndGet();
            waker = cx.waker();
            return Poll.pending();
        }
    }

    /** Ready with {@code value} on the first poll; counts polls and keeps the waker. */
    static final class Ready<T> implements Future<T> {
        final AtomicInteger polls = new AtomicInteger();
        volatile Waker waker;
        private final T value;

        Ready(T value) {
            this.value = value;
        }

        @Override
        public Poll<T> poll(Context cx) {
            polls.incrementAndGet();
            waker = cx.waker();
            return Poll.ready(value);
        }
    }
}
