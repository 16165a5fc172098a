package io.weft.sync;

import io.weft.Context;
import io.weft.Poll;

/**
 * An asynchronous mutual-exclusion lock around a value: {@link #lock()}
 * suspends the task (not the thread) until the lock is free, and a task may
 * hold the guard across {@code await()}s. FIFO fair (it is a
 * {@link Semaphore} of one permit). The guard is {@link AutoCloseable}:
 *
 * <pre>{@code
 * try (var g = mutex.lock().await()) {
 *     g.set(g.get() + 1);
 * }
 * }</pre>
 *
 * A lock whose awaiting task is aborted after the lock was handed to it
 * passes the lock on (see {@link Semaphore}). The value is published between
 * holders by the semaphore's lock (shared) or is on one thread (local).
 */
public final class Mutex<T> {
    private final Semaphore semaphore;
    /** Read and written only by the holder of the guard. */
    private T value;

    private Mutex(Semaphore semaphore, T value) {
        this.semaphore = semaphore;
        this.value = value;
    }

    public static <T> Mutex<T> create(T value) {
        return new Mutex<>(Semaphore.create(1), value);
    }

    public static <T> Mutex<T> local(T value) {
        return new Mutex<>(Semaphore.localNamed("Mutex.local"), value);
    }

    public boolean isLocal() {
        return semaphore.isLocal();
    }

    /**
     * The guard, once the lock is free and every earlier waiter was served.
     *
     * <p><b>Cancel safety:</b> a lock cancelled while it waits leaves the
     * queue; one cancelled after the lock was handed to it (released by the
     * holder, not yet returned by a poll) passes the lock to the next waiter.
     * Either way the mutex is as if this lock had never been asked for.
     */
    public WaitFuture<Guard<T>> lock() {
        WaitFuture<Semaphore.Permit> acquire = semaphore.acquire(1);
        return new WaitFuture<>() {
            @Override
            public Poll<Guard<T>> poll(Context cx) {
                Poll<Semaphore.Permit> p = acquire.poll(cx);
                return p.isReady() ? Poll.ready(new Guard<>(Mutex.this, p.get())) : Poll.pending();
            }

            @Override
            public void cancel() {
                acquire.cancel();
            }
        };
    }

    /** The guard now, or null if the lock is held or somebody waits for it. */
    public Guard<T> tryLock() {
        Semaphore.Permit p = semaphore.tryAcquire(1);
        return p == null ? null : new Guard<>(this, p);
    }

    /** Holding the lock; {@link #close()} releases it, once. Use it from the holder only. */
    public static final class Guard<T> implements AutoCloseable {
        private final Mutex<T> mutex;
        private final Semaphore.Permit permit;
        private boolean closed;

        Guard(Mutex<T> mutex, Semaphore.Permit permit) {
            this.mutex = mutex;
            this.permit = permit;
        }

        public T get() {
            check();
            return mutex.value;
        }

        public void set(T value) {
            check();
            mutex.value = value;
        }

        private void check() {
            if (closed) {
                throw new IllegalStateException("mutex guard used after close()");
            }
        }

        @Override
        public void close() {
            if (!closed) {
                permit.close(); // first: refused (the wrong thread), the guard is still its holder's to close
                closed = true;
            }
        }
    }
}
