package io.weft.time;

/**
 * What an {@link Interval} does when a tick is late, as tokio's
 * {@code MissedTickBehavior}. A tick counts as missed when it is taken more
 * than {@value Interval#LATE_SLACK_MILLIS} ms after its deadline (the slack
 * absorbs the wheel's 1 ms rounding and wake-up latency, as in tokio). Example
 * with period 100 ms, ticks due at 0, 100, 200..., and the task busy from 100
 * to 350:
 * <pre>
 *            ticks returned (deadlines)     when they complete
 *   BURST    0 100 200 300 400 500          200 and 300 at once at 350, then on time
 *   DELAY    0 100 200 450 550              200 at once at 350, then every 100 from 350
 *   SKIP     0 100 200 400 500              200 at once at 350, then on the original grid
 * </pre>
 * The first late tick completes at once in all three; they differ in the
 * deadline of the next one.
 */
public enum MissedTickBehavior {
    /** Catch up: the next deadlines stay on the grid ({@code deadline + period}), so late ticks come at once, back to back. */
    BURST,
    /** Restart the grid from now: the next deadline is {@code now + period}. */
    DELAY,
    /** Drop the missed ticks: the next deadline is the next point of the original grid after now. */
    SKIP;

    long nextDeadline(long deadline, long now, long period) {
        return switch (this) {
            case BURST -> deadline + period;
            case DELAY -> now + period;
            case SKIP -> now + period - Math.floorMod(now - deadline, period);
        };
    }
}
