package io.weft;

/**
 * A test device: awaited in a task, polls {@code f} once (it must be
 * pending), then, at the next poll (the wake {@code f} asked for: what it
 * waits for has happened), cancels it instead of polling it again. So a
 * caller gives up an operation just as it completed.
 */
public final class OnceThenCancel implements Future<Void> {
    private final CancellableFuture<?> f;
    private final Runnable afterFirstPoll;
    private boolean polled;

    /** {@code afterFirstPoll} runs once the first poll found {@code f} pending (a test holds its peer until then). */
    public OnceThenCancel(CancellableFuture<?> f, Runnable afterFirstPoll) {
        this.f = f;
        this.afterFirstPoll = afterFirstPoll;
    }

    @Override
    public Poll<Void> poll(Context cx) {
        if (!polled) {
            polled = true;
            if (f.poll(cx).isReady()) {
                throw new AssertionError("the operation was ready at its first poll");
            }
            afterFirstPoll.run();
            return Poll.pending();
        }
        f.cancel();
        return Poll.ready(null);
    }
}
