package io.weft.coro;

import java.util.Arrays;

/**
 * Cuts a stack down to a task's own frames, for stall reports and task
 * dumps: the runtime's frames on top (the continuation's yield, the
 * coroutine's await) and the frames below the body (the continuation's
 * entry, and on a loop thread the executor's loop) say nothing about the
 * task.
 */
public final class StackFrames {
    private StackFrames() {
    }

    /** A suspended continuation's stack: from the first frame outside the runtime's machinery to the body. */
    static StackTraceElement[] ofTask(StackTraceElement[] frames) {
        int top = 0;
        while (top < frames.length && isMachinery(frames[top])) {
            top++;
        }
        return Arrays.copyOfRange(frames, top, bodyEnd(frames, top));
    }

    /**
     * A loop thread's stack while it polls a task: what the task runs, down
     * to its body (the whole stack if no coroutine body is on it: a future
     * polled by the executor shows the executor's frames below it).
     */
    public static StackTraceElement[] ofRunningTask(StackTraceElement[] frames) {
        return Arrays.copyOfRange(frames, 0, bodyEnd(frames, 0));
    }

    /**
     * The index just past the body's own frames: where {@code CoroutineTask.run}
     * calls it, less the adapter {@code Weft.spawn(Runnable)} puts around a body.
     */
    private static int bodyEnd(StackTraceElement[] frames, int from) {
        int end = entryFrame(frames, from);
        if (end < frames.length) {
            while (end > from + 1 && frames[end - 1].getClassName().equals("io.weft.Weft")) {
                end--;
            }
        }
        return end;
    }

    /**
     * The index of {@code CoroutineTask.run}, the frame that calls a task's
     * body (the frames above it are the task's, those below the loop's), from
     * {@code from} on; {@code frames.length} if there is none.
     */
    static int entryFrame(StackTraceElement[] frames, int from) {
        for (int i = from; i < frames.length; i++) {
            if (frames[i].getClassName().equals(CoroutineTask.class.getName())
                    && frames[i].getMethodName().equals("run")) {
                return i;
            }
        }
        return frames.length;
    }

    private static boolean isMachinery(StackTraceElement f) {
        String c = f.getClassName();
        return c.startsWith("jdk.internal.vm.") || c.startsWith("io.weft.coro.");
    }
}
