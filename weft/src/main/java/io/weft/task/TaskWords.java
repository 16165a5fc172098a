package io.weft.task;

/** Tasks and their failures in words, for messages. */
public final class TaskWords {
    private TaskWords() {
    }

    /** The state word in words, for messages: {@code RUNNING|NOTIFIED}. */
    public static String describe(int s) {
        StringBuilder b = new StringBuilder();
        String[] names = {"RUNNING", "COMPLETE", "NOTIFIED", "CANCELLED", "JOIN_INTEREST", "JOIN_WAKER",
                "FAILURE_RECEIVED", "LEFT_BEHIND"};
        for (int i = 0; i < names.length; i++) {
            if ((s & (1 << i)) != 0) {
                if (!b.isEmpty()) {
                    b.append('|');
                }
                b.append(names[i]);
            }
        }
        int detached = (s & Task.DETACHED_ALL) >>> 16;
        if (detached != 0) {
            b.append(b.isEmpty() ? "" : "|").append("DETACHED_WAITS=").append(detached);
        }
        return b.isEmpty() ? "IDLE(0x0)" : b + "(0x" + Integer.toHexString(s) + ")";
    }

    /**
     * {@code e.toString()}, or its class name if that throws (a user's
     * exception whose {@code getMessage} throws must not take the message
     * that reports it down, nor the executor's loop that builds it).
     */
    public static String of(Throwable e) {
        try {
            return String.valueOf(e);
        } catch (RuntimeException | StackOverflowError unspeakable) {
            return e.getClass().getName() + " (its toString threw " + unspeakable.getClass().getName() + ")";
        }
    }

    /**
     * Whether {@code t} came from a task's cancellation: a
     * {@link io.weft.TaskCancelledException}, or one among its causes and
     * suppressed exceptions (a finally or a close that threw while the
     * cancellation unwound).
     */
    public static boolean cancelledIn(Throwable t) {
        return cancelledIn(t, 0);
    }

    private static boolean cancelledIn(Throwable t, int depth) {
        if (t == null || depth > 8) {
            return false;
        }
        if (t instanceof io.weft.TaskCancelledException) {
            return true;
        }
        for (Throwable s : t.getSuppressed()) {
            if (cancelledIn(s, depth + 1)) {
                return true;
            }
        }
        return t.getCause() != t && cancelledIn(t.getCause(), depth + 1);
    }
}
