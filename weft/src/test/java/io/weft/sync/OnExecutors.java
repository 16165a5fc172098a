package io.weft.sync;

import io.weft.JoinHandle;
import io.weft.LocalExecutorPool;
import io.weft.Weft;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;

/**
 * A {@link LocalExecutorPool} of N executors, named {@code <prefix>-i}:
 * executor i runs {@code body.apply(i)} as a task (and checks that it is
 * executor i). {@link #run} returns the results in executor order, or throws
 * the first failure, or fails if a task is still running after the deadline;
 * the pool is closed either way.
 */
final class OnExecutors {
    private OnExecutors() {
    }

    static <T> List<T> run(String prefix, int n, long timeoutSeconds, IntFunction<Callable<T>> body)
            throws Exception {
        List<T> results = new ArrayList<>();
        try (var pool = LocalExecutorPool.builder().name(prefix).executors(n).build()) {
            List<JoinHandle<T>> handles = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int id = i;
                Callable<T> root = body.apply(i);
                handles.add(pool.spawnOn(i, () -> {
                    if (Weft.executorIndex() != id) {
                        throw new AssertionError("task " + id + " runs on executor " + Weft.executorIndex());
                    }
                    return root.call();
                }));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            for (int i = 0; i < n; i++) {
                try {
                    results.add(handles.get(i).toCompletableFuture()
                            .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
                } catch (TimeoutException e) {
                    throw new AssertionError("executor " + prefix + "-" + i + " still running after " + timeoutSeconds
                            + " s (a lost wake-up?)");
                } catch (ExecutionException e) {
                    throw new AssertionError("executor " + prefix + "-" + i + " failed", e.getCause());
                }
            }
        }
        return results;
    }
}
