package io.weft.executor;

import java.util.Arrays;

/**
 * The active task queues, a binary min-heap by virtual runtime (ties: the
 * queue created first). Owner thread only.
 */
final class QueueHeap {
    private TaskQueue[] heap = new TaskQueue[8];
    private int size;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    TaskQueue peek() {
        return size == 0 ? null : heap[0];
    }

    void add(TaskQueue q) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        heap[size] = q;
        q.heapIndex = size;
        siftUp(size++);
    }

    TaskQueue poll() {
        if (size == 0) {
            return null;
        }
        TaskQueue top = heap[0];
        TaskQueue last = heap[--size];
        heap[size] = null;
        if (size > 0) {
            heap[0] = last;
            last.heapIndex = 0;
            siftDown(0);
        }
        top.heapIndex = -1;
        return top;
    }

    /** The smallest latency bound among the queues in the heap. */
    long minLatencyNanos() {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < size; i++) {
            min = Math.min(min, heap[i].latency.nanos());
        }
        return min;
    }

    /** Subtracts {@code base} from every queue's vruntime in the heap (order unchanged). */
    void rebase(long base) {
        for (int i = 0; i < size; i++) {
            heap[i].vruntime -= base;
        }
    }

    private static boolean less(TaskQueue a, TaskQueue b) {
        return a.vruntime < b.vruntime || (a.vruntime == b.vruntime && a.id < b.id);
    }

    private void siftUp(int i) {
        TaskQueue q = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            TaskQueue p = heap[parent];
            if (!less(q, p)) {
                break;
            }
            heap[i] = p;
            p.heapIndex = i;
            i = parent;
        }
        heap[i] = q;
        q.heapIndex = i;
    }

    private void siftDown(int i) {
        TaskQueue q = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && less(heap[right], heap[child])) {
                child = right;
            }
            if (!less(heap[child], q)) {
                break;
            }
            heap[i] = heap[child];
            heap[i].heapIndex = i;
            i = child;
        }
        heap[i] = q;
        q.heapIndex = i;
    }
}
