package io.weft.sync;

import static io.weft.sync.Kinds.run;
import static io.weft.sync.Kinds.yieldUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.ExecutorKind;
import io.weft.JoinHandle;
import io.weft.TaskCancelledException;
import io.weft.Weft;
import io.weft.sync.NotifyTest.Counting;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Timeout;

/**
 * Watch for both families: versions seen per receiver, coalescing, close,
 * cancellation, threads. On the kinds of {@link Kinds}: a watcher task that
 * must not run between two sends, and an abort between a wake and the next
 * run, where the children share their parent's thread; the rest on every
 * kind, the cross-thread tests with executors of each kind.
 */
// SEPARATE_THREAD: a lost wake leaves the loop waiting for ever; the test then fails instead of blocking the run
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WatchTest {

    static Watch<Integer> watch(boolean local, int initial) {
        return local ? Watch.local(initial) : Watch.create(initial);
    }

    @Kinds.Every
    void changedWaitsForANewerVersionThenMarksItSeen(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            var w = watch(local, 0);
            var rx = w.subscribe();
            assertThat(rx.hasChanged()).as("a new receiver has seen the current version").isFalse();
            assertThat(rx.borrow()).isZero();
            var c = new Counting();
            var f = rx.changed();
            assertThat(f.poll(c.cx).isReady()).isFalse();
            assertThat(w.waiterCount()).isEqualTo(1);
            w.sender().send(1);
            assertThat(c.wakes).hasValue(1);
            assertThat(rx.hasChanged()).as("woken, not yet seen").isTrue();
            assertThat(f.poll(c.cx).isReady()).isTrue();
            assertThat(rx.hasChanged()).as("the ready poll marked it seen").isFalse();
            assertThat(rx.borrow()).isEqualTo(1);
            assertThatThrownBy(() -> f.poll(c.cx)).isInstanceOf(IllegalStateException.class);

            var g = rx.changed();
            assertThat(g.poll(c.cx).isReady()).as("nothing unseen: waits again").isFalse();
            g.cancel();
            assertThat(w.waiterCount()).isZero();

            // in tasks: a waiting changed() is woken by a send and reads the new value
            JoinHandle<Integer> t = Weft.spawn(() -> {
                rx.changed().await();
                return rx.borrow();
            });
            yieldUntil(() -> w.waiterCount() == 1);
            w.sender().send(2);
            assertThat(t.await()).isEqualTo(2);
            return null;
        });
    }

    @Kinds.Every
    void severalSendsBetweenTwoChangedWakeOnceWithTheLatestValue(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            var w = watch(local, 0);
            var rx = w.subscribe();
            var c = new Counting();
            var f = rx.changed();
            assertThat(f.poll(c.cx).isReady()).isFalse();
            w.sender().send(1);
            w.sender().send(2);
            w.sender().send(3);
            assertThat(c.wakes).as("one wake for three sends").hasValue(1);
            assertThat(f.poll(c.cx).isReady()).isTrue();
            assertThat(rx.borrowAndUpdate()).isEqualTo(3);
            var g = rx.changed();
            assertThat(g.poll(c.cx).isReady()).as("the three sends made one change").isFalse();
            g.cancel();
            return null;
        });
    }

    /** SameThread: the watcher must not run between sends that no yield separates. */
    @Kinds.SameThread
    void aWatcherTaskSeesSendsWithNoYieldBetweenThemAsOneChange(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            var w = watch(local, 0);
            var rx = w.subscribe();
            List<Integer> observed = new ArrayList<>();
            AtomicInteger changes = new AtomicInteger();
            JoinHandle<Void> watcher = Weft.spawn(() -> {
                for (;;) {
                    try {
                        rx.changed().await();
                    } catch (ChannelClosedException end) {
                        return;
                    }
                    changes.incrementAndGet();
                    observed.add(rx.borrowAndUpdate());
                }
            });
            yieldUntil(() -> w.waiterCount() == 1);
            for (int i = 4; i <= 10; i++) {
                w.sender().send(i); // no yield in between: the watcher cannot run
            }
            yieldUntil(() -> changes.get() == 1 && w.waiterCount() == 1);
            assertThat(observed).containsExactly(10);
            w.sender().send(11);
            yieldUntil(() -> changes.get() == 2);
            w.sender().close();
            watcher.await();
            assertThat(observed).containsExactly(10, 11);
            assertThat(changes).hasValue(2);
            return null;
        });
    }

    @Kinds.Every
    void eachReceiverTracksItsOwnSeenVersion(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            var w = watch(local, 0);
            var a = w.subscribe();
            w.sender().send(1);
            var b = w.subscribe(); // has seen version 1
            assertThat(a.hasChanged()).isTrue();
            assertThat(b.hasChanged()).isFalse();
            assertThat(a.borrowAndUpdate()).isEqualTo(1);
            assertThat(a.hasChanged()).isFalse();
            w.sender().send(2);
            assertThat(a.borrow()).as("borrow reads without marking").isEqualTo(2);
            assertThat(a.hasChanged()).isTrue();
            assertThat(b.hasChanged()).isTrue();
            assertThat(a.changed().poll(new Counting().cx).isReady()).as("unseen: ready at once").isTrue();
            assertThat(a.hasChanged()).isFalse();
            assertThat(b.hasChanged()).as("a's changed() did not mark b's version").isTrue();
            assertThat(b.borrowAndUpdate()).isEqualTo(2);
            assertThat(w.sender().borrow()).isEqualTo(2);
            return null;
        });
    }

    @Kinds.Every
    void closingTheSenderReportsAnUnseenVersionFirstThenTheEnd(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            var w = watch(local, 0);
            var seen = w.subscribe();
            var unseen = w.subscribe();
            AtomicInteger ends = new AtomicInteger();
            JoinHandle<Void> waiting = Weft.spawn(() -> {
                try {
                    seen.changed().await();
                } catch (ChannelClosedException end) {
                    ends.incrementAndGet();
                }
            });
            yieldUntil(() -> w.waiterCount() == 1);
            w.sender().sendReplace(1); // wakes the waiter: it sees 1
            waiting.await();
            assertThat(ends).hasValue(0);
            JoinHandle<Void> second = Weft.spawn(() -> {
                try {
                    seen.changed().await();
                } catch (ChannelClosedException end) {
                    ends.incrementAndGet();
                }
            });
            yieldUntil(() -> w.waiterCount() == 1);
            w.sender().close();
            w.sender().close(); // idempotent
            second.await();
            assertThat(ends).as("the waiter with nothing unseen got the end").hasValue(1);
            assertThat(unseen.isSenderClosed()).isTrue();
            unseen.changed().await(); // version 1 is still unseen for this one: reported first
            assertThatThrownBy(() -> unseen.changed().await()).isInstanceOf(ChannelClosedException.class)
                    .extracting(x -> ((ChannelClosedException) x).value()).isNull();
            assertThat(unseen.borrow()).as("the value stays readable").isEqualTo(1);
            assertThatThrownBy(() -> w.sender().send(2)).isInstanceOf(ChannelClosedException.class)
                    .extracting(x -> ((ChannelClosedException) x).value()).isEqualTo(2);
            assertThatThrownBy(() -> w.sender().sendReplace(3)).isInstanceOf(ChannelClosedException.class)
                    .extracting(x -> ((ChannelClosedException) x).value()).isEqualTo(3);
            assertThat(w.sender().borrow()).as("sends after the close stored nothing").isEqualTo(1);
            var late = w.subscribe();
            assertThatThrownBy(() -> late.changed().await()).isInstanceOf(ChannelClosedException.class);
            return null;
        });
    }

    @Kinds.Every
    void sendNeedsAReceiverButSendReplaceAlwaysStores(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            var w = watch(local, 0);
            assertThat(w.sender().isClosed()).isTrue();
            assertThatThrownBy(() -> w.sender().send(1)).isInstanceOf(ChannelClosedException.class)
                    .hasMessageContaining("no receiver")
                    .extracting(x -> ((ChannelClosedException) x).value()).isEqualTo(1);
            assertThat(w.sender().borrow()).as("the refused value was not stored").isZero();
            assertThat(w.sender().sendReplace(2)).as("the previous value").isZero();
            assertThat(w.sender().borrow()).isEqualTo(2);
            var rx = w.subscribe();
            assertThat(w.receiverCount()).isEqualTo(1);
            assertThat(w.sender().isClosed()).isFalse();
            assertThat(rx.borrow()).isEqualTo(2);
            assertThat(rx.hasChanged()).isFalse();
            w.sender().send(3);
            assertThat(rx.hasChanged()).isTrue();
            rx.close();
            rx.close(); // idempotent: counts once
            assertThat(w.receiverCount()).isZero();
            assertThatThrownBy(() -> w.sender().send(4)).isInstanceOf(ChannelClosedException.class);
            assertThat(w.sender().sendReplace(5)).isEqualTo(3);
            assertThatThrownBy(() -> w.sender().send(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> watch(local, 0).sender().sendReplace(null))
                    .isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> Watch.create(null)).isInstanceOf(NullPointerException.class);
            assertThat(w.isLocal()).isEqualTo(local);
            return null;
        });
    }

    @Kinds.Every
    void closingAReceiverFailsItsOwnWaitersOnly(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            var w = watch(local, 0);
            var mine = w.subscribe();
            var other = w.subscribe();
            var m = new Counting();
            var o = new Counting();
            var fm = mine.changed();
            var fo = other.changed();
            assertThat(fm.poll(m.cx).isReady()).isFalse();
            assertThat(fo.poll(o.cx).isReady()).isFalse();
            mine.close();
            assertThat(m.wakes).hasValue(1);
            assertThat(o.wakes).hasValue(0);
            assertThat(w.waiterCount()).isEqualTo(1);
            assertThatThrownBy(() -> fm.poll(m.cx)).isInstanceOf(ChannelClosedException.class)
                    .hasMessageContaining("closed watch receiver");
            assertThatThrownBy(() -> mine.changed().await()).isInstanceOf(ChannelClosedException.class);
            w.sender().send(1);
            assertThat(o.wakes).hasValue(1);
            assertThat(fo.poll(o.cx).isReady()).isTrue();
            assertThat(mine.borrow()).as("a closed receiver still reads").isEqualTo(1);
            return null;
        });
    }

    /** SameThread: a is aborted after its wake and before it runs again (elsewhere it may see the version first). */
    @Kinds.SameThread
    void aChangedWokenThenAbortedLeavesTheVersionUnseen(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            var w = watch(local, 0);
            var rx = w.subscribe();
            var other = w.subscribe();
            AtomicInteger aSaw = new AtomicInteger();
            JoinHandle<Void> a = Weft.spawn(() -> {
                rx.changed().await();
                aSaw.incrementAndGet();
            });
            JoinHandle<Integer> o = Weft.spawn(() -> {
                other.changed().await();
                return other.borrow();
            });
            yieldUntil(() -> w.waiterCount() == 2);
            w.sender().send(7); // wakes both
            a.abort(); // before a runs again
            assertThatThrownBy(a::await).isInstanceOf(TaskCancelledException.class);
            assertThat(aSaw).hasValue(0);
            assertThat(o.await()).isEqualTo(7);
            assertThat(rx.hasChanged()).as("the aborted changed() did not mark it seen").isTrue();
            var c = new Counting();
            assertThat(rx.changed().poll(c.cx).isReady()).as("the next changed() reports it at once").isTrue();
            assertThat(rx.hasChanged()).isFalse();

            // a hand-polled one cancelled after its wake: the same
            var f = rx.changed();
            assertThat(f.poll(c.cx).isReady()).isFalse();
            w.sender().send(8);
            f.cancel();
            f.cancel(); // idempotent
            assertThat(rx.hasChanged()).isTrue();
            assertThatThrownBy(() -> f.poll(c.cx)).isInstanceOf(IllegalStateException.class);
            assertThat(w.waiterCount()).isZero();
            return null;
        });
    }

    @Kinds.Shared
    void aPlainThreadPublishesVersionsToTasksOnTwoExecutorsAndAPlainThread(ExecutorKind kind) throws Exception {
        final int versions = 20_000;
        Watch<Integer> w = Watch.create(0);
        var onOther = w.subscribe();
        var here = w.subscribe();
        var onPlain = w.subscribe();
        // each watcher: values strictly increase, and the last value is always observed
        record Seen(int changes, int last, boolean increasing) { }
        java.util.function.Function<Watch.Receiver<Integer>, Seen> follow = rx -> {
            int changes = 0;
            int last = 0;
            boolean increasing = true;
            for (;;) {
                try {
                    rx.changed().await();
                } catch (ChannelClosedException end) {
                    return new Seen(changes, last, increasing);
                }
                int v = rx.borrowAndUpdate();
                increasing &= v > last;
                last = v;
                changes++;
            }
        };
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<Seen> other = new CompletableFuture<>();
        Thread otherLoop = new Thread(() -> {
            try {
                other.complete(run(kind, () -> follow.apply(onOther)));
            } catch (Throwable t) {
                other.completeExceptionally(t);
            }
        });
        CompletableFuture<Seen> plain = new CompletableFuture<>();
        Thread plainThread = new Thread(() -> {
            try {
                plain.complete(follow.apply(onPlain)); // await parks this thread
            } catch (Throwable t) {
                plain.completeExceptionally(t);
            }
        });
        Thread publisher = new Thread(() -> {
            try {
                started.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try (var tx = w.sender()) {
                for (int i = 1; i <= versions; i++) {
                    tx.send(i);
                }
            }
        });
        otherLoop.start();
        plainThread.start();
        publisher.start();
        Seen mine = run(kind, () -> {
            started.countDown();
            return Weft.spawn(() -> follow.apply(here)).await();
        });
        publisher.join();
        for (Seen s : List.of(mine, other.get(20, TimeUnit.SECONDS), plain.get(20, TimeUnit.SECONDS))) {
            assertThat(s.increasing()).isTrue();
            assertThat(s.last()).as("the last version is always seen").isEqualTo(versions);
            assertThat(s.changes()).isBetween(1, versions);
        }
        otherLoop.join();
        plainThread.join();
    }

    @Kinds.Shared
    void twoExecutorsTakeTurnsThroughTwoSharedWatches(ExecutorKind kind) throws Exception {
        // a handshake: each side publishes a turn number and waits for the other's; no turn is skipped
        final int rounds = 2_000;
        Watch<Integer> ping = Watch.create(0);
        Watch<Integer> pong = Watch.create(0);
        var pingRx = ping.subscribe();
        var pongRx = pong.subscribe();
        CompletableFuture<Integer> echo = new CompletableFuture<>();
        Thread other = new Thread(() -> {
            try {
                echo.complete(run(kind, () -> {
                    int n = 0;
                    for (int i = 1; i <= rounds; i++) {
                        pingRx.changed().await();
                        int v = pingRx.borrowAndUpdate();
                        if (v != i) {
                            throw new AssertionError("ping " + v + ", expected " + i);
                        }
                        pong.sender().send(v);
                        n++;
                    }
                    return n;
                }));
            } catch (Throwable t) {
                echo.completeExceptionally(t);
            }
        });
        other.start();
        run(kind, () -> {
            for (int i = 1; i <= rounds; i++) {
                ping.sender().send(i);
                pongRx.changed().await();
                assertThat(pongRx.borrowAndUpdate()).isEqualTo(i);
            }
            return null;
        });
        assertThat(echo.get(20, TimeUnit.SECONDS)).isEqualTo(rounds);
        other.join();
    }

    @Kinds.Local
    void aLocalWatchRefusesOtherThreadsAndNamesTheProblem(ExecutorKind kind) {
        AtomicReference<Throwable> fromOther = new AtomicReference<>();
        run(kind, () -> {
            var w = Watch.local(0);
            var rx = w.subscribe();
            Thread t = new Thread(() -> {
                try {
                    w.sender().send(1);
                } catch (Throwable e) {
                    fromOther.set(e);
                }
                assertThatThrownBy(w::subscribe).isInstanceOf(IllegalStateException.class);
                assertThatThrownBy(rx::borrow).isInstanceOf(IllegalStateException.class);
                assertThatThrownBy(() -> rx.changed().poll(new Counting().cx))
                        .isInstanceOf(IllegalStateException.class);
            });
            t.start();
            t.join();
            assertThat(w.isLocal()).isTrue();
            assertThat(w.receiverCount()).isEqualTo(1);
            assertThat(rx.hasChanged()).as("nothing got in").isFalse();
            assertThat(rx.borrow()).isZero();
            return null;
        });
        assertThat(fromOther.get()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Watch.local").hasMessageContaining("used from thread");
        assertThatThrownBy(() -> Watch.local(1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("outside a weft executor");
    }
}
