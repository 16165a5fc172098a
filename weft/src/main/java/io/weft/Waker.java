package io.weft;

/**
 * Wakes a task, or whatever waits on a future. Safe to call from any thread,
 * any number of times: waking a running task makes it run once more after the
 * current poll, waking a finished one does nothing.
 */
@FunctionalInterface
public interface Waker {
    void wake();
}
