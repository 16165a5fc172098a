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
 */
public final class StageBridge<T> implements Waker {
    private final JoinHandle<T> handle;
    private final CompletableFuture<T> cf = new CompletableFuture<>();
    private final Context cx = new Context(this);

    private StageBridge(JoinHandle<T> handle) {
        this.handle = handle;
    }

    public static <T> CompletableFuture<T> of(JoinHandle<T> handle) {
        StageBridge<T> b = new StageBridge<>(handle);
        b.cf.whenComplete((v, e) -> {
            if (e instanceof CancellationException) {
                // cancelled by its user; a no-op if wake() completed it (the task has finished)
                handle.abort();
            }
        });
        b.wake();
        return b.cf;
    }

    /** Polls the handle; completes the CompletableFuture once it is ready. */
    @Override
    public void wake() {
        if (cf.isDone()) {
            return;
        }
        try {
            Poll<T> p = handle.poll(cx);
            if (p.isReady()) {
                cf.complete(p.get());
            }
        } catch (TaskFailedException e) {
            cf.completeExceptionally(e.getCause() != null ? e.getCause() : e);
        } catch (Throwable e) { // TaskCancelledException is a CancellationException: the cf is then cancelled
            cf.completeExceptionally(e);
        }
    }
}
