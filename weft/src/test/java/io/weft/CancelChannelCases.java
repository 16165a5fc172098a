package io.weft;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.sync.Broadcast;
import io.weft.sync.Channel;
import io.weft.sync.Oneshot;
import io.weft.sync.Receiver;
import io.weft.sync.Sender;
import io.weft.sync.SpscChannel;
import io.weft.sync.Watch;
import java.util.ArrayList;
import java.util.List;

/**
 * The channel family's leaf futures of the cancellation matrix
 * ({@link CancelCases}, {@link CancelMatrixTest}): Channel, SpscChannel,
 * Oneshot, Broadcast and Watch receives and sends. Each is pending when
 * first polled, can be granted without a poll, and checks afterwards that
 * no value was lost or taken twice.
 */
final class CancelChannelCases {
    private CancelChannelCases() {
    }

    static final class RecvCase implements CancelCases.Case {
        final Sender<String> tx;
        final Receiver<String> rx;

        RecvCase(boolean local) {
            Channel<String> ch = local ? Channel.localBounded(4) : Channel.bounded(4);
            tx = ch.sender();
            rx = ch.receiver();
        }

        @Override
        public Future<?> pending() {
            return rx.recv();
        }

        @Override
        public boolean grant() {
            assertThat(tx.trySend("v")).isTrue();
            granted = true;
            return true;
        }

        @Override
        public void verify() {
            // a receiver queued behind the one that gave up must get the next value's wake-up
            JoinHandle<String> live = Weft.spawn(() -> rx.recv().await());
            CancelCases.settle();
            assertThat(tx.trySend("w")).isTrue();
            List<String> got = new ArrayList<>();
            got.add(CancelCases.settled("the receiver queued behind", live::await));
            for (String s; (s = rx.tryRecv()) != null; ) {
                got.add(s);
            }
            assertThat(got).as("every value, once, in order")
                    .isEqualTo(granted ? List.of("v", "w") : List.of("w"));
        }

        private boolean granted;
    }

    static final class SendCase implements CancelCases.Case {
        final Sender<String> tx;
        final Receiver<String> rx;
        boolean granted;

        SendCase(boolean local) {
            Channel<String> ch = local ? Channel.localBounded(1) : Channel.bounded(1);
            tx = ch.sender();
            rx = ch.receiver();
        }

        @Override
        public Future<?> pending() {
            assertThat(tx.trySend("first")).isTrue();
            return tx.send("cancelled");
        }

        @Override
        public boolean grant() {
            assertThat(rx.tryRecv()).isEqualTo("first");
            granted = true;
            return true;
        }

        @Override
        public void verify() {
            // a sender queued behind the one that gave up must get the free slot's wake-up
            JoinHandle<Void> live = Weft.spawn(() -> tx.send("next").await());
            CancelCases.settle();
            List<String> got = new ArrayList<>();
            if (!granted) {
                got.add(rx.tryRecv());
            }
            CancelCases.settled("the sender queued behind", live::await);
            for (String s; (s = rx.tryRecv()) != null; ) {
                got.add(s);
            }
            assertThat(got).as("a cancelled send sent nothing")
                    .isEqualTo(granted ? List.of("next") : List.of("first", "next"));
        }
    }

    /** Both sides of the SPSC channel on the test's executor (each side belongs to the thread that first uses it). */
    static final class SpscRecvCase implements CancelCases.Case {
        final SpscChannel<String> ch = SpscChannel.create(4);
        private boolean granted;

        @Override
        public Future<?> pending() {
            return ch.receiver().recv();
        }

        @Override
        public boolean grant() {
            assertThat(ch.sender().trySend("v")).isTrue();
            granted = true;
            return true;
        }

        @Override
        public void verify() {
            // a receiver queued behind the one that gave up must get the next value's wake-up
            JoinHandle<String> live = Weft.spawn(() -> ch.receiver().recv().await());
            CancelCases.settle();
            assertThat(ch.sender().trySend("w")).isTrue();
            List<String> got = new ArrayList<>();
            got.add(CancelCases.settled("the receiver queued behind", live::await));
            for (String s; (s = ch.receiver().tryRecv()) != null; ) {
                got.add(s);
            }
            assertThat(got).as("every value, once, in order")
                    .isEqualTo(granted ? List.of("v", "w") : List.of("w"));
        }
    }

    static final class SpscSendCase implements CancelCases.Case {
        final SpscChannel<String> ch = SpscChannel.create(1);
        boolean granted;

        @Override
        public Future<?> pending() {
            assertThat(ch.sender().trySend("first")).isTrue();
            return ch.sender().send("cancelled");
        }

        @Override
        public boolean grant() {
            assertThat(ch.receiver().tryRecv()).isEqualTo("first");
            granted = true;
            return true;
        }

        @Override
        public void verify() {
            // a sender queued behind the one that gave up must get the free slot's wake-up
            JoinHandle<Void> live = Weft.spawn(() -> ch.sender().send("next").await());
            CancelCases.settle();
            List<String> got = new ArrayList<>();
            if (!granted) {
                got.add(ch.receiver().tryRecv());
            }
            CancelCases.settled("the sender queued behind", live::await);
            for (String s; (s = ch.receiver().tryRecv()) != null; ) {
                got.add(s);
            }
            assertThat(got).as("a cancelled send sent nothing")
                    .isEqualTo(granted ? List.of("next") : List.of("first", "next"));
        }
    }

    static final class OneshotCase implements CancelCases.Case {
        final Oneshot<String> o;
        boolean granted;

        OneshotCase(boolean local) {
            o = local ? Oneshot.local() : Oneshot.create();
        }

        @Override
        public Future<?> pending() {
            return o.recv();
        }

        @Override
        public boolean grant() {
            o.send("v");
            granted = true;
            return true;
        }

        @Override
        public void verify() {
            if (!granted) {
                o.send("v");
            }
            assertThat(o.tryRecv()).isEqualTo("v");
        }
    }

    static final class BroadcastCase implements CancelCases.Case {
        final Broadcast.Sender<String> tx;
        final Broadcast.Receiver<String> rx;
        boolean granted;

        BroadcastCase(boolean local) {
            Broadcast<String> b = local ? Broadcast.local(4) : Broadcast.create(4);
            tx = b.sender();
            rx = b.subscribe();
        }

        @Override
        public Future<?> pending() {
            return rx.recv();
        }

        @Override
        public boolean grant() {
            tx.send("v");
            granted = true;
            return true;
        }

        @Override
        public void verify() {
            if (!granted) {
                tx.send("v");
            }
            assertThat(CancelCases.settled("the next recv", () -> rx.recv().await())).isEqualTo("v");
        }
    }

    static final class WatchCase implements CancelCases.Case {
        final Watch.Sender<Integer> tx;
        final Watch.Receiver<Integer> rx;
        boolean granted;

        WatchCase(boolean local) {
            Watch<Integer> w = local ? Watch.local(0) : Watch.create(0);
            tx = w.sender();
            rx = w.subscribe();
        }

        @Override
        public Future<?> pending() {
            return rx.changed();
        }

        @Override
        public boolean grant() {
            tx.send(1);
            granted = true;
            return true;
        }

        @Override
        public void verify() {
            if (!granted) {
                tx.send(1);
            }
            CancelCases.settled("changed() of an unseen version", () -> rx.changed().await());
            assertThat(rx.borrowAndUpdate()).isEqualTo(1);
        }
    }
}
