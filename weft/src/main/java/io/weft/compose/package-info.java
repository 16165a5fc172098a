/**
 * The machinery behind {@code io.weft.Futures}, {@code TaskScope} and
 * {@code JoinSet}: combinators, completion tracking and JDK interop.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li><b>One poller at a time.</b> Like every future, a combinator is polled
 *       by one thread at a time; its fields are plain. Only wakers are called
 *       from other threads, and they touch only volatile or concurrent
 *       fields ({@code Completions.Entry}, {@code FromStage}'s callback),
 *       or a monitor ({@code StageBridge}: its poll, from the waker's
 *       thread, and its give-up, from the thread that completed the
 *       CompletableFuture; it completes the CompletableFuture outside the
 *       monitor).</li>
 *   <li><b>Children see the caller's waker.</b> {@code JoinAll},
 *       {@code Select} and {@code FirstSuccess} poll every unfinished child
 *       on every poll, with the caller's {@code Context} unchanged: a
 *       JoinHandle child registers the caller's waker (once: its join stack
 *       skips a waker already there) and a ready leaf spends the caller's
 *       budget.</li>
 *   <li><b>Cancel what will not be polled again.</b> When a combinator is
 *       decided (a value, a winner, or a failure), every child it will never
 *       poll again is cancelled once ({@code Futures.cancel}: the
 *       {@code CancellableFuture} contract; a JoinHandle is aborted, a nested
 *       combinator passes it on, a future that is not cancellable holds
 *       nothing and is dropped). {@code Mapped} and {@code Then} forward a
 *       cancel to the future they currently wait on. Cancelling does not wait
 *       for aborted tasks; a waker they still hold may wake the caller once
 *       more, which is harmless.</li>
 *   <li><b>One waiter per operation.</b> The same cancellable future
 *       (other than a JoinHandle) given twice to a combinator is refused
 *       when it is made ({@code Children.checked}).</li>
 *   <li><b>A cancel that throws stops nothing.</b> Each child is cancelled
 *       in its own try ({@code Children.cancel}); what they throw goes on
 *       the failure, is thrown by a {@code cancel()} once all were
 *       cancelled, or, with a winner, is reported as a WARNING.</li>
 *   <li><b>Taken values go back.</b> A join that fails or is given up
 *       after it took values gives each back to the child that gave it
 *       ({@code GivesBack}: last taken first), or closes it if it is
 *       AutoCloseable and the child cannot take it back; a select, race,
 *       firstSuccessful, Timeout or join whose own result an outer one gives
 *       back passes it down to its child. A value that may be a task's
 *       output ({@code TaskOutputs}) is never the combinator's to give or
 *       close.</li>
 *   <li><b>Completion order, exactly once.</b> {@code Completions} gives each
 *       handle its own join waker; the completing task wakes it once (on its
 *       owner thread), and a flag makes a second wake (the registering poll
 *       found it complete, and the completer woke it too) do nothing. The
 *       entry is queued before the one waiter is read: pairs with
 *       {@code take}, which stores the waiter before reading the queue.</li>
 *   <li><b>A stage completes on any thread.</b> {@code FromStage} subscribes
 *       before it publishes its first waker, so an already-complete stage
 *       never wakes the task that is polling it.</li>
 * </ul>
 */
package io.weft.compose;
