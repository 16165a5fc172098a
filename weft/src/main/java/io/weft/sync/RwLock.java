package io.weft.sync;

import io.weft.Context;
import io.weft.Poll;
import java.util.function.Function;

/**
 * An asynchronous reader-writer lock around a value (tokio's {@code RwLock}):
 * up to {@link #maxReaders()} readers at once, or one writer. {@link #read()}
 * and {@link #write()} suspend the task (not the thread) until the lock is
 * theirs, and a task may hold a guard across {@code await()}s. Guards are
 * {@link AutoCloseable}:
 *
 * <pre>{@code
 * try (var g = lock.write().await()) {
 *     g.set(g.get().plus(1));
 * }
 * }</pre>
 *
 * <h2>How it works</h2>
 * As in tokio, the lock is a {@link Semaphore} of {@code maxReaders}
 * permits: a reader takes one, a writer takes them all. That semaphore is
 * FIFO and a request at the head of its queue holds back the ones behind it,
 * which gives the lock its rules:
 * <ul>
 *   <li><b>Fair, writers never starve</b>: a writer waiting for the readers
 *       inside to leave holds back every reader and writer that comes after
 *       it. {@link #tryRead()} and {@link #tryWrite()} fail while anybody
 *       waits, for the same reason.</li>
 *   <li><b>Readers in batches</b>: when a writer leaves, every reader queued
 *       before the next waiting writer (up to {@code maxReaders}) is admitted
 *       at once; that writer then waits for all of them.</li>
 *   <li><b>Nothing is lost to an abort</b>: a waiter whose task is aborted
 *       after the lock was handed to it passes it on; a waiting writer
 *       removed from the head lets the readers behind it in (see
 *       {@link Semaphore}).</li>
 * </ul>
 *
 * <h2>Who touches the value</h2>
 * The reference in the lock is written only by the holder of a
 * {@link WriteGuard}, and read only by holders of a guard; no guard coexists
 * with a write guard. Between holders the semaphore's access orders
 * everything: in the shared family each guard is granted under the
 * semaphore's {@code ReentrantLock} after the conflicting guard before it
 * gave its permits back under that same lock, so a writer's {@code set}
 * happens-before every later {@code get}, and a reader's {@code get}
 * happens-before the next writer's {@code set}. In the local family
 * everything is on one thread. The lock guards the reference, not the object
 * it points to: a reader that mutates that object races with the other
 * readers. Keep the value immutable, or change it under a write guard only.
 *
 * <p>{@link #create} is shared (any thread, any executor); {@link #local}
 * belongs to the executor it is created on, and refuses other threads with
 * an {@link IllegalStateException}.
 */
public final class RwLock<T> {
    /** The default and largest {@code maxReaders}: in effect, no limit. */
    public static final int MAX_READERS = Integer.MAX_VALUE;

    private final Semaphore semaphore;
    private final int maxReaders;
    /** Written only by a write-guard holder, read only by guard holders (see the class comment). */
    private T value;

    private RwLock(Semaphore semaphore, int maxReaders, T value) {
        this.semaphore = semaphore;
        this.maxReaders = maxReaders;
        this.value = value;
    }

    private static int checkMaxReaders(int maxReaders) {
        if (maxReaders < 1) {
            throw new IllegalArgumentException("maxReaders must be at least 1, was " + maxReaders);
        }
        return maxReaders;
    }

    /** A shared lock with no practical limit on readers. */
    public static <T> RwLock<T> create(T value) {
        return create(value, MAX_READERS);
    }

    /** A shared lock admitting at most {@code maxReaders} readers at once (tokio's {@code with_max_readers}). */
    public static <T> RwLock<T> create(T value, int maxReaders) {
        return new RwLock<>(Semaphore.create(checkMaxReaders(maxReaders)), maxReaders, value);
    }

    /** A local lock, bound to the executor running this task. */
    public static <T> RwLock<T> local(T value) {
        return local(value, MAX_READERS);
    }

    /** A local lock admitting at most {@code maxReaders} readers at once. */
    public static <T> RwLock<T> local(T value, int maxReaders) {
        return new RwLock<>(Semaphore.localNamed("RwLock.local", checkMaxReaders(maxReaders)), maxReaders, value);
    }

    public boolean isLocal() {
        return semaphore.isLocal();
    }

    public int maxReaders() {
        return maxReaders;
    }

    /**
     * Shared access, in FIFO order with the other waiters.
     *
     * <p><b>Cancel safety</b> (also of {@link #write()}): a wait cancelled
     * while queued leaves the queue; one cancelled after the lock was handed
     * to it passes it on to the next waiters.
     */
    public WaitFuture<ReadGuard<T>> read() {
        return guarded(semaphore.acquire(1), p -> new ReadGuard<>(this, p));
    }

    /** Exclusive access, in FIFO order with the other waiters. */
    public WaitFuture<WriteGuard<T>> write() {
        return guarded(semaphore.acquire(maxReaders), p -> new WriteGuard<>(this, p));
    }

    /** A read guard now, or null if a writer holds the lock, {@code maxReaders} readers do, or anybody waits. */
    public ReadGuard<T> tryRead() {
        Semaphore.Permit p = semaphore.tryAcquire(1);
        return p == null ? null : new ReadGuard<>(this, p);
    }

    /** The write guard now, or null if anybody holds the lock or waits for it. */
    public WriteGuard<T> tryWrite() {
        Semaphore.Permit p = semaphore.tryAcquire(maxReaders);
        return p == null ? null : new WriteGuard<>(this, p);
    }

    private static <G> WaitFuture<G> guarded(WaitFuture<Semaphore.Permit> acquire, Function<Semaphore.Permit, G> wrap) {
        return new WaitFuture<>() {
            @Override
            public Poll<G> poll(Context cx) {
                Poll<Semaphore.Permit> p = acquire.poll(cx);
                return p.isReady() ? Poll.ready(wrap.apply(p.get())) : Poll.pending();
            }

            @Override
            public void cancel() {
                acquire.cancel();
            }
        };
    }

    /**
     * Shared access to the value; {@link #close()} releases it, once (closing
     * again does nothing, any other use after close throws
     * {@link IllegalStateException}). Use it from its holder only.
     */
    public static final class ReadGuard<T> implements AutoCloseable {
        private final RwLock<T> lock;
        private final Semaphore.Permit permit;
        /** The holder's: read and written by the holder only. */
        private boolean closed;

        ReadGuard(RwLock<T> lock, Semaphore.Permit permit) {
            this.lock = lock;
            this.permit = permit;
        }

        public T get() {
            if (closed) {
                throw new IllegalStateException("RwLock read guard used after close()");
            }
            return lock.value;
        }

        @Override
        public void close() {
            if (!closed) {
                permit.close(); // first: refused (the wrong thread), the guard is still its holder's to close
                closed = true;
            }
        }
    }

    /**
     * Exclusive access to the value; {@link #close()} releases it, once
     * (closing again does nothing, any other use after close throws
     * {@link IllegalStateException}). Use it from its holder only.
     */
    public static final class WriteGuard<T> implements AutoCloseable {
        private final RwLock<T> lock;
        private final Semaphore.Permit permit;
        /** The holder's: read and written by the holder only. */
        private boolean closed;

        WriteGuard(RwLock<T> lock, Semaphore.Permit permit) {
            this.lock = lock;
            this.permit = permit;
        }

        public T get() {
            check();
            return lock.value;
        }

        public void set(T value) {
            check();
            lock.value = value;
        }

        private void check() {
            if (closed) {
                throw new IllegalStateException("RwLock write guard used after close()");
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
