package io.weft.coro;

/**
 * Whether coroutine tasks can run in this JVM, decided without touching
 * {@code jdk.internal.vm}: that package must be exported to weft's module
 * ({@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED} on the class
 * path, {@code =io.weft} on the module path). Without it the first coroutine
 * use throws one {@link IllegalStateException} naming the flag, instead of an
 * {@code IllegalAccessError} deep in the stack.
 */
public final class Coroutines {
    private Coroutines() {
    }

    /** Pinned by the JIT as a constant once this class is initialized. */
    public static final boolean AVAILABLE =
            Object.class.getModule().isExported("jdk.internal.vm", Coroutines.class.getModule());

    /** The JVM flag that makes coroutines available, for this deployment. */
    public static String missingFlag() {
        Module m = Coroutines.class.getModule();
        String target = m.isNamed() ? m.getName() : "ALL-UNNAMED";
        return "--add-exports java.base/jdk.internal.vm=" + target;
    }

    /** Throws the one clear error when the flag is missing. */
    public static void ensureAvailable() {
        if (!AVAILABLE) {
            throw new IllegalStateException(
                    "weft coroutine tasks need the JVM flag " + missingFlag()
                    + " (jdk.internal.vm is not exported to weft). Add it to the java command line,"
                    + " to surefire's argLine, or to the jar manifest as 'Add-Exports: java.base/jdk.internal.vm'.");
        }
    }

    /** The coroutine task running on this thread (inside its body), or null. */
    public static io.weft.task.Task<?> currentTask() {
        return AVAILABLE ? TaskContinuation.currentTask() : null;
    }

    /**
     * The context of the coroutine task running on this thread (made if it
     * had none), or null outside one. Its futures run in its name too where
     * the executor polls them in its own frames (a re-poll of what the task
     * awaits, a cancel of it): a map function there still sees the task's
     * {@code TaskLocal}s.
     */
    public static io.weft.Context currentContext() {
        if (!AVAILABLE) {
            return null;
        }
        CoroutineTask<?> t = TaskContinuation.currentTask();
        if (t == null) {
            t = CoroutineTask.outsideItsFramesHere();
        }
        return t != null ? t.context() : null;
    }
}
