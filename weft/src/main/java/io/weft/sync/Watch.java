package io.weft.sync;

import io.weft.Context;
import io.weft.Poll;

/**
 * One value that changes, watched by many receivers (tokio's
 * {@code sync::watch}). The value has a version; every store makes a new
 * one. Each {@link Receiver} remembers the version it has <i>seen</i> and can
 * wait for a newer one.
 *
 * <pre>{@code
 * var w = Watch.create(config);                // shared: any thread, any executor
 * var local = Watch.local(config);             // local: the tasks of this executor only
 * Watch.Receiver<Config> rx = w.subscribe();   // has seen the current version
 * w.sender().send(newConfig);                  // never waits
 * rx.changed().await();                        // a newer version was stored; now seen
 * Config c = rx.borrow();
 * }</pre>
 *
 * <h2>Sender</h2>
 * A watch has one {@link Sender} handle (any number of tasks, and threads
 * for a shared watch, may use it).
 * <ul>
 *   <li>{@link Sender#send} stores a new version and wakes every waiting
 *       {@code changed()}, if at least one receiver is subscribed; with none
 *       it stores nothing and throws {@link ChannelClosedException} carrying
 *       the value back (tokio's {@code send}).</li>
 *   <li>{@link Sender#sendReplace} stores even with no receiver and returns
 *       the previous value (tokio's {@code send_replace}).</li>
 *   <li>{@link Sender#close()} freezes the value: later sends fail with
 *       {@link ChannelClosedException} carrying their value.</li>
 *   <li>{@link Sender#borrow()} reads the current value.</li>
 * </ul>
 *
 * <h2>Receivers</h2>
 * {@link #subscribe()} returns a receiver that has seen the current version.
 * <ul>
 *   <li>{@link Receiver#changed()} completes once the stored version is not
 *       the one this receiver has seen (at once if it already is not), and
 *       marks the current version seen. Several stores between two
 *       {@code changed()} make one change: the receiver wakes once and
 *       reads the latest value. If there is no unseen version and the sender
 *       is closed, it fails with {@link ChannelClosedException}; an unseen
 *       version stored before the close is reported first.</li>
 *   <li>{@link Receiver#borrow()} reads the current value without marking it
 *       seen; {@link Receiver#borrowAndUpdate()} reads it and marks it seen;
 *       {@link Receiver#hasChanged()} tells whether there is an unseen
 *       version (a plain boolean, even once the sender is closed: tokio's
 *       {@code has_changed} is an error then).</li>
 *   <li>{@link Receiver#close()} unsubscribes: the receiver no longer counts
 *       for {@code send}, and its {@code changed()}, pending or new, fails
 *       with {@link ChannelClosedException}. Reading still works.</li>
 * </ul>
 * Values are never null.
 *
 * <h2>Waiting, cancellation</h2>
 * Waiting {@code changed()}s of every receiver are in one queue; every store
 * and the sender's close wake all of them (a hint: "look again"). The seen
 * version moves only in the poll that returns ready, or in
 * {@code borrowAndUpdate}. So a {@code changed()} that was woken and then
 * aborted loses nothing: the version stays unseen for the receiver's next
 * {@code changed()}, and there is no hint to hand on, every other waiter was
 * woken by the same store.
 *
 * <h2>Threads</h2>
 * {@link #create} is shared (a lock: any thread, any executor),
 * {@link #local} belongs to the executor it is created on. Every field
 * below, and those of the handles and waiters, is guarded by
 * {@link #access} (see {@code package-info}).
 */
public final class Watch<T> {
    final Access access;
    private T value;
    /** Stores so far: the version of {@link #value}. */
    private long version;
    private boolean senderClosed;
    /** Open receivers. */
    private int receivers;
    /** Waiting changed()s of every receiver. */
    private final WaitList waiters = new WaitList();
    private final Sender<T> sender;

    private Watch(Access access, T initial) {
        this.access = access;
        this.value = initial;
        this.sender = new Sender<>(this);
    }

    private static <T> T checkValue(T value) {
        if (value == null) {
            throw new NullPointerException("watch values must not be null");
        }
        return value;
    }

    /** A shared watch holding {@code initial} (version 0). */
    public static <T> Watch<T> create(T initial) {
        return new Watch<>(Access.shared(), checkValue(initial));
    }

    /** A local watch (this executor's tasks only) holding {@code initial} (version 0). */
    public static <T> Watch<T> local(T initial) {
        checkValue(initial);
        return new Watch<>(Access.local("Watch.local"), initial);
    }

    /** The sender handle (a watch has exactly one). */
    public Sender<T> sender() {
        return sender;
    }

    /** A new receiver that has seen the current version. */
    public Receiver<T> subscribe() {
        access.enter();
        try {
            receivers++;
            return new Receiver<>(this, version);
        } finally {
            access.exit();
        }
    }

    /** Receivers subscribed and not closed. */
    public int receiverCount() {
        access.enter();
        try {
            return receivers;
        } finally {
            access.exit();
        }
    }

    public boolean isLocal() {
        return access.isLocal();
    }

    // =====================================================================
    // The algorithm; every method enters access first.
    // =====================================================================

    /** Waiters queued now (for tests). */
    int waiterCount() {
        access.enter();
        try {
            int n = 0;
            for (Waiter w = waiters.peekFirst(); w != null; w = w.next) {
                n++;
            }
            return n;
        } finally {
            access.exit();
        }
    }

    /** Under access: the new version, and every waiter looks again. */
    private T store(T v) {
        T old = value;
        value = v;
        version++;
        waiters.notifyEvery();
        return old;
    }

    private ChannelClosedException sendClosed(T v) {
        return new ChannelClosedException("send on a closed watch sender", v);
    }

    void send(T v) {
        checkValue(v);
        access.enter();
        try {
            if (senderClosed) {
                throw sendClosed(v);
            }
            if (receivers == 0) {
                throw new ChannelClosedException("watch send with no receiver subscribed", v);
            }
            store(v);
        } finally {
            access.exit();
        }
    }

    T sendReplace(T v) {
        checkValue(v);
        access.enter();
        try {
            if (senderClosed) {
                throw sendClosed(v);
            }
            return store(v);
        } finally {
            access.exit();
        }
    }

    T borrow() {
        access.enter();
        try {
            return value;
        } finally {
            access.exit();
        }
    }

    void closeSender() {
        access.enter();
        try {
            if (senderClosed) {
                return;
            }
            senderClosed = true;
            waiters.notifyEvery(); // those with nothing unseen see the end
        } finally {
            access.exit();
        }
    }

    boolean isSenderClosed() {
        access.enter();
        try {
            return senderClosed;
        } finally {
            access.exit();
        }
    }

    T borrowAndUpdate(Receiver<T> rx) {
        access.enter();
        try {
            rx.seen = version;
            return value;
        } finally {
            access.exit();
        }
    }

    boolean hasChanged(Receiver<T> rx) {
        access.enter();
        try {
            return rx.seen != version;
        } finally {
            access.exit();
        }
    }

    void closeReceiver(Receiver<T> rx) {
        access.enter();
        try {
            if (rx.closed) {
                return;
            }
            rx.closed = true;
            receivers--;
            Waiter w = waiters.peekFirst();
            while (w != null) {
                Waiter after = w.next;
                if (((Changed) w).rx == rx) {
                    waiters.notifyWaiter(w); // its poll fails: receiver closed
                }
                w = after;
            }
        } finally {
            access.exit();
        }
    }

    WaitFuture<Void> changed(Receiver<T> rx) {
        return new Changed(rx);
    }

    private final class Changed extends Waiter implements WaitFuture<Void>, io.weft.compose.GivesBack<Void> {
        final Receiver<T> rx;
        /** The version rx had seen before this returned ready, until given back; -1: none. Under access. */
        private long seenBefore = -1;

        Changed(Receiver<T> rx) {
            this.rx = rx;
        }

        @Override
        public Poll<Void> poll(Context cx) {
            access.enter();
            try {
                if (state == DONE) {
                    throw new IllegalStateException("changed future polled after it completed or was cancelled");
                }
                if (rx.closed) {
                    finish(waiters);
                    throw new ChannelClosedException("changed() on a closed watch receiver", null);
                }
                if (rx.seen != version) {
                    if (!cx.consumeBudget()) {
                        return Poll.pending(); // keep our state; the version stays unseen
                    }
                    finish(waiters);
                    seenBefore = rx.seen;
                    rx.seen = version;
                    return Poll.ready(null);
                }
                if (senderClosed) {
                    finish(waiters);
                    throw new ChannelClosedException("watch sender closed and its last version seen", null);
                }
                access.checkMayWait(this, cx.waker());
                waker = cx.waker();
                if (state != QUEUED) { // IDLE, or NOTIFIED and another task of this receiver saw it
                    waiters.addLast(this);
                }
                return Poll.pending();
            } finally {
                access.exit();
            }
        }

        /**
         * Given back by a combinator that took it and was given up (a join
         * past its deadline): what it marked seen is unseen again, unless
         * the receiver saw a version since.
         */
        @Override
        public void giveBack(Void unused) {
            access.enter();
            try {
                long before = seenBefore;
                seenBefore = -1;
                if (before >= 0 && !rx.closed && rx.seen == version) {
                    rx.seen = before;
                    waiters.notifyEvery(); // a task of rx waiting for a change: it has one again
                }
            } finally {
                access.exit();
            }
        }

        @Override
        public void cancel() {
            access.enter();
            try {
                finish(waiters);
                // NOTIFIED: nothing to hand on. The version stays unseen for rx, and the store that
                // woke us woke every other waiter too.
            } finally {
                access.exit();
            }
        }
    }

    /** The sending handle; any number of tasks (and threads, if shared) may use it. */
    public static final class Sender<T> implements AutoCloseable {
        private final Watch<T> watch;

        Sender(Watch<T> watch) {
            this.watch = watch;
        }

        /**
         * Stores {@code value} as a new version and wakes every waiting
         * {@code changed()}. Throws {@link ChannelClosedException} carrying
         * {@code value} (and stores nothing) if no receiver is subscribed or
         * the sender is closed.
         */
        public void send(T value) {
            watch.send(value);
        }

        /**
         * Stores {@code value} as a new version even with no receiver, and
         * returns the previous value. Throws {@link ChannelClosedException}
         * carrying {@code value} if the sender is closed.
         */
        public T sendReplace(T value) {
            return watch.sendReplace(value);
        }

        /** The current value. */
        public T borrow() {
            return watch.borrow();
        }

        /** True once every receiver is closed (or none ever subscribed): {@link #send} would fail. */
        public boolean isClosed() {
            return watch.receiverCount() == 0;
        }

        /** Closes the sender: the value is final, receivers see the end once they have seen it. Idempotent. */
        @Override
        public void close() {
            watch.closeSender();
        }
    }

    /** One subscription: its own seen version. Several tasks may use it; they share that version. */
    public static final class Receiver<T> implements AutoCloseable {
        private final Watch<T> watch;
        /** Guarded by the watch's access: the version this receiver has seen. */
        long seen;
        /** Guarded by the watch's access. */
        boolean closed;

        Receiver(Watch<T> watch, long seen) {
            this.watch = watch;
            this.seen = seen;
        }

        /**
         * Ready once a version this receiver has not seen is stored (at once
         * if there is one); marks it seen. Fails with
         * {@link ChannelClosedException} if the sender is closed and there is
         * no unseen version, or this receiver is closed.
         *
         * <p><b>Cancel safety:</b> a cancelled {@code changed()} marks
         * nothing seen: the next one is ready at once for the version it
         * would have returned. A join (or a select, a Timeout) that took it
         * and is then given up leaves the version unseen too.
         */
        public WaitFuture<Void> changed() {
            return watch.changed(this);
        }

        /** The current value; does not mark it seen. */
        public T borrow() {
            return watch.borrow();
        }

        /** The current value, marked seen. */
        public T borrowAndUpdate() {
            return watch.borrowAndUpdate(this);
        }

        /** True if a version this receiver has not seen is stored. */
        public boolean hasChanged() {
            return watch.hasChanged(this);
        }

        /** True once the sender is closed: no version will come after the current one. */
        public boolean isSenderClosed() {
            return watch.isSenderClosed();
        }

        /** Unsubscribes (see {@link Watch}); idempotent. */
        @Override
        public void close() {
            watch.closeReceiver(this);
        }
    }
}
