package io.weft;

import java.util.NoSuchElementException;
import java.util.concurrent.Callable;

/**
 * A {@link TaskScope} that closes on the first success, made by
 * {@link TaskScope#firstSuccess()}: children that each try to produce the
 * same {@code T} (a request sent to several replicas, a value looked up in
 * several places), of which the first to succeed is the scope's value.
 *
 * <ul>
 *   <li>The first child to succeed, in completion order, is the winner: the
 *       other unfinished children are aborted at once, and a child spawned
 *       afterwards is aborted before it runs. A child that fails does not
 *       decide anything; its siblings go on.</li>
 *   <li>{@link #join()} waits until every child has finished (the aborted
 *       ones have run their {@code finally} blocks), then returns the
 *       winner's value. With a winner, the other children's failures are not
 *       thrown, by {@code join()} or by {@link #close()}.</li>
 *   <li>If no child succeeded, {@code join()} throws the
 *       {@link TaskFailedException} of the first child to fail with those of
 *       the later ones suppressed, leaving out failures somebody already
 *       received (see {@link TaskScope}); if no failure is left either (no
 *       child was spawned, every child was cancelled, or every failure was
 *       received), it throws {@link NoSuchElementException}.</li>
 *   <li>Everything else is {@link TaskScope}'s: the thread contract,
 *       {@code close()} aborting and waiting, a cancelled owner.</li>
 * </ul>
 *
 * <p>Why a type of its own: see {@link TaskScope#firstSuccess()}.
 */
public final class FirstSuccessScope<T> implements AutoCloseable {
    private final TaskScope scope;

    FirstSuccessScope(TaskScope scope) {
        this.scope = scope;
    }

    /** Spawns {@code body} as a child task, a candidate for the scope's value. */
    public <U extends T> JoinHandle<U> spawn(Callable<U> body) {
        return scope.spawnNamed(null, body);
    }

    /** As {@link #spawn(Callable)}, with a name for messages and reports (see {@link Weft#spawn(String, Callable)}). */
    public <U extends T> JoinHandle<U> spawn(String name, Callable<U> body) {
        return scope.spawn(name, body);
    }

    /**
     * Waits for every child; then the winner's value, or the failures (see
     * the class docs). A second call returns the same value, or throws
     * {@link NoSuchElementException} once the failures have been thrown.
     */
    @SuppressWarnings("unchecked") // every child was spawned by spawn() above, with a body returning a T
    public T join() {
        return (T) scope.joinFirstSuccess();
    }

    /** Children spawned and not yet finished. */
    public int running() {
        return scope.running();
    }

    /**
     * Aborts the children still running and waits for them; without a
     * winner, throws the failures nobody received and no join reported
     * (as {@link TaskScope#close()}). Idempotent.
     */
    @Override
    public void close() {
        scope.close();
    }
}
