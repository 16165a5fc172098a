package io.weft.compose;

import io.weft.Context;
import io.weft.JoinHandle;
import io.weft.Poll;
import io.weft.TaskFailedException;
import io.weft.Waker;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link JoinHandle} as a {@link CompletableFuture}. The bridge is the
 * handle's join waker: its first poll runs on the calling thread, later ones on
 * the thread that completes the task (its executor's thread), which then
 * completes the CompletableFuture — so dependent stages added with non-async
 * methods run there too. A join handle may be polled from any thread, which is
 * what makes this safe. Cancelling the CompletableFuture aborts the task.
 *
 * <p>It waits through {@link JoinHandle#detached()}: a CompletableFuture
 * that its user completes, cancels or lets time out ({@code orTimeout})
 * gives the wait up, so a failure the task throws afterwards, which nobody
 * receives, goes to the executor's unobserved-failure handler. Its poll and
 * its give-up hold the bridge's monitor (the give-up runs on whichever thread
 * completed the CompletableFuture); the CompletableFuture is completed
 * outside it.
 */
public final class StageBridge<T> implements Waker {
    private final io.weft.Future<T> wait;
    private final CompletableFuture<T> cf = new CompletableFuture<>();
    private final Context cx = new Context(this);
    /** The wait ended: the task's outcome reached the CompletableFuture. Under the monitor. */
    private boolean settled;

    private StageBridge(JoinHandle<T> handle) {
        this.wait = handle.detached();
    }

    public static <T> CompletableFuture<T> of(JoinHandle<T> handle) {
        StageBridge<T> b = new StageBridge<>(handle);
        b.cf.whenComplete((v, e) -> {
            if (e instanceof CancellationException) {
                // cancelled by its user; a no-op if wake() completed it (the task has finished)
                handle.abort();
            }
            b.giveUp(); // nothing if the task's outcome completed it
        });
        b.wake();
        return b.cf;
    }

    /**
     * Polls the wait; completes the CompletableFuture once it is ready,
     * outside the monitor (its dependent stages run there, and may block).
     */
    @Override
    public void wake() {
        T value = null;
        Throwable failed = null;
        synchronized (this) {
            if (settled || cf.isDone()) {
                return;
            }
            try {
                Poll<T> p = wait.poll(cx);
                if (!p.isReady()) {
                    return;
                }
                value = p.get();
            } catch (TaskFailedException e) {
                failed = e.getCause() != null ? e.getCause() : e;
            } catch (Throwable e) { // TaskCancelledException is a CancellationException: the cf is then cancelled
                failed = e;
            }
            settled = true;
        }
        if (failed != null) {
            cf.completeExceptionally(failed);
        } else {
            cf.complete(value);
        }
    }

    /** The CompletableFuture was completed by its user (a value, a cancel, a timeout): the wait is given up. */
    private synchronized void giveUp() {
        if (!settled) {
            settled = true;
            io.weft.Futures.cancel(wait);
        }
    }
}
