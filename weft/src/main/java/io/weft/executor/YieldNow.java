package io.weft.executor;

import io.weft.Context;
import io.weft.Future;
import io.weft.Poll;

/** Pending once (after waking its waker), then ready: the task goes to the back of its queue. */
public final class YieldNow implements Future<Void>, io.weft.task.LeafFuture {
    private boolean yielded;

    @Override
    public Poll<Void> poll(Context cx) {
        if (yielded) {
            return Poll.ready(null);
        }
        yielded = true;
        cx.waker().wake();
        return Poll.pending();
    }
}
