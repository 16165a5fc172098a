package io.weft.sync;

import io.weft.Context;
import io.weft.Poll;
import io.weft.coro.Await;
import io.weft.task.Budget;
import io.weft.task.Wakes;

/**
 * A bounded channel from one executor to another, without a lock: one
 * producer side ({@link SpscSender}), one consumer side
 * ({@link SpscReceiver}), a ring of {@code capacity} slots between them
 * (glommio's {@code shared_channel}). Neither side touches a lock or waits
 * on the other while values flow; a side's task is woken by the other only
 * when it sleeps: the receiver on an empty ring, the sender on a full one.
 *
 * <pre>{@code
 * var ch = SpscChannel.<Long>create(1024);             // on any thread
 * // a task of executor A:
 * for (long i = 0; i < n; i++) ch.sender().send(i).await();   // suspends while the ring is full
 * ch.sender().close();
 * // a task of executor B:
 * try { for (;;) use(ch.receiver().recv().await()); }          // suspends while it is empty
 * catch (ChannelClosedException end) { }                      // closed and drained
 * }</pre>
 *
 * <h2>Threads</h2>
 * Each side belongs to the thread that first uses it (or, in a
 * {@link ChannelMesh}, to the executor that joins): an executor's
 * loop thread, so that any task of that executor may use it, or a plain
 * thread, whose {@code await()} then parks it. A side of an executor
 * follows it if another thread runs it later (a LocalExecutor run again
 * from another thread, or closed from one). Using a side from any other
 * thread throws {@link IllegalStateException} naming both threads. Both
 * sides may belong to the same thread. Several tasks of the owning executor
 * may wait on one side at once: they queue (FIFO) on that side, with no
 * atomic operation; the other side only ever sees the first of them.
 *
 * <h2>Close semantics</h2>
 * As {@link Channel}'s: after {@link SpscSender#close()} the receiver still
 * gets every value sent before it, then the end of the stream
 * ({@link ChannelClosedException} with a null value). After
 * {@link SpscReceiver#close()} every send, pending or new, fails with a
 * {@link ChannelClosedException} whose {@link ChannelClosedException#value()}
 * is the value it did not send; the receiver may still drain what is
 * buffered. A send on a closed sender fails the same way. Both closes are
 * idempotent. Values are never null.
 *
 * <h2>Cancel safety</h2>
 * A value enters the ring only in the poll of a send that returns ready, and
 * leaves it only in the poll of a recv that returns ready: a cancelled send
 * sent nothing, a cancelled recv took nothing (the value stays for the next
 * recv). A wake-up handed to a waiter that is then cancelled goes to the
 * waiter behind it. Waiters are served in FIFO order, but a new operation
 * that finds a value or a free slot takes it without queueing (barging); a
 * woken waiter that lost such a race waits again, still first.
 *
 * <h2>The protocol</h2>
 * The ring's slots, the two Dekker pairs that let a side sleep (their fences
 * deferred to the end of a poll on the fast road), and the
 * hand-on between a side's waiters are told in the package comment of
 * {@code io.weft.sync} ("The SPSC wake protocol").
 *
 * <h2>The fast road of {@code await()}</h2>
 * A send or recv awaited in a coroutine task, never polled before, that
 * finds room or a value at once completes inside {@code await()}: it spends
 * one unit of the task's cooperative budget and checks that the task is not
 * being cancelled, exactly as a poll returning ready inside
 * {@code Future.await()} would, but with no context, no {@link Poll} and no
 * suspension, and without letting the operation escape (so the JIT may keep
 * it off the heap). Each side there defers its fence to the end of the
 * task's poll (the package comment's protocol, 6): a receiver (sender)
 * going to sleep just as a value (a free slot) came is woken when that poll
 * ends, at the latest.
 * Anything else (no room, no value, a close, a spent
 * budget, a cancellation, a plain thread) takes the ordinary road with a
 * fresh operation. Before that road, a send (recv) that found the ring
 * full (empty) spins a moment while the other side's executor is awake and
 * nothing else is ready on its own ({@link SpscSpin}: at most 2 µs,
 * {@code -Dweft.spsc.spinNanos}). The jcstress tests {@code SpscWakeTest}
 * ({@code SendVsSleepingRecv}, {@code RecvVsSleepingSend}, their close
 * variants and {@code CancelledRecvVsSend}) pin both pairs and the hand-on,
 * across a wrap of the ring.
 */
public final class SpscChannel<T> extends SpscRing {
    final ThreadBinding producer;
    final ThreadBinding consumer;
    /** The producer's waiting sends. Producer thread only. */
    private final WaitList sendWaiters = new WaitList();
    /** The consumer's waiting recvs. Consumer thread only. */
    private final WaitList recvWaiters;
    private final SpscSender<T> sender;
    private final SpscReceiver<T> receiver;
    /**
     * Values that recvs returned and a combinator gave back (a join past its
     * deadline), the next to receive first; received before the ring. Null
     * while empty (written only by a give-back, rarely: the producer's reads
     * of the final fields beside it do not suffer). Consumer thread only.
     */
    private java.util.ArrayDeque<Object> givenBack;
    /** The end of the stream was reported to a recv of this side: a value given back after it goes nowhere. */
    private boolean endReported;

    private SpscChannel(int capacity, boolean anyThread) {
        super(capacity);
        this.recvWaiters = new WaitList(); // after the ring: not on the line of sendWaiters
        this.producer = new ThreadBinding("the sending side of an SpscChannel", anyThread);
        this.consumer = new ThreadBinding("the receiving side of an SpscChannel", anyThread);
        this.sender = new SpscSender<>(this);
        this.receiver = new SpscReceiver<>(this);
    }

    /**
     * A channel holding at most {@code capacity} values (exactly: any
     * capacity from 1 up). Callable from any thread; each side is bound to
     * the thread that first uses it.
     */
    public static <T> SpscChannel<T> create(int capacity) {
        return new SpscChannel<>(capacity, false);
    }

    /** Tests only (jcstress drives each side from its own threads, then checks from a third): no thread checks. */
    static <T> SpscChannel<T> createForAnyThread(int capacity) {
        return new SpscChannel<>(capacity, true);
    }

    /** The sending side (there is exactly one). */
    public SpscSender<T> sender() {
        return sender;
    }

    /** The receiving side (there is exactly one). */
    public SpscReceiver<T> receiver() {
        return receiver;
    }

    public int capacity() {
        return capacity;
    }

    private static void checkValue(Object value) {
        if (value == null) {
            throw new NullPointerException("channel values must not be null");
        }
    }

    // =====================================================================
    // The producer's side (producer thread only)
    // =====================================================================

    private ChannelClosedException sendFailure(Object value) {
        return new ChannelClosedException(producerClosed ? "send on a closed SpscSender"
                : "send on an SpscChannel whose receiver is closed", value);
    }

    /**
     * A send that never waits, fenced; with {@code deferTo} (tests: the
     * budget of a poll, whose {@code pollEnded()} the caller calls), as a
     * task's fast road publishes: its fence deferred to the poll's end.
     */
    boolean trySend(T value, Budget deferTo) {
        checkValue(value);
        producer.check();
        if (producerClosed || lvReceiverClosed()) {
            throw sendFailure(value);
        }
        if (!hasRoom()) {
            return false;
        }
        if (deferTo == null ? !publishUnlessClosed(value) : !markPublishing(deferTo)) {
            throw sendFailure(value); // closed just now
        }
        if (deferTo != null) {
            publishDeferringFence(value);
        }
        return true;
    }

    WaitFuture<Void> send(T value) {
        checkValue(value);
        return new SendOp<>(value); // its polls check the thread
    }

    /** The first waiting send may have changed, or room may be left for it: register it, or wake it. */
    private void serveSendHead() {
        Waiter first = sendWaiters.peekFirst();
        if (first == null) {
            soSendWakerNull(); // nobody waits: withdraw what a waiter that is gone left
        } else if (producerClosed || !sleepSend(first.waker)) {
            Wakes.wakeReporting(first.waker, "a send of an SpscChannel"); // on this thread: the local road
        }
    }

    void closeSender() {
        producer.check();
        if (producerClosed) {
            return;
        }
        producerClosed = true;
        svSenderClosed(); // after every value's svElement: pairs with the consumer's lvSenderClosed
        wakeConsumer();
        for (Waiter w = sendWaiters.peekFirst(); w != null; w = w.next) {
            Wakes.wakeReporting(w.waker, "a send of an SpscChannel"); // each fails with its value in its next poll
        }
    }

    /**
     * The fast road's send, with a free slot known and the budget spent.
     * The fast road itself stays small: compiled big, it is not inlined into
     * its caller, and its operation, no longer kept off the heap, costs an
     * allocation per value.
     */
    private void sendNow(Object v) {
        publishDeferringFence(v);
        if (!sendWaiters.isEmpty()) {
            serveSendHead(); // it barged past them: the first may have been woken for this slot
        }
    }

    /**
     * The rest of a send's fast road: no free slot known yet. Looks ahead,
     * then spins a moment ({@link SpscSpin}); else the ordinary road with a
     * fresh operation.
     */
    private <V> V sendAfterALook(Object v) {
        Budget b;
        if (!producerClosed && !lvReceiverClosed() && (hasRoom() || SpscSpin.spin(this, producer, consumer, false))
                && (b = Await.spendInTaskBudget()) != null && markPublishing(b)) {
            sendNow(v);
            return null;
        }
        return Await.await(new SendOp<V>(v));
    }

    /**
     * A send. Generic in its (always Void) result only so that its
     * {@code await()} erases to {@code Future.await()}'s signature: with no
     * bridge method in between, the JIT inlines the fast road into the
     * caller and may keep the operation off the heap.
     */
    private final class SendOp<V> extends Waiter implements WaitFuture<V> {
        private Object value;

        SendOp(Object value) {
            this.value = value;
        }

        @Override
        public Poll<V> poll(Context cx) {
            producer.check();
            if (state == DONE) {
                throw new IllegalStateException("send future polled after it completed or was cancelled");
            }
            for (;;) {
                if (producerClosed || lvReceiverClosed()) {
                    Object v = value;
                    value = null;
                    done();
                    throw sendFailure(v);
                }
                if (hasRoom()) {
                    if (!cx.consumeBudget()) {
                        return Poll.pending(); // keeps its place; the budget woke its task
                    }
                    if (!publishUnlessClosed(value)) {
                        continue; // closed just now: fails with its value above
                    }
                    value = null;
                    done();
                    return Poll.ready(null);
                }
                waker = cx.waker();
                if (state == IDLE) {
                    sendWaiters.addLast(this);
                }
                if (sendWaiters.peekFirst() != this || sleepSend(waker)) {
                    return Poll.pending();
                }
                // room or a close appeared while it registered: go round
            }
        }

        /**
         * The fast road (see the class comment): a send never polled that
         * finds a free slot, in a task that may go on, publishes here, with
         * no poll, no context and no suspension, and never lets this
         * operation escape, so that the JIT may keep it off the heap.
         * Otherwise a fresh operation takes the ordinary road (this one,
         * never polled, is left DONE: a cancelled await sent nothing).
         */
        @Override
        public V await() {
            if (state != IDLE) {
                return Await.await(this);
            }
            producer.check();
            Object v = value;
            value = null;
            state = DONE;
            Budget b;
            if (freeAhead > 0 && !producerClosed && !lvReceiverClosed() && (b = Await.spendInTaskBudget()) != null
                    && markPublishing(b)) {
                sendNow(v);
                return null;
            }
            return sendAfterALook(v); // on the channel, not on this operation: it does not escape from here
        }

        /** DONE; if it had queued, the next waiter becomes the first and is served. */
        private void done() {
            boolean queued = state == QUEUED;
            finish(sendWaiters);
            if (queued || !sendWaiters.isEmpty()) {
                serveSendHead();
            }
        }

        /** <b>Cancel safety:</b> nothing was sent; a wake-up it had goes to the next waiting send. */
        @Override
        public void cancel() {
            producer.check();
            if (state != DONE) {
                value = null;
                done();
            }
        }
    }

    // =====================================================================
    // The consumer's side (consumer thread only)
    // =====================================================================

    /**
     * A recv that never waits, fenced; with {@code deferTo} (tests: the
     * budget of a poll, whose {@code pollEnded()} the caller calls), as a
     * task's fast road takes: its fence deferred to the poll's end.
     */
    @SuppressWarnings("unchecked")
    T tryRecv(Budget deferTo) {
        consumer.check();
        if (givenBack != null) {
            return fromGivenBack();
        }
        Object v;
        for (;;) {
            v = peekReporting();
            if (v == null) {
                return null;
            }
            if (deferTo != null && !closedHere) {
                takeDeferringFence(deferTo);
                break;
            }
            if (take(v)) {
                break;
            } // else taken back by a send that saw the close: look again
        }
        if (!recvWaiters.isEmpty()) {
            serveRecvHead(); // the value it may have been woken for is gone: it must sleep again
        }
        return (T) v;
    }

    WaitFuture<T> recv() {
        return new RecvOp(); // its polls check the thread
    }

    /** {@code peek()}, noting an end of the stream that it reports ({@link #endReported}). */
    private Object peekReporting() {
        try {
            return peek();
        } catch (ChannelClosedException end) {
            endReported = true;
            throw end;
        }
    }

    /** The next value given back (before any in the ring); the consumer's thread, {@link #givenBack} not null. */
    @SuppressWarnings("unchecked")
    private T fromGivenBack() {
        T v = (T) givenBack.pollFirst();
        if (givenBack.isEmpty()) {
            givenBack = null;
        }
        return v;
    }

    private void serveRecvHead() {
        Waiter first = recvWaiters.peekFirst();
        if (first == null) {
            soRecvWakerNull();
        } else if (givenBack != null || !sleepRecv(first.waker)) { // a value given back is there for it too
            Wakes.wakeReporting(first.waker, "a recv of an SpscChannel");
        }
    }

    void closeReceiver() {
        consumer.check();
        if (lvReceiverClosed()) {
            return;
        }
        closedHere = true; // from now on a take races a send taking its value back: by compare-and-set
        svReceiverClosed(); // pairs with the producer's lvReceiverClosed
        wakeProducer(); // a sleeping send must see the close
        for (Waiter w = recvWaiters.peekFirst(); w != null; w = w.next) {
            Wakes.wakeReporting(w.waker, "a recv of an SpscChannel"); // they drain what is buffered, then see the end
        }
    }

    private final class RecvOp extends Waiter implements WaitFuture<T>, io.weft.compose.GivesBack<T> {
        /** Its poll returned a value, not given back since. */
        private boolean took;

        @Override
        @SuppressWarnings("unchecked")
        public Poll<T> poll(Context cx) {
            consumer.check();
            if (state == DONE) {
                throw new IllegalStateException("recv future polled after it completed or was cancelled");
            }
            if (givenBack != null) {
                if (!cx.consumeBudget()) {
                    return Poll.pending(); // keeps its place; the budget woke its task
                }
                done();
                took = true;
                return Poll.ready(fromGivenBack());
            }
            for (;;) {
                Object v;
                try {
                    v = peekReporting();
                } catch (ChannelClosedException end) {
                    done();
                    throw end;
                }
                if (v != null) {
                    if (!cx.consumeBudget()) {
                        return Poll.pending(); // keeps its place; the budget woke its task
                    }
                    if (!take(v)) {
                        continue; // taken back by a send that saw the close: look again
                    }
                    done();
                    took = true;
                    return Poll.ready((T) v);
                }
                waker = cx.waker();
                if (state == IDLE) {
                    recvWaiters.addLast(this);
                }
                if (recvWaiters.peekFirst() != this || sleepRecv(waker)) {
                    return Poll.pending();
                }
                // a value or a close appeared while it registered: go round
            }
        }

        /**
         * The fast road, as the send's: a recv never polled that finds a
         * value, in a task that may go on, takes it here and returns it,
         * with no {@link Poll}; otherwise a fresh operation takes the
         * ordinary road (this one is left DONE, having taken nothing).
         */
        @Override
        @SuppressWarnings("unchecked")
        public T await() {
            if (state != IDLE || givenBack != null) {
                return Await.await(this);
            }
            consumer.check();
            state = DONE;
            Object v = lvElement(head); // pairs with the producer's svElement(v), as in peek()
            if (v == null && SpscSpin.spin(SpscChannel.this, consumer, producer, true)) {
                v = lvElement(head);
            }
            Budget b;
            if (v != null && !closedHere && (b = Await.spendInTaskBudget()) != null) {
                takeDeferringFence(b);
                if (!recvWaiters.isEmpty()) {
                    serveRecvHead(); // the value one of them may have been woken for is gone
                }
                return (T) v;
            }
            return Await.await(new RecvOp());
        }

        private void done() {
            boolean queued = state == QUEUED;
            finish(recvWaiters);
            if (queued || !recvWaiters.isEmpty()) {
                serveRecvHead();
            }
        }

        /**
         * The value this recv returned, which a combinator took and gave up
         * (a join past its deadline): the next recv of this side returns it,
         * before what the ring holds. The first waiting recv is woken for it.
         * If this side was told the stream ended meanwhile, it goes nowhere:
         * closed if AutoCloseable.
         */
        @Override
        public void giveBack(T v) {
            consumer.check();
            checkValue(v);
            if (!took) {
                throw new IllegalStateException("a recv gives back only the value it returned");
            }
            took = false;
            if (endReported) { // this side was told the stream ended: nobody takes it any more
                io.weft.compose.GivesBack.dispose(v);
                return;
            }
            if (givenBack == null) {
                givenBack = new java.util.ArrayDeque<>(2);
            }
            givenBack.addFirst(v);
            serveRecvHead(); // the first waiting recv is woken for it
        }

        /** <b>Cancel safety:</b> took nothing (the value stays); a wake-up it had goes to the next waiting recv. */
        @Override
        public void cancel() {
            consumer.check();
            if (state != DONE) {
                done();
            }
        }
    }
}
