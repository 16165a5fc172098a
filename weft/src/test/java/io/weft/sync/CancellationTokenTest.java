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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Timeout;

/**
 * CancellationToken for both families: the tree, waiters woken once,
 * pruning, aborts, threads; on every kind of {@link Kinds} (the local family
 * on LOCAL and POOL), plain threads with executors of each kind.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CancellationTokenTest {

    static CancellationToken token(boolean local) {
        return local ? CancellationToken.local() : CancellationToken.create();
    }

    @Kinds.Every
    void cancellingTheRootCancelsEveryDescendantAndWakesEveryWaiterExactlyOnce(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            var root = token(local);
            var a = root.child();
            var b = root.child();
            var a1 = a.child();
            var a2 = a.child();
            var a1x = a1.child();
            List<CancellationToken> all = List.of(root, a, b, a1, a2, a1x);
            List<Counting> cs = new ArrayList<>();
            List<WaitFuture<Void>> fs = new ArrayList<>();
            for (CancellationToken t : all) {
                for (int i = 0; i < 2; i++) { // two waiters per token
                    var c = new Counting();
                    var f = t.cancelled();
                    assertThat(f.poll(c.cx).isReady()).isFalse();
                    cs.add(c);
                    fs.add(f);
                }
            }
            assertThat(root.childCount()).isEqualTo(2);
            assertThat(a.childCount()).isEqualTo(2);

            root.cancel();
            root.cancel(); // idempotent
            a1.cancel(); // already cancelled through the root

            for (CancellationToken t : all) {
                assertThat(t.isCancelled()).isTrue();
                assertThat(t.waiterCount()).isZero();
                assertThat(t.childCount()).as("a cancelled token holds no children").isZero();
            }
            for (int i = 0; i < fs.size(); i++) {
                assertThat(cs.get(i).wakes).as("waiter %d woken once", i).hasValue(1);
                assertThat(fs.get(i).poll(cs.get(i).cx).isReady()).isTrue();
            }
            var late = new Counting();
            assertThat(a1x.cancelled().poll(late.cx).isReady()).as("ready at once once cancelled").isTrue();
            assertThat(late.wakes).hasValue(0);
            return null;
        });
    }

    @Kinds.Every
    void aChildOfACancelledTokenIsCancelledAtOnce(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            var root = token(local);
            var mid = root.child();
            root.cancel();
            var c = mid.child();
            assertThat(c.isCancelled()).isTrue();
            assertThat(c.isLocal()).isEqualTo(local);
            assertThat(c.child().isCancelled()).isTrue();
            assertThat(mid.childCount()).isZero();
            var probe = new Counting();
            assertThat(c.cancelled().poll(probe.cx).isReady()).isTrue();
            return null;
        });
    }

    @Kinds.Every
    void cancellingAChildLeavesItsParentAndSiblingsAndIsPrunedFromTheParent(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            var root = token(local);
            var a = root.child();
            var b = root.child();
            var c = root.child();
            var bb = b.child();
            var rootWaiter = new Counting();
            var fr = root.cancelled();
            assertThat(fr.poll(rootWaiter.cx).isReady()).isFalse();
            var bWaiter = new Counting();
            var fb = b.cancelled();
            assertThat(fb.poll(bWaiter.cx).isReady()).isFalse();
            assertThat(root.childCount()).isEqualTo(3);

            b.cancel(); // the middle one of the parent's list
            assertThat(b.isCancelled()).isTrue();
            assertThat(bb.isCancelled()).as("a descendant of the cancelled child").isTrue();
            assertThat(root.isCancelled()).isFalse();
            assertThat(a.isCancelled()).isFalse();
            assertThat(c.isCancelled()).isFalse();
            assertThat(bWaiter.wakes).hasValue(1);
            assertThat(rootWaiter.wakes).hasValue(0);
            assertThat(fr.poll(rootWaiter.cx).isReady()).isFalse();
            assertThat(root.childCount()).as("the cancelled child left its parent").isEqualTo(2);

            a.cancel();
            c.cancel();
            assertThat(root.childCount()).isZero();
            assertThat(root.isCancelled()).isFalse();
            assertThat(rootWaiter.wakes).hasValue(0);

            var d = root.child(); // the parent is still usable
            root.cancel();
            assertThat(d.isCancelled()).isTrue();
            assertThat(rootWaiter.wakes).hasValue(1);
            assertThat(fr.poll(rootWaiter.cx).isReady()).isTrue();
            return null;
        });
    }

    @Kinds.Every
    void aDeepChainIsCancelledWithoutOverflowingTheStack(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            var root = token(local);
            var t = root;
            for (int i = 0; i < 100_000; i++) {
                t = t.child();
            }
            root.cancel();
            assertThat(t.isCancelled()).isTrue();
            return null;
        });
    }

    @Kinds.Shared
    void cancelFromAPlainThreadWakesATaskAwaitingTheSharedToken(ExecutorKind kind) {
        var root = CancellationToken.create();
        var child = root.child();
        int got = run(kind, () -> {
            JoinHandle<Integer> waiter = Weft.spawn(() -> {
                child.cancelled().await();
                return 7;
            });
            Weft.yieldNow().await(); // the waiter is queued on the child, normally
            Thread canceller = new Thread(root::cancel);
            canceller.start();
            int v = waiter.await();
            canceller.join();
            return v;
        });
        assertThat(got).isEqualTo(7);
        assertThat(child.isCancelled()).isTrue();
    }

    @Kinds.Shared
    void aPlainThreadAwaitsASharedTokenCancelledByATask(ExecutorKind kind) throws Exception {
        var root = CancellationToken.create();
        var child = root.child();
        AtomicReference<Throwable> error = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                child.cancelled().await(); // parks this thread
            } catch (Throwable e) {
                error.set(e);
            }
        });
        waiter.start();
        run(kind, () -> {
            root.cancel();
            return null;
        });
        waiter.join();
        assertThat(error.get()).isNull();
    }

    @Kinds.Local
    void aLocalTokenRefusesOtherThreads(ExecutorKind kind) {
        AtomicReference<Throwable> fromOther = new AtomicReference<>();
        List<Throwable> more = new ArrayList<>();
        run(kind, () -> {
            var token = CancellationToken.local();
            var child = token.child();
            Thread t = new Thread(() -> {
                try {
                    token.cancel();
                } catch (Throwable e) {
                    fromOther.set(e);
                }
                for (Runnable r : List.<Runnable>of(child::isCancelled, child::child, child::cancel)) {
                    try {
                        r.run();
                    } catch (Throwable e) {
                        more.add(e);
                    }
                }
            });
            t.start();
            t.join();
            assertThat(token.isCancelled()).isFalse();
            assertThat(child.isCancelled()).isFalse();
            assertThat(token.childCount()).isEqualTo(1);
            return null;
        });
        assertThat(fromOther.get()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("CancellationToken.local").hasMessageContaining("used from thread");
        assertThat(more).hasSize(3).allMatch(e -> e instanceof IllegalStateException);
        assertThatThrownBy(CancellationToken::local).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("outside a weft executor");
    }

    @Kinds.Every
    void anAbortedWaiterIsRemoved(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            var token = token(local);
            JoinHandle<Void> a = Weft.spawn(() -> token.cancelled().await());
            yieldUntil(() -> token.waiterCount() == 1);
            a.abort();
            assertThatThrownBy(a::await).isInstanceOf(TaskCancelledException.class);
            assertThat(token.waiterCount()).as("the aborted waiter left the queue").isZero();

            var other = new Counting();
            var f = token.cancelled();
            assertThat(f.poll(other.cx).isReady()).isFalse();
            token.cancel();
            assertThat(other.wakes).hasValue(1);
            assertThat(f.poll(other.cx).isReady()).isTrue();

            // a waiter cancelled by hand after the wake has nothing to hand on
            var token2 = token(local);
            var w1 = new Counting();
            var g = token2.cancelled();
            assertThat(g.poll(w1.cx).isReady()).isFalse();
            token2.cancel();
            g.cancel();
            g.cancel();
            assertThatThrownBy(() -> g.poll(w1.cx)).isInstanceOf(IllegalStateException.class);
            assertThat(w1.wakes).hasValue(1);
            return null;
        });
    }

    /**
     * A waker that throws (a future polled by hand with a context of its
     * own) does not stop a cancel, a release or a send half-way: every other
     * waiter is woken, and the call returns. Without it the cancel threw
     * with the other waiters asleep for ever (a second cancel did nothing),
     * and a release threw with a waiter asleep beside a free permit.
     */
    @Kinds.Every
    void aWakerThatThrowsStopsNoCancelReleaseOrSendHalfWay(ExecutorKind kind, boolean local) {
        run(kind, () -> {
            io.weft.Context bad = new io.weft.Context(() -> {
                throw new IllegalStateException("a waker that throws");
            });
            var good = new NotifyTest.Counting();
            var t = local ? CancellationToken.local() : CancellationToken.create();
            assertThat(t.cancelled().poll(bad).isReady()).isFalse();
            var waiting = t.cancelled();
            assertThat(waiting.poll(good.cx).isReady()).isFalse();
            t.cancel();
            assertThat(good.wakes).as("the other waiter of the token").hasValue(1);
            assertThat(waiting.poll(good.cx).isReady()).isTrue();

            var s = local ? Semaphore.local(0) : Semaphore.create(0);
            assertThat(s.acquire(1).poll(bad).isReady()).isFalse();
            var second = s.acquire(1);
            assertThat(second.poll(good.cx).isReady()).isFalse();
            s.release(2);
            assertThat(good.wakes).as("the other waiter of the semaphore").hasValue(2);
            assertThat(second.poll(good.cx).isReady()).isTrue();
            return null;
        });
    }
}
