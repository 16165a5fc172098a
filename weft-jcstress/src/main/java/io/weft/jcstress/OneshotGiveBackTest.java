package io.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.weft.compose.GivesBack;
import io.weft.sync.Oneshot;
import io.weft.sync.WaitFuture;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * A shared {@link Oneshot} whose value a recv took and now gives back (a
 * join around it was given up), racing a {@code tryRecv()} on another
 * thread. The value is received at most once, and never after a tryRecv
 * was told it was received: by that tryRecv if the give-back came first
 * (it waits for no value: the value is stored before TAKEN clears); if the
 * tryRecv came first, it marked TAKEN_SEEN and the give-back leaves the
 * value received (the caller closes it), so the arbiter sees the end too.
 *
 * <p>Result: (the racing tryRecv: 42 = the value, -1 = none (null), -2 =
 * closed, -4 = another error; a tryRecv in the arbiter, the same codes).
 */
@JCStressTest
@Description("Oneshot.create(): a recv's giveBack(v) racing tryRecv(); v received at most once, never after a reported end.")
@Outcome(id = "42, -2", expect = ACCEPTABLE, desc = "The give-back came first: the racing tryRecv took the value; then drained.")
@Outcome(id = "-2, -2", expect = ACCEPTABLE, desc = "The tryRecv came first and reported it received: the give-back left it so.")
@Outcome(id = "42, 42", expect = FORBIDDEN, desc = "DUPLICATED: received twice.")
@Outcome(id = "-2, 42", expect = FORBIDDEN, desc = "BACK AFTER THE END: reported received, then received again.")
@Outcome(expect = FORBIDDEN, desc = "Anything else (no value from an open oneshot, another error) is a bug.")
@State
public class OneshotGiveBackTest {
    final Oneshot<Integer> oneshot = Oneshot.create();
    final WaitFuture<Integer> rx;
    int raced;

    public OneshotGiveBackTest() {
        oneshot.send(SyncPolls.VALUE);
        rx = oneshot.recv();
        if (SyncPolls.recv(rx, new DrivenTask.CountingWaker()) != SyncPolls.VALUE) {
            throw new AssertionError("the recv did not take the value");
        }
    }

    @Actor
    @SuppressWarnings("unchecked")
    public void givesBack() {
        ((GivesBack<Integer>) rx).giveBack(SyncPolls.VALUE);
    }

    @Actor
    public void receiver() {
        raced = SyncPolls.tryRecv(oneshot);
    }

    @Arbiter
    public void arbiter(II_Result r) {
        r.r1 = raced;
        r.r2 = SyncPolls.tryRecv(oneshot);
    }
}
