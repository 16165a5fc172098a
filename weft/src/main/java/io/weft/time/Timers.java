package io.weft.time;

import io.weft.Waker;
import java.util.PriorityQueue;

/**
 * The timers of one executor: a min-heap of deadlines. Owner thread only.
 * A small first version: the hierarchical wheel of the time issue replaces
 * the heap behind the same three calls.
 */
public final class Timers {
    private final PriorityQueue<Entry> heap = new PriorityQueue<>();
    private long seq;

    /** A registered timer; {@link #cancel()} keeps it from firing. */
    public static final class Entry implements Comparable<Entry> {
        final long deadline;
        final long order;
        Waker waker;
        boolean fired;
        boolean cancelled;

        Entry(long deadline, long order, Waker waker) {
            this.deadline = deadline;
            this.order = order;
            this.waker = waker;
        }

        public boolean fired() {
            return fired;
        }

        public void setWaker(Waker w) {
            waker = w;
        }

        public void cancel() {
            cancelled = true;
            waker = null;
        }

        @Override
        public int compareTo(Entry o) {
            int c = Long.compare(deadline, o.deadline);
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }

    public Entry add(long deadlineNanos, Waker waker) {
        Entry e = new Entry(deadlineNanos, seq++, waker);
        heap.add(e);
        return e;
    }

    /** Fires every timer whose deadline is at or before {@code now}; returns how many. */
    public int fire(long now) {
        int n = 0;
        Entry e;
        while ((e = heap.peek()) != null && e.deadline - now <= 0) {
            heap.poll();
            if (!e.cancelled) {
                e.fired = true;
                Waker w = e.waker;
                e.waker = null;
                w.wake();
                n++;
            }
        }
        return n;
    }

    /** The next deadline, or {@link Long#MAX_VALUE} when there is none. */
    public long nextDeadline() {
        Entry e;
        while ((e = heap.peek()) != null && e.cancelled) {
            heap.poll();
        }
        return e == null ? Long.MAX_VALUE : e.deadline;
    }

    public boolean isEmpty() {
        return nextDeadline() == Long.MAX_VALUE;
    }
}
