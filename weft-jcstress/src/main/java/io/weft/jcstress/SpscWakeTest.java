package io.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.weft.sync.SpscChannel;
import io.weft.task.Budget;
import io.weft.sync.SpscForJcstress;
import io.weft.sync.WaitFuture;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * The wake protocol of {@link SpscChannel} (its class comment and the
 * {@code io.weft.sync} package-info): one side going to sleep while the
 * other makes progress, in both directions, and a sleeping waiter's
 * cancellation handing its wake-up on. Each state first moves the ring's
 * indices to its last slot (small capacities), so the race also crosses the
 * wrap of the ring. Futures are polled by hand through {@link SyncPolls}
 * with counting wakers; a spurious wake (both sides saw each other) is
 * allowed, a sleeper nobody wakes is not.
 */
public final class SpscWakeTest {
    private SpscWakeTest() {
    }

    static SpscChannel<Integer> channel(int capacity) {
        return SpscForJcstress.anyThread(capacity);
    }

    /** Moves both indices {@code k} slots on, leaving the ring empty. */
    static void advance(SpscChannel<Integer> ch, int k) {
        for (int i = 0; i < k; i++) {
            ch.sender().trySend(-100 - i);
            ch.receiver().tryRecv();
        }
    }

    /**
     * The "empty" Dekker pair: a value published into the last slot vs the
     * consumer's first recv poll on the empty ring.
     *
     * <p>Result: (first poll: 42 ready, -1 pending; wakes of its waker; the
     * value it ends with: the first poll's, else a second poll's; tryRecv
     * afterwards: -1 = empty, so taken once).
     */
    @JCStressTest
    @Description("SpscChannel: trySend(42) racing the first recv() poll on an empty ring; the recv gets 42 at once, or sleeps and is woken.")
    @Outcome(id = "42, 0, 42, -1", expect = ACCEPTABLE, desc = "The value came first: taken at once, nobody woken.")
    @Outcome(id = "-1, 1, 42, -1", expect = ACCEPTABLE, desc = "The recv slept first: the send woke it once; its next poll took the value.")
    @Outcome(id = "42, 1, 42, -1", expect = ACCEPTABLE_INTERESTING, desc = "Each saw the other: the recv found the value on its re-check, the send woke it anyway (spurious, harmless).")
    @Outcome(id = "-1, 0, .*", expect = FORBIDDEN, desc = "LOST WAKE-UP: the recv sleeps on a value nobody told it about.")
    @Outcome(expect = FORBIDDEN, desc = "Anything else (woken twice, the value lost or taken twice) is a bug.")
    @State
    public static class SendVsSleepingRecv {
        final SpscChannel<Integer> ch = channel(3);
        final WaitFuture<Integer> rx;
        final DrivenTask.CountingWaker waker = new DrivenTask.CountingWaker();
        int first;

        public SendVsSleepingRecv() {
            rx = emptyRingAtItsEnd(ch);
        }

        @Actor
        public void producer() {
            ch.sender().trySend(SyncPolls.VALUE);
        }

        @Actor
        public void consumer() {
            first = SyncPolls.recv(rx, waker);
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            recvOutcome(r, ch, rx, first, waker);
        }
    }

    /** Moves a ring of 3 to its last slot, empty, and returns the recv that will race a send there (the send wraps the producer's index to 0). */
    static WaitFuture<Integer> emptyRingAtItsEnd(SpscChannel<Integer> ch) {
        advance(ch, 2);
        return ch.receiver().recv();
    }

    /** (first poll; wakes of its waker; the value it ends with; tryRecv afterwards: -1 = empty, so taken once). */
    static void recvOutcome(IIII_Result r, SpscChannel<Integer> ch, WaitFuture<Integer> rx, int first,
                            DrivenTask.CountingWaker waker) {
        r.r1 = first;
        r.r2 = waker.wakes.get();
        r.r3 = first == SyncPolls.PENDING ? SyncPolls.recv(rx, new DrivenTask.CountingWaker()) : first;
        r.r4 = SyncPolls.tryRecv(ch.receiver());
    }

    /**
     * The same pair as a task's fast road plays it: the value published with
     * a release store and a look at the waker with no fence, the fence and
     * a second look deferred to the end of the producer's poll
     * ({@code Budget.pollEnded}). The fast look alone may miss a consumer
     * going to sleep; the look after the fence may not.
     *
     * <p>Result: as {@link SendVsSleepingRecv}'s.
     */
    @JCStressTest
    @Description("SpscChannel: a send with its fence deferred to the poll's end racing the first recv() poll on an empty ring; the recv gets 42 at once, or sleeps and is woken (by the send or at its poll's end).")
    @Outcome(id = "42, 0, 42, -1", expect = ACCEPTABLE, desc = "The value came first: taken at once, nobody woken.")
    @Outcome(id = "-1, 1, 42, -1", expect = ACCEPTABLE, desc = "The recv slept first: the send or its poll's end woke it once; its next poll took the value.")
    @Outcome(id = "42, 1, 42, -1", expect = ACCEPTABLE_INTERESTING, desc = "Each saw the other: the recv found the value on its re-check, the producer woke it anyway (spurious, harmless).")
    @Outcome(id = "-1, 0, .*", expect = FORBIDDEN, desc = "LOST WAKE-UP: the recv sleeps on a value nobody told it about.")
    @Outcome(expect = FORBIDDEN, desc = "Anything else (woken twice, the value lost or taken twice) is a bug.")
    @State
    public static class DeferredSendVsSleepingRecv {
        final SpscChannel<Integer> ch = channel(3);
        final WaitFuture<Integer> rx;
        final DrivenTask.CountingWaker waker = new DrivenTask.CountingWaker();
        final Budget poll = new Budget();
        int first;

        public DeferredSendVsSleepingRecv() {
            rx = emptyRingAtItsEnd(ch);
        }

        @Actor
        public void producer() {
            SpscForJcstress.trySendDeferringFence(ch, SyncPolls.VALUE, poll);
            poll.pollEnded();
        }

        @Actor
        public void consumer() {
            first = SyncPolls.recv(rx, waker);
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            recvOutcome(r, ch, rx, first, waker);
        }
    }

    /**
     * The same pair with the sender's close instead of a value.
     *
     * <p>Result: (first poll: -2 end of stream, -1 pending; wakes; a second
     * poll if the first was pending: -2).
     */
    @JCStressTest
    @Description("SpscChannel: the sender's close() racing the first recv() poll on an empty ring; the recv ends at once, or sleeps and is woken to end.")
    @Outcome(id = "-2, 0, -2", expect = ACCEPTABLE, desc = "The close came first: the end of the stream at once.")
    @Outcome(id = "-1, 1, -2", expect = ACCEPTABLE, desc = "The recv slept first: the close woke it once; its next poll ends.")
    @Outcome(id = "-2, 1, -2", expect = ACCEPTABLE_INTERESTING, desc = "Each saw the other: a spurious wake.")
    @Outcome(id = "-1, 0, .*", expect = FORBIDDEN, desc = "LOST WAKE-UP: the recv sleeps on a closed channel.")
    @Outcome(expect = FORBIDDEN, desc = "Anything else is a bug.")
    @State
    public static class CloseVsSleepingRecv {
        final SpscChannel<Integer> ch = channel(2);
        final WaitFuture<Integer> rx;
        final DrivenTask.CountingWaker waker = new DrivenTask.CountingWaker();
        int first;

        public CloseVsSleepingRecv() {
            advance(ch, 1);
            rx = ch.receiver().recv();
        }

        @Actor
        public void producer() {
            ch.sender().close();
        }

        @Actor
        public void consumer() {
            first = SyncPolls.recv(rx, waker);
        }

        @Arbiter
        public void arbiter(III_Result r) {
            r.r1 = first;
            r.r2 = waker.wakes.get();
            r.r3 = first == SyncPolls.PENDING ? SyncPolls.recv(rx, new DrivenTask.CountingWaker()) : first;
        }
    }

    /**
     * The "full" Dekker pair: the producer's first send poll on a full ring
     * (capacity 8, so it looks two slots ahead first) vs the consumer freeing
     * the slot it needs, the ring wrapped.
     *
     * <p>Result: (first send poll: 1 ready, -1 pending; wakes of its waker;
     * a second poll if the first was pending: 1; 1 if the consumer took the
     * oldest value and the ring then holds the rest in order, 42 last, else 0).
     */
    @JCStressTest
    @Description("SpscChannel: the first send() poll on a full ring racing a tryRecv() that frees its slot; the send completes at once, or sleeps and is woken.")
    @Outcome(id = "1, 0, 1, 1", expect = ACCEPTABLE, desc = "The slot was freed first: the send completed at once, nobody woken.")
    @Outcome(id = "-1, 1, 1, 1", expect = ACCEPTABLE, desc = "The send slept first: the freed slot woke it once; its next poll sent.")
    @Outcome(id = "1, 1, 1, 1", expect = ACCEPTABLE_INTERESTING, desc = "Each saw the other: a spurious wake.")
    @Outcome(id = "-1, 0, .*", expect = FORBIDDEN, desc = "LOST WAKE-UP: the send sleeps next to a free slot.")
    @Outcome(expect = FORBIDDEN, desc = "Anything else (a value lost, duplicated or out of order) is a bug.")
    @State
    public static class RecvVsSleepingSend {
        final SpscChannel<Integer> ch = channel(8);
        final WaitFuture<Void> tx;
        final DrivenTask.CountingWaker waker = new DrivenTask.CountingWaker();
        int first;
        int got;

        public RecvVsSleepingSend() {
            tx = fullWrappedRing(ch);
        }

        @Actor
        public void producer() {
            first = SyncPolls.send(tx, waker);
        }

        @Actor
        public void consumer() {
            got = SyncPolls.tryRecv(ch.receiver());
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            sendOutcome(r, ch, tx, first, waker, got);
        }
    }

    /**
     * Fills a ring of 8 with 10..17 so that the producer's index wraps to
     * slot 5, and returns the send of 42 that will find it full.
     */
    static WaitFuture<Void> fullWrappedRing(SpscChannel<Integer> ch) {
        advance(ch, 5);
        for (int v = 10; v < 18; v++) {
            ch.sender().trySend(v); // slots 5, 6, 7, 0, ..., 4: full, the producer's index wrapped to 5
        }
        return ch.sender().send(SyncPolls.VALUE);
    }

    /**
     * (first send poll; wakes of its waker; a second poll if the first was
     * pending; 1 if the consumer took 10 and the ring then holds 11..17, 42
     * and nothing more, else 0).
     */
    static void sendOutcome(IIII_Result r, SpscChannel<Integer> ch, WaitFuture<Void> tx, int first,
                            DrivenTask.CountingWaker waker, int got) {
        r.r1 = first;
        r.r2 = waker.wakes.get();
        r.r3 = first == SyncPolls.PENDING ? SyncPolls.send(tx, new DrivenTask.CountingWaker()) : first;
        r.r4 = tookTheOldestAndTheRestInOrder(ch, got);
    }

    /** 1 if the consumer took 10 and the ring now holds 11..17 then 42 and nothing more, else 0. */
    static int tookTheOldestAndTheRestInOrder(SpscChannel<Integer> ch, int got) {
        boolean inOrder = got == 10;
        for (int v = 11; v < 18; v++) {
            inOrder &= SyncPolls.tryRecv(ch.receiver()) == v;
        }
        inOrder &= SyncPolls.tryRecv(ch.receiver()) == SyncPolls.VALUE;
        inOrder &= SyncPolls.tryRecv(ch.receiver()) == SyncPolls.PENDING;
        return inOrder ? 1 : 0;
    }

    /**
     * The same pair as a task's fast road plays it on the receiving side:
     * the slot freed with a release store and a look at the sender's waker
     * with no fence, the fence and a second look deferred to the end of the
     * consumer's poll ({@code Budget.pollEnded}).
     *
     * <p>Result: as {@link RecvVsSleepingSend}'s.
     */
    @JCStressTest
    @Description("SpscChannel: a recv with its fence deferred to the poll's end racing the first send() poll on a full ring; the send completes at once, or sleeps and is woken (by the recv or at its poll's end).")
    @Outcome(id = "1, 0, 1, 1", expect = ACCEPTABLE, desc = "The slot was freed first: the send completed at once, nobody woken.")
    @Outcome(id = "-1, 1, 1, 1", expect = ACCEPTABLE, desc = "The send slept first: the recv or its poll's end woke it once; its next poll sent.")
    @Outcome(id = "1, 1, 1, 1", expect = ACCEPTABLE_INTERESTING, desc = "Each saw the other: a spurious wake.")
    @Outcome(id = "-1, 0, .*", expect = FORBIDDEN, desc = "LOST WAKE-UP: the send sleeps next to a free slot.")
    @Outcome(expect = FORBIDDEN, desc = "Anything else (a value lost, duplicated or out of order) is a bug.")
    @State
    public static class DeferredRecvVsSleepingSend {
        final SpscChannel<Integer> ch = channel(8);
        final WaitFuture<Void> tx;
        final DrivenTask.CountingWaker waker = new DrivenTask.CountingWaker();
        final Budget poll = new Budget();
        int first;
        int got;

        public DeferredRecvVsSleepingSend() {
            tx = fullWrappedRing(ch);
        }

        @Actor
        public void producer() {
            first = SyncPolls.send(tx, waker);
        }

        @Actor
        public void consumer() {
            Integer v = SpscForJcstress.tryRecvDeferringFence(ch, poll);
            got = v == null ? SyncPolls.PENDING : v;
            poll.pollEnded();
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            sendOutcome(r, ch, tx, first, waker, got);
        }
    }

    /**
     * The "full" pair with the receiver's close instead of a freed slot.
     *
     * <p>Result: (first send poll: -2 refused, -1 pending; wakes; a second
     * poll if the first was pending: -2).
     */
    @JCStressTest
    @Description("SpscChannel: the first send() poll on a full ring racing the receiver's close(); the send is refused at once, or sleeps and is woken to be refused.")
    @Outcome(id = "-2, 0, -2", expect = ACCEPTABLE, desc = "The close came first: refused at once.")
    @Outcome(id = "-1, 1, -2", expect = ACCEPTABLE, desc = "The send slept first: the close woke it once; its next poll is refused.")
    @Outcome(id = "-2, 1, -2", expect = ACCEPTABLE_INTERESTING, desc = "Each saw the other: a spurious wake.")
    @Outcome(id = "-1, 0, .*", expect = FORBIDDEN, desc = "LOST WAKE-UP: the send sleeps on a closed channel.")
    @Outcome(expect = FORBIDDEN, desc = "Anything else is a bug.")
    @State
    public static class ReceiverCloseVsSleepingSend {
        final SpscChannel<Integer> ch = channel(1);
        final WaitFuture<Void> tx;
        final DrivenTask.CountingWaker waker = new DrivenTask.CountingWaker();
        int first;

        public ReceiverCloseVsSleepingSend() {
            advance(ch, 1);
            ch.sender().trySend(1); // full
            tx = ch.sender().send(SyncPolls.VALUE);
        }

        @Actor
        public void producer() {
            first = SyncPolls.send(tx, waker);
        }

        @Actor
        public void consumer() {
            ch.receiver().close();
        }

        @Arbiter
        public void arbiter(III_Result r) {
            r.r1 = first;
            r.r2 = waker.wakes.get();
            r.r3 = first == SyncPolls.PENDING ? SyncPolls.send(tx, new DrivenTask.CountingWaker()) : first;
        }
    }

    /**
     * Hand-on: the first of two sleeping recvs is cancelled while a value is
     * published. The second must be woken (by the producer, if it saw the
     * second's registration, or by the cancel, which re-registers the new
     * first waiter and re-checks), and the value must stay for it.
     *
     * <p>Result: (wakes of the cancelled recv's waker; wakes of the second's;
     * a poll of the second: 42; tryRecv afterwards: -1 = empty).
     */
    @JCStressTest
    @Description("SpscChannel: cancel() of the first of two sleeping recvs racing trySend(42); the second is woken and gets 42.")
    @Outcome(id = "0, 1, 42, -1", expect = ACCEPTABLE, desc = "Either the cancel came first and the send woke the new first waiter, or the send found nobody and the cancel's re-check woke it.")
    @Outcome(id = "1, 1, 42, -1", expect = ACCEPTABLE, desc = "The send woke the cancelled waiter; its cancel handed the wake-up on.")
    @Outcome(id = "0, 2, 42, -1", expect = ACCEPTABLE_INTERESTING, desc = "Both woke the new first waiter (spurious, harmless).")
    @Outcome(id = ".*, 0, .*, .*", expect = FORBIDDEN, desc = "LOST WAKE-UP: the waiter behind the cancelled one sleeps next to a value.")
    @Outcome(expect = FORBIDDEN, desc = "Anything else (the value lost or taken twice) is a bug.")
    @State
    public static class CancelledRecvVsSend {
        final SpscChannel<Integer> ch = channel(2);
        final WaitFuture<Integer> cancelled;
        final WaitFuture<Integer> behind;
        final DrivenTask.CountingWaker cancelledWaker = new DrivenTask.CountingWaker();
        final DrivenTask.CountingWaker behindWaker = new DrivenTask.CountingWaker();

        public CancelledRecvVsSend() {
            advance(ch, 1);
            cancelled = ch.receiver().recv();
            behind = ch.receiver().recv();
            SyncPolls.recv(cancelled, cancelledWaker); // sleeps: the one the producer sees
            SyncPolls.recv(behind, behindWaker); // queued behind it
        }

        @Actor
        public void producer() {
            ch.sender().trySend(SyncPolls.VALUE);
        }

        @Actor
        public void consumer() {
            cancelled.cancel();
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            r.r1 = cancelledWaker.wakes.get();
            r.r2 = behindWaker.wakes.get();
            r.r3 = SyncPolls.recv(behind, new DrivenTask.CountingWaker());
            r.r4 = SyncPolls.tryRecv(ch.receiver());
        }
    }
}
