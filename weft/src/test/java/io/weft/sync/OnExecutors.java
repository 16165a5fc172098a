package io.weft.sync;

import io.weft.LocalExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * N LocalExecutors on N plain threads (as the executor pool will run them):
 * executor i, named {@code <prefix>-i}, runs {@code body.apply(i)} as its root
 * task. {@link #run} returns the results in executor order, or throws the
 * first failure, or fails if an executor is still running after the deadline.
 */
final class OnExecutors {
    private OnExecutors() {
    }

    static <T> List<T> run(String prefix, int n, long timeoutSeconds, IntFunction<Callable<T>> body)
            throws Exception {
        List<Object> results = new ArrayList<>();
        Thread[] threads = new Thread[n];
        Object[] out = new Object[n];
        Throwable[] failed = new Throwable[n];
        for (int i = 0; i < n; i++) {
            int id = i;
            Callable<T> root = body.apply(i);
            threads[i] = new Thread(() -> {
                try (LocalExecutor ex = LocalExecutor.builder().name(prefix + "-" + id).build()) {
                    out[id] = ex.run(root);
                } catch (Throwable t) {
                    failed[id] = t;
                }
            }, prefix + "-" + id);
            threads[i].start();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        for (Thread t : threads) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        for (int i = 0; i < n; i++) {
            if (threads[i].isAlive()) {
                throw new AssertionError("executor " + prefix + "-" + i + " still running after " + timeoutSeconds
                        + " s (a lost wake-up?)");
            }
        }
        for (int i = 0; i < n; i++) {
            if (failed[i] instanceof Exception e) {
                throw new AssertionError("executor " + prefix + "-" + i + " failed", e);
            } else if (failed[i] != null) {
                throw new AssertionError("executor " + prefix + "-" + i + " failed", failed[i]);
            }
            results.add(out[i]);
        }
        @SuppressWarnings("unchecked")
        List<T> typed = (List<T>) results;
        return typed;
    }
}
