package io.weft.compose;

import io.weft.Future;
import io.weft.Futures;
import java.util.IdentityHashMap;

/**
 * What every combinator of n children does the same way: refuse a future
 * given twice, and cancel children so that one cancel that throws (a local
 * primitive's, cancelled from the wrong thread) stops neither the others'
 * cancels nor the combinator's outcome.
 */
final class Children {
    private Children() {
    }

    /** Up to this many children are compared pairwise; more go through a map. */
    private static final int PAIRWISE = 16;

    /**
     * {@code futures} as an array, each non-null and no operation given
     * twice: a {@link io.weft.CancellableFuture} (a receive, a lock's wait,
     * an I/O operation, a combinator) has one waiter, and polling a finished
     * one again fails after the combinator took its value. A
     * {@link io.weft.JoinHandle} gives its task's output to every waiter,
     * and a future that is not cancellable holds nothing (a shared constant
     * such as {@code cx -> Poll.ready(null)} may be given any number of
     * times): both may come twice.
     */
    @SuppressWarnings("unchecked")
    static <T> Future<? extends T>[] checked(java.util.List<? extends Future<? extends T>> futures) {
        Future<? extends T>[] cs = futures.toArray(new Future[0]);
        for (int i = 0; i < cs.length; i++) {
            if (cs[i] == null) {
                throw new NullPointerException("future " + i);
            }
        }
        if (cs.length <= PAIRWISE) {
            for (int j = 1; j < cs.length; j++) {
                for (int i = 0; i < j; i++) {
                    if (cs[i] == cs[j]) {
                        refuseTwice(cs, i, j);
                    }
                }
            }
        } else {
            IdentityHashMap<Future<?>, Integer> seen = new IdentityHashMap<>(cs.length * 2);
            for (int j = 0; j < cs.length; j++) {
                Integer i = seen.putIfAbsent(cs[j], j);
                if (i != null) {
                    refuseTwice(cs, i, j);
                }
            }
        }
        return cs;
    }

    private static void refuseTwice(Future<?>[] cs, int i, int j) {
        if (cs[i] instanceof io.weft.CancellableFuture<?> && !(cs[i] instanceof io.weft.JoinHandle<?>)) {
            throw new IllegalArgumentException("future " + i + " and future " + j + " are the same future: a future"
                    + " has one waiter, and the second poll of a finished one would fail after its value was taken."
                    + " Give each place its own future (to wait for a task's output twice, give its JoinHandle)");
        }
    }

    /**
     * Cancels {@code f}. What its cancel throws is added to {@code thrown}
     * as suppressed, or returned if {@code thrown} is null; otherwise
     * {@code thrown} is returned as it came.
     */
    static Throwable cancel(Future<?> f, Throwable thrown) {
        try {
            Futures.cancel(f);
            return thrown;
        } catch (VirtualMachineError e) {
            throw e; // the JVM's trouble, not the child's
        } catch (RuntimeException | Error e) {
            return collect(e, thrown);
        }
    }

    /** {@code e} added to {@code thrown} as suppressed; or {@code e} if there was nothing yet. */
    static Throwable collect(Throwable e, Throwable thrown) {
        if (thrown == null) {
            return e;
        }
        if (thrown != e) {
            thrown.addSuppressed(e);
        }
        return thrown;
    }

    /**
     * What the losers' cancels of a decided combinator threw: throwing it
     * would lose the winner's value, so it is reported as a WARNING.
     */
    static void reportLosers(Throwable thrown, String combinator) {
        if (thrown != null) {
            io.weft.task.Log.get().log(System.Logger.Level.WARNING, "cancelling a loser of a " + combinator
                    + " threw; the " + combinator + " returned its winner and cancelled its other losers", thrown);
        }
    }

    /** Throws what a cancel of a combinator's children threw, once every child was cancelled. */
    static void rethrow(Throwable thrown) {
        if (thrown != null) {
            throw Sneaky.rethrow(thrown);
        }
    }
}
