package io.weft.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.ExecutorStats;
import io.weft.JoinHandle;
import io.weft.Weft;
import io.weft.time.TimedOutException;
import io.weft.time.Timeout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The SPSC channel between two executors on two threads: the sender's
 * tasks on executor 0, the receiver's on executor 1. Every test ends by
 * joining both threads within a deadline, so a lost wake-up fails it (an
 * executor still running) rather than hanging it.
 */
@org.junit.jupiter.api.Timeout(value = 2, unit = TimeUnit.MINUTES,
        threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
class SpscCrossExecutorTest {

    @Test
    void fourMillionValuesArriveEachOnceInOrder() throws Exception {
        final long n = 4_000_000;
        SpscChannel<Long> ch = SpscChannel.create(256);
        List<Long> out = OnExecutors.run("spsc-order", 2, 60, e -> e == 0 ? () -> {
            for (long i = 0; i < n; i++) {
                ch.sender().send(i).await();
            }
            ch.sender().close();
            return n;
        } : () -> {
            long expect = 0;
            try {
                for (;;) {
                    long v = ch.receiver().recv().await();
                    if (v != expect) {
                        throw new AssertionError("value " + expect + " expected, " + v + " received");
                    }
                    expect++;
                }
            } catch (ChannelClosedException end) {
                return expect;
            }
        });
        assertThat(out.get(1)).as("values received, each in its turn").isEqualTo(n);
    }

    @Test
    void aFullRingHoldsTheSenderBackAcrossExecutors() throws Exception {
        final int capacity = 4;
        final int n = 20_000;
        SpscChannel<Integer> ch = SpscChannel.create(capacity);
        AtomicLong sent = new AtomicLong(); // sends that returned
        AtomicLong mostAhead = new AtomicLong();
        CountDownLatch filled = new CountDownLatch(1);
        OnExecutors.run("spsc-backpressure", 2, 60, e -> e == 0 ? () -> {
            for (int i = 0; i < n; i++) {
                ch.sender().send(i).await();
                sent.incrementAndGet();
                if (i == capacity + 9) {
                    filled.countDown(); // send capacity + 10 completes only once 10 values were received
                }
            }
            ch.sender().close();
            return null;
        } : () -> {
            // let the sender fill the ring and wait on it: the receiver takes its first value only then
            while (sent.get() < capacity) {
                Weft.yieldNow().await();
            }
            for (int i = 0; i < n; i++) {
                int v = ch.receiver().recv().await();
                assertThat(v).isEqualTo(i);
                long ahead = sent.get() - (i + 1);
                mostAhead.accumulateAndGet(ahead, Math::max);
                if (ahead > capacity) {
                    throw new AssertionError(ahead + " values sent and not received, capacity " + capacity);
                }
                if (i < 9) { // received: i + 1 <= 9
                    assertThat(filled.getCount()).as("the sender is held while the ring is full").isEqualTo(1);
                }
                if (i % 7 == 0) {
                    Weft.yieldNow().await(); // slower than the sender
                }
            }
            assertThatThrownBy(() -> ch.receiver().recv().await()).isInstanceOf(ChannelClosedException.class);
            return null;
        });
        // the receiver started on a full ring: after its first take the sender was capacity - 1 or capacity ahead
        assertThat(mostAhead.get()).as("the ring was full").isGreaterThanOrEqualTo(capacity - 1);
    }

    @Test
    void theSenderClosingEndsAWaitingReceiverOnAnotherExecutorAfterTheValues() throws Exception {
        SpscChannel<String> ch = SpscChannel.create(8);
        CountDownLatch receiving = new CountDownLatch(1);
        List<Object> out = OnExecutors.run("spsc-close-tx", 2, 30, e -> e == 0 ? () -> {
            receiving.await(); // the receiver's task is about to wait on an empty ring
            ch.sender().send("a").await();
            ch.sender().send("b").await();
            ch.sender().close();
            return "closed";
        } : () -> {
            ch.receiver().tryRecv(); // binds the receiver here
            receiving.countDown();
            StringBuilder got = new StringBuilder();
            try {
                for (;;) {
                    got.append(ch.receiver().recv().await());
                }
            } catch (ChannelClosedException end) {
                assertThat(end.value()).isNull();
                return got.toString();
            }
        });
        assertThat(out.get(1)).isEqualTo("ab");
    }

    @Test
    void theReceiverClosingFailsASendWaitingOnAnotherExecutorWithItsValue() throws Exception {
        SpscChannel<String> ch = SpscChannel.create(2);
        CountDownLatch full = new CountDownLatch(1);
        List<Object> out = OnExecutors.run("spsc-close-rx", 2, 30, e -> e == 0 ? () -> {
            ch.sender().send("a").await();
            ch.sender().send("b").await();
            full.countDown();
            try {
                ch.sender().send("c").await(); // waits: the ring is full until the receiver closes
                return "sent";
            } catch (ChannelClosedException refused) {
                assertThatThrownBy(() -> ch.sender().send("d").await()).isInstanceOf(ChannelClosedException.class)
                        .satisfies(x -> assertThat(((ChannelClosedException) x).<String>valueAs()).isEqualTo("d"));
                return refused.<String>valueAs();
            }
        } : () -> {
            full.await();
            ch.receiver().close();
            String drained = ch.receiver().recv().await() + ch.receiver().recv().await();
            assertThatThrownBy(() -> ch.receiver().recv().await()).isInstanceOf(ChannelClosedException.class);
            return drained;
        });
        assertThat(out.get(0)).as("the value the waiting send got back").isEqualTo("c");
        assertThat(out.get(1)).as("what was buffered before the close").isEqualTo("ab");
    }

    /**
     * Two tasks on each side give up waits at random (timeouts of 0 to 50 us)
     * while 2 x 100,000 values pass; a sending task retries the same value
     * until its send completes. Afterwards every value arrived exactly once,
     * and each receiving task saw each sender's values in order: a cancelled
     * send sent nothing, a cancelled recv took nothing, and no wake-up was
     * lost, nor one handed to a waiter that gave up (with two tasks per side
     * one often waits behind the other; a lost wake-up leaves an executor
     * waiting past the deadline).
     */
    @Test
    void randomCancellationsOnBothSidesLoseAndDuplicateNothing() throws Exception {
        final int perSender = 100_000;
        SpscChannel<Integer> ch = SpscChannel.create(3);
        AtomicLong cancelledSends = new AtomicLong();
        AtomicLong cancelledRecvs = new AtomicLong();
        int[] received = new int[2 * perSender]; // times each value arrived
        OnExecutors.run("spsc-cancel", 2, 90, e -> e == 0 ? () -> {
            List<JoinHandle<Void>> senders = new ArrayList<>();
            for (int s = 0; s < 2; s++) {
                int base = s * perSender;
                SplittableRandom rnd = new SplittableRandom(s);
                senders.add(Weft.spawn(() -> {
                    for (int i = base; i < base + perSender; i++) {
                        for (;;) {
                            try {
                                Timeout.of(Duration.ofNanos(rnd.nextLong(50_001)), ch.sender().send(i)).await();
                                break;
                            } catch (TimedOutException t) {
                                cancelledSends.incrementAndGet();
                            }
                        }
                    }
                }));
            }
            for (JoinHandle<Void> h : senders) {
                h.await();
            }
            ch.sender().close();
            return null;
        } : () -> {
            List<JoinHandle<Void>> receivers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                SplittableRandom rnd = new SplittableRandom(10 + r);
                receivers.add(Weft.spawn(() -> {
                    int[] last = {-1, -1}; // per sender, the last value this task saw
                    for (;;) {
                        int v;
                        try {
                            v = Timeout.of(Duration.ofNanos(rnd.nextLong(50_001)), ch.receiver().recv()).await();
                        } catch (TimedOutException t) {
                            cancelledRecvs.incrementAndGet();
                            continue;
                        } catch (ChannelClosedException end) {
                            return;
                        }
                        int sender = v / perSender;
                        if (v <= last[sender]) {
                            throw new AssertionError("sender " + sender + ": " + v + " after " + last[sender]);
                        }
                        last[sender] = v;
                        received[v]++;
                    }
                }));
            }
            for (JoinHandle<Void> h : receivers) {
                h.await();
            }
            return null;
        });
        for (int v = 0; v < received.length; v++) {
            assertThat(received[v]).as("times value %d arrived", v).isEqualTo(1);
        }
        assertThat(cancelledSends.get()).as("sends given up").isGreaterThan(10);
        assertThat(cancelledRecvs.get()).as("recvs given up").isGreaterThan(10);
    }

    @Test
    void aReceiverThatFindsValuesIsNotWokenFromAfar() throws Exception {
        // the sender fills the ring before the receiver starts: the receiver never waits, so no remote wake
        SpscChannel<Integer> ch = SpscChannel.create(1000);
        CountDownLatch sent = new CountDownLatch(1);
        ExecutorStats[] stats = new ExecutorStats[2];
        OnExecutors.run("spsc-nowake", 2, 30, e -> e == 0 ? () -> {
            for (int i = 0; i < 1000; i++) {
                assertThat(ch.sender().trySend(i)).isTrue();
            }
            sent.countDown();
            return null;
        } : () -> {
            sent.await();
            // this task's own spawn came through the remote queue: count from here
            ExecutorStats before = Weft.current().stats();
            long sum = 0;
            for (int i = 0; i < 1000; i++) {
                sum += ch.receiver().recv().await();
            }
            stats[0] = Weft.current().stats();
            stats[1] = before;
            return sum;
        });
        assertThat(stats[0].remoteWakes() - stats[1].remoteWakes()).as("wakes from the other executor").isZero();
    }
}
