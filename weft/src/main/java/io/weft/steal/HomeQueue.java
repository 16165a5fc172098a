package io.weft.steal;

import io.weft.task.Task;
import java.util.ArrayDeque;

/**
 * A worker's queue of woken tasks that live on it ({@code StealWorker.pinned}),
 * each with the mark of its arrival: how many tasks had been pushed onto the
 * worker's stealable {@link LocalQueue} when it came. The worker runs the
 * oldest of the two heads, so the two queues together run in the order of
 * arrival, as tokio's one run queue does: a woken task runs after the
 * stealable tasks queued before it (however many polls that takes, at most
 * the local queue's capacity) and before those queued after it. This
 * thread only: the worker's.
 */
final class HomeQueue {
    private Task<?>[] tasks = new Task<?>[16];
    private int[] marks = new int[16];
    private int head;
    private int size;

    /** Queues {@code t}, which came when {@code mark} tasks had been pushed onto the local queue. */
    void add(Task<?> t, int mark) {
        if (size == tasks.length) {
            grow();
        }
        int i = (head + size) & (tasks.length - 1);
        tasks[i] = t;
        marks[i] = mark;
        size++;
    }

    /** Queues every task of {@code ts}, in order, with the one mark. */
    void addAll(ArrayDeque<Task<?>> ts, int mark) {
        for (Task<?> t : ts) {
            add(t, mark);
        }
    }

    /** The oldest task, taken off; null if there is none. */
    Task<?> poll() {
        if (size == 0) {
            return null;
        }
        Task<?> t = tasks[head];
        tasks[head] = null;
        head = (head + 1) & (tasks.length - 1);
        size--;
        return t;
    }

    /** The mark of the oldest task; only when there is one. */
    int headMark() {
        return marks[head];
    }

    /** How many times {@code t} is queued here (for tests: a wake is queued once). */
    int occurrences(Task<?> t) {
        int n = 0;
        for (int i = 0; i < size; i++) {
            n += tasks[(head + i) & (tasks.length - 1)] == t ? 1 : 0;
        }
        return n;
    }

    boolean isEmpty() {
        return size == 0;
    }

    private void grow() {
        int n = tasks.length;
        Task<?>[] t = new Task<?>[n * 2];
        int[] m = new int[n * 2];
        for (int i = 0; i < size; i++) {
            t[i] = tasks[(head + i) & (n - 1)];
            m[i] = marks[(head + i) & (n - 1)];
        }
        tasks = t;
        marks = m;
        head = 0;
    }
}
