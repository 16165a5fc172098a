package io.weft.coro;

import jdk.internal.vm.Continuation;
import jdk.internal.vm.ContinuationScope;

/**
 * The continuation of one coroutine task. It knows its task, so
 * {@code await()} finds the current task with one walk of the carrier's
 * continuation chain and no thread-local.
 */
final class TaskContinuation extends Continuation {
    static final ContinuationScope SCOPE = new ContinuationScope("weft");

    final CoroutineTask<?> task;

    TaskContinuation(CoroutineTask<?> task) {
        super(SCOPE, task);
        this.task = task;
    }

    /** The coroutine task running on this thread, or null. */
    static CoroutineTask<?> currentTask() {
        Continuation c = Continuation.getCurrentContinuation(SCOPE);
        return c instanceof TaskContinuation tc ? tc.task : null;
    }

    /** Suspends the current coroutine; throws if the stack cannot be unmounted. */
    static void suspend() {
        Continuation.yield(SCOPE);
    }

    @Override
    protected void onPinned(Continuation.Pinned reason) {
        String why = switch (reason) {
            case NATIVE -> "a native frame is on the task's stack (a class initializer, or a call from native code)";
            case MONITOR -> "the task holds a monitor (inside synchronized)";
            case CRITICAL_SECTION -> "the task is in a critical section that pins it";
            default -> reason.toString();
        };
        throw new IllegalStateException("await() cannot suspend task " + task + ": " + why
                + ". Move the await out of that frame, or await the future before entering it.");
    }
}
