package io.weft;

/**
 * A test device: awaited in a task, polls {@code f} once (it must be
 * pending), then, at the next poll (the wake {@code f} asked for: what it
 * waits for has happened), cancels it instead of polling it again. So a
 * caller gives up an operation just as it completed.
 */
public final class OnceThenCancel implements Future<Void> {
    private final CancellableFuture<?> f;
    private boolean polled;

    public OnceThenCancel(CancellableFuture<?> f) {
        this.f = f;
    }

    @Override
    public Poll<Void> poll(Context cx) {
        if (!polled) {
            polled = true;
            if (f.poll(cx).isReady()) {
                throw new AssertionError("the operation was ready at its first poll");
            }
            return Poll.pending();
        }
        f.cancel();
        return Poll.ready(null);
    }
}
