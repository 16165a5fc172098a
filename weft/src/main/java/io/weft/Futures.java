package io.weft;

import io.weft.compose.FirstSuccess;
import io.weft.compose.FromStage;
import io.weft.compose.JoinAll;
import io.weft.compose.Select;
import io.weft.compose.Sneaky;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;

/**
 * Combining futures: wait for all ({@link #join}), for the first
 * ({@link #select}, {@link #race}), for the first to succeed
 * ({@link #firstSuccessful}), and futures from values, failures and JDK
 * {@link CompletionStage}s.
 *
 * <h2>How the combinators poll</h2>
 * A combinator polls <em>every</em> unfinished child on each of its own polls,
 * in argument order, with its caller's {@link Context}: a {@link JoinHandle}
 * child registers the caller's waker, and ready leaves spend the caller's
 * budget. That is O(n) per wake: fine for a handful of futures; for many
 * tasks use {@link JoinSet}, which learns of each completion by itself.
 *
 * <h2>Failure and cancellation</h2>
 * A future fails by throwing from {@code poll} (a failed task's handle throws
 * {@link TaskFailedException}). When a combinator is decided — all values in,
 * a winner, or a failure — it <em>cancels</em> ({@link #cancel(Future)}) the
 * children it will no longer poll, so nothing they were handed is lost (see
 * {@link CancellableFuture}): a lock goes to the next waiter, a value stays
 * in its channel, a {@link JoinHandle}'s task is aborted (a coroutine task
 * runs its {@code finally} blocks). The combinator does not wait for aborted
 * tasks to finish: await their handles, or use a {@link TaskScope}, when
 * their cleanup must be over. A combinator that is itself cancelled (by an
 * outer one, or because the task awaiting it is aborted) cancels every
 * child it has not finished with.
 *
 * <p>Values a {@link #join} already took from its children when another
 * child fails will reach nobody: those that are {@link AutoCloseable} (a
 * lock guard, a permit, a stream) are closed. Not a {@link JoinHandle}'s:
 * its value stays with its task for any other waiter. Do not join a future
 * whose value is shared with others (a broadcast message that is
 * AutoCloseable, {@code ready(x)} of your own {@code x}) if a failure of
 * another child must not close it.
 *
 * <p>Like every future, a combinator is polled by one thread at a time; it
 * may be awaited inside a task or, if its children allow it (join handles
 * do), from a plain thread.
 */
public final class Futures {
    private Futures() {
    }

    /** A future ready with {@code value} (spending one unit of budget, like any ready leaf). */
    public static <T> Future<T> ready(T value) {
        return cx -> {
            if (!cx.consumeBudget()) {
                return Poll.pending();
            }
            return Poll.ready(value);
        };
    }

    /**
     * A future that fails with {@code error}: its poll throws it, as it is
     * (a checked exception too). Spends one unit of budget like a ready leaf.
     */
    public static <T> Future<T> failed(Throwable error) {
        if (error == null) {
            throw new NullPointerException("error");
        }
        return cx -> {
            if (!cx.consumeBudget()) {
                return Poll.pending();
            }
            throw Sneaky.rethrow(error);
        };
    }

    /**
     * All the values, in argument order (nulls allowed; the list is
     * unmodifiable). Fails fast: the first child whose poll throws makes the
     * join throw that same exception, and the other unfinished children are
     * cancelled (see the class docs). No futures: an empty list.
     *
     * <p><b>Cancel safety:</b> cancelling it cancels every unfinished
     * future; the values it already took go back where they came from (the
     * receive of a channel, an SPSC channel, a oneshot or a broadcast puts
     * its value back before the values not yet received; a stream read its
     * bytes, before the next read; an accept its connection, a UDP receive
     * its datagram), or are closed if they are {@link AutoCloseable} (a
     * permit, a lock guard); a task's output stays with its handle. What can
     * be neither is lost: see
     * {@code io.weft.compose.JoinAll}. The same operation (a cancellable
     * future other than a {@link JoinHandle}) given twice is refused
     * (IllegalArgumentException).
     */
    @SafeVarargs
    public static <T> CancellableFuture<List<T>> join(Future<? extends T>... futures) {
        return new JoinAll<>(Arrays.asList(futures));
    }

    /** As {@link #join(Future[])}, for a list. */
    public static <T> CancellableFuture<List<T>> joinAll(List<? extends Future<? extends T>> futures) {
        return new JoinAll<>(futures);
    }

    /**
     * Both values, combined by {@code f} once both are in: a typed join of
     * two. Fails fast and cancels like {@link #join(Future[])}. {@code f}
     * runs once and owns both values from then on: what it throws is the
     * zip's failure, and a value it held (a connection, a permit) is its to
     * release first.
     */
    @SuppressWarnings("unchecked")
    public static <A, B, R> CancellableFuture<R> zip(Future<? extends A> a, Future<? extends B> b,
                                          BiFunction<? super A, ? super B, ? extends R> f) {
        if (f == null) {
            throw new NullPointerException("f");
        }
        java.util.Objects.requireNonNull(a, "future 0");
        java.util.Objects.requireNonNull(b, "future 1");
        JoinAll<Object> both = new JoinAll<>(List.of(a, b));
        return new io.weft.compose.Mapped<>(both, list -> f.apply((A) list.get(0), (B) list.get(1)));
    }

    /**
     * The first future to finish, and which one it was. Each poll goes
     * through the futures in argument order and stops at the first that is
     * ready or throws, so if several are ready in the same poll the lowest
     * index wins. The winner's failure is the select's failure (it throws the
     * same exception). All the others are cancelled (see the class docs).
     * Throws {@link IllegalArgumentException} when given no futures.
     */
    @SafeVarargs
    public static <T> CancellableFuture<Selected<T>> select(Future<? extends T>... futures) {
        return new Select<>(Arrays.asList(futures));
    }

    /** As {@link #select(Future[])}, for a list. */
    public static <T> CancellableFuture<Selected<T>> selectAll(List<? extends Future<? extends T>> futures) {
        return new Select<>(futures);
    }

    /** As {@link #select(Future[])}, when only the winner's value matters. */
    @SafeVarargs
    public static <T> CancellableFuture<T> race(Future<? extends T>... futures) {
        return new Select<T>(Arrays.asList(futures)).race();
    }

    /**
     * The value of the first future to succeed; a future that fails does not
     * decide it. Each poll goes through the unfinished futures in argument
     * order and stops at the first that is ready, so if several are ready in
     * the same poll the lowest index wins; a future that throws is done (it
     * is not polled again, nor cancelled) and its failure is kept. Once one
     * succeeds, the others still unfinished are cancelled (see the class
     * docs). If all fail, it throws the first failure (in the order they
     * were seen) with the others added as suppressed. Throws
     * {@link IllegalArgumentException} when given no futures.
     *
     * <p>Inside a {@link TaskScope}, the failures of children polled here
     * count as received once it decides (thrown, or set aside for a
     * winner): the scope does not throw them again. Given up undecided (it
     * lost a select, or its task was aborted), it handed them to nobody: the
     * scope throws them.
     *
     * <p><b>Cancel safety:</b> cancelling it before it is decided cancels
     * every future that has not finished; each keeps what its own cancel
     * keeps (a value stays in its channel, a lock goes to the next waiter, a
     * {@link JoinHandle}'s task is aborted). The only value it ever takes is
     * the winner's, which the same poll returns, so nothing taken is lost.
     * Once decided, cancelling does nothing.
     */
    @SafeVarargs
    public static <T> CancellableFuture<T> firstSuccessful(Future<? extends T>... futures) {
        return new FirstSuccess<>(Arrays.asList(futures));
    }

    /** As {@link #firstSuccessful(Future[])}, for a list. */
    public static <T> CancellableFuture<T> firstSuccessful(List<? extends Future<? extends T>> futures) {
        return new FirstSuccess<>(futures);
    }

    /**
     * A {@link CompletionStage} as a future. The stage may complete on any
     * thread: its completion wakes the awaiting task once (through the
     * executor's remote queue). A stage that failed makes the poll throw the
     * failure unwrapped from {@link java.util.concurrent.CompletionException}
     * when it is unchecked (a cancelled stage: {@link
     * java.util.concurrent.CancellationException}), or a {@code
     * CompletionException} around a checked one. Losing a select does not
     * cancel the stage: it is not weft's. Each future made here adds one
     * callback to the stage at its first poll, which the stage keeps until
     * it completes (a stage cannot forget a callback): a loop that gives up
     * on the same pending stage again and again (a timeout per turn) makes
     * the future once, before the loop, and awaits that one.
     */
    public static <T> Future<T> fromCompletionStage(CompletionStage<T> stage) {
        return new FromStage<>(stage);
    }

    /**
     * Gives up {@code future}, which will not be polled again: a
     * {@link CancellableFuture} is {@linkplain CancellableFuture#cancel()
     * cancelled} (a {@link JoinHandle} aborts its task); any other future
     * holds nothing that could be lost and is just dropped. For code that
     * polls futures by hand; weft's own combinators and {@code await()} do
     * it themselves.
     */
    public static void cancel(Future<?> future) {
        if (future instanceof CancellableFuture<?> c) {
            c.cancel();
        }
    }
}
