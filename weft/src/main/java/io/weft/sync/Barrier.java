package io.weft.sync;

import io.weft.Context;
import io.weft.Poll;

/**
 * Lets {@code n} parties wait until all of them have arrived (tokio's
 * {@code Barrier}).
 *
 * <ul>
 *   <li>{@link #arrive()} returns a future; a party counts as arrived from
 *       the first poll of that future (awaiting it polls it at once). The
 *       {@code n}-th arrival <i>trips</i> the barrier: it completes at once
 *       with {@code true} (it is the generation's one <i>leader</i>, as
 *       tokio's {@code BarrierWaitResult::is_leader}), and every waiter of
 *       the generation is woken and completes with {@code false}.</li>
 *   <li>The barrier is reusable: a trip starts the next generation with no
 *       party arrived; an arrival after the trip belongs to the next
 *       generation, even if woken waiters of the previous one have not run
 *       yet.</li>
 *   <li>A waiter cancelled before the barrier trips (its task aborted, or
 *       {@link WaitFuture#cancel()} by hand) leaves the queue and no longer
 *       counts: the generation then needs one more arrival. A waiter
 *       cancelled after the trip woke it changes nothing: its generation is
 *       complete, the others have been released, it just never sees its
 *       result.</li>
 *   <li>{@code n} must be at least 1 (tokio turns 0 into 1; here it is an
 *       {@link IllegalArgumentException}). With {@code n == 1} every arrival
 *       is a leader and never waits.</li>
 * </ul>
 *
 * <p>{@link #create} is shared, {@link #local} belongs to its executor;
 * every field is guarded by {@link #access} (see {@code package-info}).
 */
public final class Barrier {
    final Access access;
    private final int parties;
    /** Parties waiting in the current generation: the length of {@link #waiters}. */
    private int arrived;
    /** Trips so far. */
    private long generation;
    private final WaitList waiters = new WaitList();

    private Barrier(Access access, int parties) {
        this.access = access;
        this.parties = parties;
    }

    private static int check(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("a barrier needs at least one party, was " + n);
        }
        return n;
    }

    /** A shared barrier for {@code n} parties: any thread, any executor. */
    public static Barrier create(int n) {
        return new Barrier(Access.shared(), check(n));
    }

    /** A local barrier for {@code n} parties, bound to the executor running this task. */
    public static Barrier local(int n) {
        check(n);
        return new Barrier(Access.local("Barrier.local"), n);
    }

    public boolean isLocal() {
        return access.isLocal();
    }

    public int parties() {
        return parties;
    }

    /**
     * A future of this party's arrival: true for the generation's leader (the last to arrive).
     *
     * <p><b>Cancel safety:</b> an arrival cancelled before the barrier
     * trips no longer counts (the others wait for another party); one
     * cancelled after the trip changes nothing for the others.
     */
    public WaitFuture<Boolean> arrive() {
        return new Arrive();
    }

    /** Times the barrier has tripped. */
    public long generation() {
        access.enter();
        try {
            return generation;
        } finally {
            access.exit();
        }
    }

    /** Parties waiting in the current generation now. */
    public int arrived() {
        access.enter();
        try {
            return arrived;
        } finally {
            access.exit();
        }
    }

    private final class Arrive extends Waiter implements WaitFuture<Boolean> {
        /** It tripped the barrier (under the access). */
        private boolean leader;

        @Override
        public Poll<Boolean> poll(Context cx) {
            access.enter();
            try {
                switch (state) {
                    case NOTIFIED -> { // our generation tripped
                        if (!cx.consumeBudget()) {
                            return Poll.pending();
                        }
                        state = DONE;
                        return Poll.ready(leader);
                    }
                    case QUEUED -> {
                        waker = cx.waker();
                        return Poll.pending();
                    }
                    case IDLE -> {
                        if (arrived + 1 == parties) { // the last one: trip and lead, at its first poll
                            arrived = 0;
                            generation++;
                            waiters.notifyEvery();
                            leader = true;
                            if (!cx.consumeBudget()) {
                                state = NOTIFIED; // tripped; it answers at its next poll
                                return Poll.pending();
                            }
                            state = DONE;
                            return Poll.ready(true);
                        }
                        access.checkMayWait(this, cx.waker());
                        waker = cx.waker();
                        waiters.addLast(this);
                        arrived++;
                        return Poll.pending();
                    }
                    default -> throw new IllegalStateException(
                            "arrive future polled after it completed or was cancelled");
                }
            } finally {
                access.exit();
            }
        }

        @Override
        public void cancel() {
            access.enter();
            try {
                int s = state;
                state = DONE;
                if (s == QUEUED) { // not tripped yet: we no longer count
                    waiters.remove(this);
                    arrived--;
                }
                // NOTIFIED: the generation tripped without us needing to; nothing to undo
            } finally {
                access.exit();
            }
        }
    }
}
