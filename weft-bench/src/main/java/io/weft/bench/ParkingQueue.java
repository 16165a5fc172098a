package io.weft.bench;

import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.MpscArrayQueue;
import org.jctools.queues.SpscArrayQueue;

/**
 * A JCTools queue made blocking for one producer thread and one consumer
 * thread, each parking at once when it cannot go on (as
 * ArrayBlockingQueue's put and take do, with no spinning first): the peer of
 * weft's parking channels in {@code SyncBench} (an {@link MpscArrayQueue})
 * and {@code SpscBench} (an {@link SpscArrayQueue}). Each side announces
 * itself in a volatile field, tries the queue once more, and parks; the
 * other side reads that field after each operation and unparks. Two Dekker
 * pairs make a lost wake-up impossible:
 * <ul>
 *   <li>empty: the consumer's volatile store of {@link #consumerWaiting}
 *       comes before its re-poll's volatile load of the slot; the producer's
 *       offer comes before its volatile load of {@code consumerWaiting}. An
 *       MPSC offer ends with a CAS of the producer index, a full fence
 *       already; an SPSC offer ends with release stores only, so a full fence
 *       follows it ({@link #fenceAfterOffer}).</li>
 *   <li>full: the producer's volatile store of {@link #producerWaiting}
 *       comes before its re-offer's volatile load; the consumer's poll ends
 *       with a release store of its index (JCTools {@code soConsumerIndex}),
 *       so a full fence orders it before the consumer's load of
 *       {@code producerWaiting}.</li>
 * </ul>
 * So a take pays one full fence, and a put one unless its queue's offer is
 * a fence itself: the price of parking. A stale unpark (the field read just
 * before the other side cleared it) only makes the next park return at
 * once; both loops re-check.
 */
final class ParkingQueue<E> {
    private final MessagePassingQueue<E> queue;
    private final boolean fenceAfterOffer;
    private volatile Thread consumerWaiting;
    private volatile Thread producerWaiting;

    private ParkingQueue(MessagePassingQueue<E> queue, boolean fenceAfterOffer) {
        this.queue = queue;
        this.fenceAfterOffer = fenceAfterOffer;
    }

    /** Around an {@link MpscArrayQueue}, whose offer's CAS is the producer's fence. */
    static <E> ParkingQueue<E> mpsc(int capacity) {
        return new ParkingQueue<>(new MpscArrayQueue<>(capacity), false);
    }

    /** Around an {@link SpscArrayQueue}, whose offer needs a fence after it. */
    static <E> ParkingQueue<E> spsc(int capacity) {
        return new ParkingQueue<>(new SpscArrayQueue<>(capacity), true);
    }

    void put(E e) {
        if (!queue.offer(e)) {
            Thread me = Thread.currentThread();
            for (;;) {
                producerWaiting = me; // pairs with the load after the fence in take
                if (queue.offer(e)) {
                    break;
                }
                LockSupport.park(this);
            }
            producerWaiting = null;
        }
        if (fenceAfterOffer) {
            VarHandle.fullFence(); // the offer's stores are release stores: order them before this load
        }
        Thread c = consumerWaiting; // pairs with the store before take's re-poll
        if (c != null) {
            LockSupport.unpark(c);
        }
    }

    E take() {
        E e = queue.poll();
        if (e == null) {
            Thread me = Thread.currentThread();
            for (;;) {
                consumerWaiting = me; // pairs with the load after the offer in put
                if ((e = queue.poll()) != null) {
                    break;
                }
                LockSupport.park(this);
            }
            consumerWaiting = null;
        }
        VarHandle.fullFence(); // the poll's consumer-index store is a release store: order it before this load
        Thread p = producerWaiting; // pairs with the store before put's re-offer
        if (p != null) {
            LockSupport.unpark(p);
        }
        return e;
    }
}
