package io.weft.sync;

import io.weft.Waker;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The fields of an {@link SpscChannel}, laid out as JCTools lays out its
 * queues: the producer's fields and the consumer's fields on cache lines of
 * their own, 128 bytes of padding around each group (two lines: the
 * adjacent-line prefetcher pulls lines in pairs), by inheritance, since the
 * JVM places a superclass's fields before its subclass's. The padding is
 * made of bytes, as JCTools' is: the JVM puts a subclass's small fields
 * into any gap of its superclasses' layout (the header's last 4 bytes,
 * alignment holes), and a gap-free byte block leaves none inside or before
 * a pad for another group's field to fall into.
 *
 * <p>Every field another thread reads is accessed only through the methods
 * here, whose names say the memory-access mode, as JCTools names them:
 * {@code lv} a volatile (acquire) load, {@code sv} a volatile store (release,
 * and ordered before every later volatile load: the store half of a Dekker
 * pair), {@code so} an ordered (release) store, {@code xchg} an atomic
 * get-and-set. Fields one thread alone touches are plain. Each method
 * names the access it pairs with; the package comment tells
 * the whole protocol.
 */
final class SpscLayout {
    private SpscLayout() {
    }

    /** 128 bytes between the object header (and whatever precedes the object) and the producer's fields. */
    abstract static class PadHead {
        byte b0_00, b0_01, b0_02, b0_03, b0_04, b0_05, b0_06, b0_07, b0_08, b0_09, b0_10, b0_11, b0_12, b0_13, b0_14, b0_15;
        byte b0_16, b0_17, b0_18, b0_19, b0_20, b0_21, b0_22, b0_23, b0_24, b0_25, b0_26, b0_27, b0_28, b0_29, b0_30, b0_31;
        byte b0_32, b0_33, b0_34, b0_35, b0_36, b0_37, b0_38, b0_39, b0_40, b0_41, b0_42, b0_43, b0_44, b0_45, b0_46, b0_47;
        byte b0_48, b0_49, b0_50, b0_51, b0_52, b0_53, b0_54, b0_55, b0_56, b0_57, b0_58, b0_59, b0_60, b0_61, b0_62, b0_63;
        byte b0_64, b0_65, b0_66, b0_67, b0_68, b0_69, b0_70, b0_71, b0_72, b0_73, b0_74, b0_75, b0_76, b0_77, b0_78, b0_79;
        byte b0_80, b0_81, b0_82, b0_83, b0_84, b0_85, b0_86, b0_87, b0_88, b0_89, b0_90, b0_91, b0_92, b0_93, b0_94, b0_95;
        byte b0_96, b0_97, b0_98, b0_99, b0_100, b0_101, b0_102, b0_103, b0_104, b0_105, b0_106, b0_107, b0_108, b0_109, b0_110, b0_111;
        byte b0_112, b0_113, b0_114, b0_115, b0_116, b0_117, b0_118, b0_119, b0_120, b0_121, b0_122, b0_123, b0_124, b0_125, b0_126, b0_127;
    }

    /**
     * The producer's line: what it writes on every send ({@code tail}) and
     * what it reads on every send ({@code recvWaker}, {@code receiverClosed}),
     * which the consumer writes only when it goes to sleep or closes.
     */
    abstract static class ProducerSide extends PadHead {
        private static final VarHandle RECV_WAKER;
        private static final VarHandle RECEIVER_CLOSED;
        private static final VarHandle FENCE_OWED;

        static {
            try {
                MethodHandles.Lookup l = MethodHandles.lookup();
                RECV_WAKER = l.findVarHandle(ProducerSide.class, "recvWaker", Waker.class);
                RECEIVER_CLOSED = l.findVarHandle(ProducerSide.class, "receiverClosed", boolean.class);
                FENCE_OWED = l.findVarHandle(ProducerSide.class, "fenceOwed", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        /** The next slot the producer fills. Producer thread only. */
        int tail;
        /** Slots from {@code tail} on known to be free (see {@code SpscRing.hasRoom}). Producer thread only. */
        int freeAhead;
        /** The sending side was closed. Producer thread only (the consumer reads {@code senderClosed}). */
        boolean producerClosed;
        /**
         * A fast-road send is under way in the producer's poll: set
         * (volatile) before its look at {@code receiverClosed}, cleared
         * (volatile) at the poll's end, after the fence that puts its values
         * out ({@code SpscRing.atPollEnd}). Written by the producer thread;
         * the consumer reads it after closing, so as not to call the end
         * while a send that saw the ring open may still land (the package
         * comment's protocol, 7).
         */
        boolean fenceOwed;
        /** Spins of sends waiting for a free slot, and spins that ended in a suspension (tests read them). Producer thread only. */
        long sendSpinRounds, sendSpinsGivenUp;
        /** When the producer last woke the consumer ({@code System.nanoTime()}; 0: never). Producer thread only. */
        long wokeConsumerAt;
        /** Sends' spins in a row that ended without a free slot, and spins skipped since (SpscSpin). Producer thread only. */
        int sendSpinMisses, sendSpinSkips;
        /** The receiving side was closed: set once by the consumer, read by the producer on every send. */
        private boolean receiverClosed;
        /**
         * The waker of the consumer's first waiting recv, while it sleeps on an
         * empty ring: stored (and withdrawn) by the consumer, taken by the
         * producer to wake it.
         */
        private Waker recvWaker;

        /** Pairs with {@link #svReceiverClosed} in the consumer's close. */
        /** Volatile: a store, then a full fence (the producer's half of the close pair, 7). */
        final void svFenceOwed(boolean owed) {
            FENCE_OWED.setVolatile(this, owed);
        }

        /** The consumer's look, after its close's volatile store (7). */
        final boolean lvFenceOwed() {
            return (boolean) FENCE_OWED.getVolatile(this);
        }

        final boolean lvReceiverClosed() {
            return (boolean) RECEIVER_CLOSED.getVolatile(this);
        }

        /**
         * The consumer's close. Ordered before its following {@link ConsumerSide#lvSendWaker}
         * (Dekker with the producer's {@link ConsumerSide#svSendWaker} then {@link #lvReceiverClosed}).
         */
        final void svReceiverClosed() {
            RECEIVER_CLOSED.setVolatile(this, true);
        }

        /** The producer, after publishing a value: pairs with the consumer's {@link #svRecvWaker}. */
        final Waker lvRecvWaker() {
            return (Waker) RECV_WAKER.getVolatile(this);
        }

        /**
         * The producer right after a release-only publish: a look with no
         * fence before it, so it may miss a consumer going to sleep at this
         * very moment (the load may pass the store); the fence at the poll's
         * end and {@link #lvRecvWaker} after it do not.
         */
        final Waker laRecvWaker() {
            return (Waker) RECV_WAKER.getAcquire(this);
        }

        /**
         * The consumer going to sleep. Ordered before its re-check of the slot
         * ({@code lvElement}) and of {@code senderClosed}: the store half of
         * the "empty" Dekker pair, whose other half is the producer's
         * {@code svElement} (or {@code svSenderClosed}) then {@link #lvRecvWaker}.
         */
        final void svRecvWaker(Waker w) {
            RECV_WAKER.setVolatile(this, w);
        }

        /**
         * The consumer withdrawing its registration (it found a value itself,
         * or has nobody waiting any more). Only the consumer stores a non-null
         * waker, so a plain release store cannot undo anybody else's.
         */
        final void soRecvWakerNull() {
            RECV_WAKER.setRelease(this, (Waker) null);
        }

        /** The producer takes the registered waker: one registration, at most one wake. */
        final Waker xchgRecvWakerNull() {
            return (Waker) RECV_WAKER.getAndSet(this, (Waker) null);
        }
    }

    abstract static class PadMiddle extends ProducerSide {
        byte b1_00, b1_01, b1_02, b1_03, b1_04, b1_05, b1_06, b1_07, b1_08, b1_09, b1_10, b1_11, b1_12, b1_13, b1_14, b1_15;
        byte b1_16, b1_17, b1_18, b1_19, b1_20, b1_21, b1_22, b1_23, b1_24, b1_25, b1_26, b1_27, b1_28, b1_29, b1_30, b1_31;
        byte b1_32, b1_33, b1_34, b1_35, b1_36, b1_37, b1_38, b1_39, b1_40, b1_41, b1_42, b1_43, b1_44, b1_45, b1_46, b1_47;
        byte b1_48, b1_49, b1_50, b1_51, b1_52, b1_53, b1_54, b1_55, b1_56, b1_57, b1_58, b1_59, b1_60, b1_61, b1_62, b1_63;
        byte b1_64, b1_65, b1_66, b1_67, b1_68, b1_69, b1_70, b1_71, b1_72, b1_73, b1_74, b1_75, b1_76, b1_77, b1_78, b1_79;
        byte b1_80, b1_81, b1_82, b1_83, b1_84, b1_85, b1_86, b1_87, b1_88, b1_89, b1_90, b1_91, b1_92, b1_93, b1_94, b1_95;
        byte b1_96, b1_97, b1_98, b1_99, b1_100, b1_101, b1_102, b1_103, b1_104, b1_105, b1_106, b1_107, b1_108, b1_109, b1_110, b1_111;
        byte b1_112, b1_113, b1_114, b1_115, b1_116, b1_117, b1_118, b1_119, b1_120, b1_121, b1_122, b1_123, b1_124, b1_125, b1_126, b1_127;
    }

    /**
     * The consumer's line: what it writes on every recv ({@code head}) and
     * what it reads on every recv ({@code sendWaker}), which the producer
     * writes only when it goes to sleep on a full ring, and {@code senderClosed}.
     */
    abstract static class ConsumerSide extends PadMiddle {
        private static final VarHandle SEND_WAKER;
        private static final VarHandle SENDER_CLOSED;

        static {
            try {
                MethodHandles.Lookup l = MethodHandles.lookup();
                SEND_WAKER = l.findVarHandle(ConsumerSide.class, "sendWaker", Waker.class);
                SENDER_CLOSED = l.findVarHandle(ConsumerSide.class, "senderClosed", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        /** The next slot the consumer empties. Consumer thread only. */
        int head;
        /** The consumer closed the receiver (its own copy, on its line): from then on it takes by compare-and-set. */
        boolean closedHere;
        /** A slot was freed with a release store only, its fence deferred to the poll's end. Consumer thread only. */
        boolean takeFenceOwed;
        /** Spins of recvs waiting for a value, and spins that ended in a suspension (tests read them). Consumer thread only. */
        long recvSpinRounds, recvSpinsGivenUp;
        /** When the consumer last woke the producer ({@code System.nanoTime()}; 0: never). Consumer thread only. */
        long wokeProducerAt;
        /** Recvs' spins in a row that ended without a value, and spins skipped since (SpscSpin). Consumer thread only. */
        int recvSpinMisses, recvSpinSkips;
        /** The sending side was closed: set once by the producer, read by the consumer on an empty ring. */
        private boolean senderClosed;
        /**
         * The waker of the producer's first waiting send, while it sleeps on a
         * full ring: stored (and withdrawn) by the producer, taken by the
         * consumer to wake it.
         */
        private Waker sendWaker;

        /** Pairs with {@link #svSenderClosed}: a value published before the close is visible after it. */
        final boolean lvSenderClosed() {
            return (boolean) SENDER_CLOSED.getVolatile(this);
        }

        /**
         * The producer's close. After every {@code svElement} of its sends;
         * ordered before its following {@link ProducerSide#lvRecvWaker} (Dekker
         * with the consumer's {@link ProducerSide#svRecvWaker} then {@link #lvSenderClosed}).
         */
        final void svSenderClosed() {
            SENDER_CLOSED.setVolatile(this, true);
        }

        /** The consumer, after freeing a slot: pairs with the producer's {@link #svSendWaker}. */
        final Waker lvSendWaker() {
            return (Waker) SEND_WAKER.getVolatile(this);
        }

        /** The consumer right after a release-only free: as {@link ProducerSide#laRecvWaker}, the other way. */
        final Waker laSendWaker() {
            return (Waker) SEND_WAKER.getAcquire(this);
        }

        /**
         * The producer going to sleep on a full ring. Ordered before its
         * re-check of the slot and of {@code receiverClosed}: the store half of
         * the "full" Dekker pair, whose other half is the consumer's
         * {@code svElement(null)} (or {@code svReceiverClosed}) then {@link #lvSendWaker}.
         */
        final void svSendWaker(Waker w) {
            SEND_WAKER.setVolatile(this, w);
        }

        /** The producer withdrawing its registration; only it stores a non-null waker here. */
        final void soSendWakerNull() {
            SEND_WAKER.setRelease(this, (Waker) null);
        }

        /** The consumer takes the registered waker: one registration, at most one wake. */
        final Waker xchgSendWakerNull() {
            return (Waker) SEND_WAKER.getAndSet(this, (Waker) null);
        }
    }

    /** 128 bytes between the consumer's fields and the read-only ones (ring, capacity, handles). */
    abstract static class PadTail extends ConsumerSide {
        byte b2_00, b2_01, b2_02, b2_03, b2_04, b2_05, b2_06, b2_07, b2_08, b2_09, b2_10, b2_11, b2_12, b2_13, b2_14, b2_15;
        byte b2_16, b2_17, b2_18, b2_19, b2_20, b2_21, b2_22, b2_23, b2_24, b2_25, b2_26, b2_27, b2_28, b2_29, b2_30, b2_31;
        byte b2_32, b2_33, b2_34, b2_35, b2_36, b2_37, b2_38, b2_39, b2_40, b2_41, b2_42, b2_43, b2_44, b2_45, b2_46, b2_47;
        byte b2_48, b2_49, b2_50, b2_51, b2_52, b2_53, b2_54, b2_55, b2_56, b2_57, b2_58, b2_59, b2_60, b2_61, b2_62, b2_63;
        byte b2_64, b2_65, b2_66, b2_67, b2_68, b2_69, b2_70, b2_71, b2_72, b2_73, b2_74, b2_75, b2_76, b2_77, b2_78, b2_79;
        byte b2_80, b2_81, b2_82, b2_83, b2_84, b2_85, b2_86, b2_87, b2_88, b2_89, b2_90, b2_91, b2_92, b2_93, b2_94, b2_95;
        byte b2_96, b2_97, b2_98, b2_99, b2_100, b2_101, b2_102, b2_103, b2_104, b2_105, b2_106, b2_107, b2_108, b2_109, b2_110, b2_111;
        byte b2_112, b2_113, b2_114, b2_115, b2_116, b2_117, b2_118, b2_119, b2_120, b2_121, b2_122, b2_123, b2_124, b2_125, b2_126, b2_127;
    }
}
