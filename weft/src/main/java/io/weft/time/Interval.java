package io.weft.time;

import io.weft.CancellableFuture;
import io.weft.Context;
import io.weft.Poll;
import io.weft.executor.Worker;
import java.time.Duration;

/**
 * Ticks at a fixed period on the executor's clock, as tokio's
 * {@code interval}: the first tick completes at once (its deadline is the
 * start), then one every {@code period}; what happens after a late tick is
 * the {@link MissedTickBehavior} (default {@link MissedTickBehavior#BURST}).
 *
 * <pre>{@code
 * var every = Interval.every(Duration.ofMillis(100));
 * for (;;) {
 *     long deadline = every.tick().await(); // the tick's deadline, a reading of Weft.clock()
 *     flush();
 * }
 * }</pre>
 *
 * One {@link Sleep} (one wheel entry) serves every tick: re-armed in place,
 * no allocation per tick in the wheel. Loop thread only; one tick awaited at
 * a time.
 */
public final class Interval {
    /** Lateness, in ms, beyond which a tick counts as missed (tokio's 5 ms). */
    public static final long LATE_SLACK_MILLIS = 5;
    private static final long LATE_SLACK_NANOS = LATE_SLACK_MILLIS * 1_000_000L;

    private final Timers timers;
    private final long period;
    private final Sleep sleep;
    private MissedTickBehavior behavior = MissedTickBehavior.BURST;

    private Interval(Timers timers, long start, long period) {
        this.timers = timers;
        this.period = period;
        this.sleep = new Sleep(timers, start);
    }

    /** Ticks now, then every {@code period} (positive). */
    public static Interval every(Duration period) {
        long p = Deadlines.positiveNanos(period, "interval period");
        Timers timers = Worker.current("Interval.every").timers();
        return new Interval(timers, timers.now(), p);
    }

    /** First tick at {@code startNanos} (a reading of the executor's clock), then every {@code period}. */
    public static Interval at(long startNanos, Duration period) {
        long p = Deadlines.positiveNanos(period, "interval period");
        Timers timers = Worker.current("Interval.at").timers();
        return new Interval(timers, Deadlines.clamp(timers.now(), startNanos), p);
    }

    public Interval missedTickBehavior(MissedTickBehavior b) {
        if (b == null) {
            throw new NullPointerException("missed tick behavior");
        }
        this.behavior = b;
        return this;
    }

    public MissedTickBehavior missedTickBehavior() {
        return behavior;
    }

    public Duration period() {
        return Duration.ofNanos(period);
    }

    /** The deadline of the next tick. */
    public long nextDeadline() {
        return sleep.deadline();
    }

    /** The next tick: a future of its deadline (a reading of the executor's clock). */
    public CancellableFuture<Long> tick() {
        return new Tick(this);
    }

    /** Restarts the grid: the next tick is one period from now. */
    public void reset() {
        sleep.reset(timers.now() + period);
    }

    Poll<Long> pollTick(Context cx) {
        if (!sleep.poll(cx).isReady()) {
            return Poll.pending();
        }
        long deadline = sleep.deadline();
        long now = timers.now();
        long next = now - deadline > LATE_SLACK_NANOS
                ? behavior.nextDeadline(deadline, now, period)
                : deadline + period;
        sleep.reset(next);
        return Poll.ready(deadline);
    }

    /**
     * A future of one tick. <b>Cancel safety:</b> cancelling a tick that was
     * polled and has not completed disarms the interval's timer; the next
     * {@code tick()} re-arms it for the same deadline, so no tick is lost.
     * Cancelling a tick never polled, or one that completed, does nothing
     * (another task's pending tick of the same interval keeps its timer).
     */
    public static final class Tick implements CancellableFuture<Long> {
        private final Interval interval;
        private boolean polled;
        private boolean done;

        Tick(Interval interval) {
            this.interval = interval;
        }

        @Override
        public Poll<Long> poll(Context cx) {
            if (done) {
                throw new IllegalStateException("Interval tick polled after it completed");
            }
            polled = true;
            Poll<Long> p = interval.pollTick(cx);
            done = p.isReady();
            return p;
        }

        /** Disarms the timer of this pending tick (see the class docs); idempotent. */
        @Override
        public void cancel() {
            if (polled && !done) {
                done = true;
                interval.sleep.cancel();
            }
        }
    }
}
