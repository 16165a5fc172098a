package io.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.diag.StallWatchdog;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The stall detector on every executor kind: a task that holds its thread
 * past the threshold is reported while it does, with the stack of what it
 * runs, and once more when it gives the thread back; a task that yields in
 * time never is; the watchdog thread goes when the last detecting executor
 * closes.
 */
class StallDetectorTest {

    /** Spins the calling thread for {@code millis} without yielding. */
    static void spinFor(long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() - end < 0) {
            Thread.onSpinWait();
        }
    }

    /**
     * Spins for {@code millis} at least, and then until {@code told} (at most
     * 10 s): a stall that lasts until the watchdog has seen it, however late
     * a loaded machine runs the watchdog's thread.
     */
    static void spinFor(long millis, java.util.function.BooleanSupplier told) {
        spinFor(millis);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!told.getAsBoolean() && System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
        }
    }

    @EveryKind
    void aTaskThatSpinsPastTheThresholdIsReportedWhileItSpinsThenWhenItEnds(ExecutorKind kind) {
        List<Stall> reports = new CopyOnWriteArrayList<>();
        AtomicBoolean spinning = new AtomicBoolean();
        List<Boolean> spinningWhenReported = new CopyOnWriteArrayList<>();
        try (var ex = kind.open(new ExecutorKind.Settings(null, Duration.ofMillis(50), s -> {
            spinningWhenReported.add(spinning.get());
            reports.add(s);
        }))) {
            ex.run(() -> Weft.spawn("spinner", () -> {
                spinning.set(true);
                spinFor(200, () -> !reports.isEmpty());
                spinning.set(false);
                return null;
            }).await());
        } // closed: every report taken has been delivered, and no report comes after this
        assertThat(reports).as("one report while it spins, one when it ends").hasSize(2);
        Stall during = reports.get(0);
        Stall after = reports.get(1);
        assertThat(during.ended()).isFalse();
        assertThat(spinningWhenReported.get(0)).as("reported while the task still spun").isTrue();
        assertThat(during.task()).startsWith("spinner");
        assertThat(during.running()).isGreaterThanOrEqualTo(Duration.ofMillis(50));
        assertThat(Arrays.stream(during.stack()).map(StackTraceElement::getMethodName))
                .as("the stack sampled while it spun shows the spinning method").contains("spinFor");
        assertThat(during.stack()[during.stack().length - 1].getClassName())
                .as("cut at the task's body").startsWith(StallDetectorTest.class.getName());
        assertThat(after.ended()).isTrue();
        assertThat(after.task()).isEqualTo(during.task());
        assertThat(after.executor()).isEqualTo(during.executor());
        assertThat(after.running()).as("the whole poll").isGreaterThanOrEqualTo(Duration.ofMillis(200))
                .isGreaterThan(during.running());
        assertThat(during.toString()).contains("has run").contains("at " + StallDetectorTest.class.getName());
    }

    /**
     * A stall's end that the watchdog took just before the close, for a
     * slow handler: the close returns once the handler has been told. It
     * used to return while the watchdog still delivered it, and the report
     * came after the close.
     */
    @EveryKind
    void aCloseReturnsOnceASlowHandlerHasBeenToldOfTheEnd(ExecutorKind kind) throws InterruptedException {
        List<Stall> told = new CopyOnWriteArrayList<>();
        CountDownLatch endTaken = new CountDownLatch(1);
        var ex = kind.open(new ExecutorKind.Settings(null, Duration.ofMillis(20), s -> {
            if (s.ended()) {
                endTaken.countDown();
                spinFor(300); // a slow handler
            }
            told.add(s);
        }));
        try {
            ex.run(() -> {
                Weft.spawn("spinner", () -> {
                    spinFor(200, () -> !told.isEmpty());
                    return null;
                }).await();
                // Until the watchdog has taken the end (not the loop's exit, which reports it on its own thread).
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (endTaken.getCount() > 0 && System.nanoTime() - deadline < 0) {
                    Weft.sleep(Duration.ofMillis(1)).await();
                }
                return null;
            });
            assertThat(endTaken.getCount()).as("the watchdog took the end").isZero();
        } finally {
            ex.close();
        }
        assertThat(told).extracting(Stall::ended).containsExactly(false, true);
    }

    /**
     * A handler that closes its executor when told of a stall, on every
     * kind: the close returns (the exiting threads do not wait for the
     * delivery that waits for them), and the stall's end is reported.
     */
    @EveryKind
    void aHandlerThatClosesItsExecutorReturns(ExecutorKind kind) throws InterruptedException {
        AtomicReference<ExecutorKind.Running> self = new AtomicReference<>();
        CountDownLatch closed = new CountDownLatch(1);
        List<Stall> told = new CopyOnWriteArrayList<>();
        var ex = kind.open(new ExecutorKind.Settings(null, Duration.ofMillis(20), s -> {
            told.add(s);
            if (!s.ended() && closed.getCount() > 0) {
                self.get().close();
                closed.countDown();
            }
        }));
        self.set(ex);
        try {
            ex.run(() -> {
                spinFor(200, () -> !told.isEmpty());
                return null;
            });
        } catch (TaskCancelledException e) {
            // the close cancelled the root once its spin was over
        }
        assertThat(closed.await(20, TimeUnit.SECONDS)).as("the handler's close returned").isTrue();
        ex.close();
        assertThat(told).extracting(Stall::ended).containsExactly(false, true);
    }

    @EveryKind
    void aTaskThatYieldsEveryFiveMillisecondsIsNeverReported(ExecutorKind kind) {
        List<Stall> reports = new CopyOnWriteArrayList<>();
        long[] longest = new long[1]; // the longest poll as the task saw it (a loaded machine may stretch one)
        try (var ex = kind.open(new ExecutorKind.Settings(null, Duration.ofMillis(50), reports::add))) {
            ex.run(() -> Weft.spawn(() -> {
                for (int i = 0; i < 40; i++) {
                    long began = System.nanoTime(); // this poll's start: the task's start, or its resume
                    spinFor(5);
                    longest[0] = Math.max(longest[0], System.nanoTime() - began);
                    Weft.yieldNow().await();
                }
                return null;
            }).await());
        }
        if (longest[0] < Duration.ofMillis(45).toNanos()) {
            assertThat(reports).as("every poll under the threshold (the longest %d ns)", longest[0]).isEmpty();
        } else { // the thread was taken off its CPU for most of a threshold inside one poll: that one may be a stall
            assertThat(reports).allSatisfy(r -> assertThat(r.running()).isGreaterThanOrEqualTo(Duration.ofMillis(50)));
        }
    }

    @EveryKind
    void aHandlerThatThrowsDoesNotStopTheReports(ExecutorKind kind) {
        List<Stall> reports = new CopyOnWriteArrayList<>();
        try (var ex = kind.open(new ExecutorKind.Settings(null, Duration.ofMillis(20), s -> {
            reports.add(s);
            throw new IllegalStateException("a handler that fails");
        }))) {
            ex.run(() -> {
                spinFor(80, () -> !reports.isEmpty());
                // Until the first stall's two reports are out: the watchdog delivers them (and logs what the
                // handler threw, slowly the first time in a JVM) before it looks again, and a second spin that
                // began meanwhile could end before a look saw it.
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (reports.size() < 2 && System.nanoTime() - deadline < 0) {
                    Weft.sleep(Duration.ofMillis(1)).await();
                }
                spinFor(80, () -> reports.size() >= 3);
                return null;
            });
        }
        assertThat(reports).extracting(Stall::ended).containsExactly(false, true, false, true);
    }

    @Test
    void theWatchdogThreadExitsWhenTheLastDetectingExecutorCloses() throws InterruptedException {
        Thread watchdog;
        try (var a = LocalExecutor.builder().detectStalls(Duration.ofMillis(40)).start();
             var b = StealingExecutor.builder().workers(1).detectStalls().build()) {
            a.spawn(() -> 1).await();
            b.blockOn(() -> 2);
            watchdog = StallWatchdog.threadIfRunning();
            assertThat(watchdog).isNotNull();
            a.close();
            assertThat(watchdog.isAlive()).as("b still detects stalls").isTrue();
        }
        watchdog.join(5_000);
        assertThat(watchdog.isAlive()).isFalse();
        assertThat(StallWatchdog.threadIfRunning()).isNull();
    }

    @Test
    void anExecutorWithoutDetectionStartsNoWatchdog() throws InterruptedException {
        Thread earlier = StallWatchdog.threadIfRunning(); // an earlier test's, on its way out (it exits on its own)
        if (earlier != null) {
            earlier.join(10_000);
        }
        try (var ex = LocalExecutor.create()) {
            ex.run(() -> {
                spinFor(5);
                return null;
            });
            assertThat(StallWatchdog.threadIfRunning()).isNull();
        }
    }

    @Test
    void aThresholdThatIsNotPositiveIsRefusedByName() {
        assertThatThrownBy(() -> LocalExecutor.builder().detectStalls(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be positive");
        assertThatThrownBy(() -> StealingExecutor.builder().detectStalls(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("detectStalls(PT-0.001S)");
        assertThatThrownBy(() -> LocalExecutorPool.builder().detectStalls(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("threshold");
        assertThatThrownBy(() -> LocalExecutor.builder().onStall(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("handler");
    }

    /**
     * A handler that closes its executor when told of a stall: the close
     * waits for the stalled task, then returns, and the watchdog goes on for
     * the other executors. The handler used to run under the watchdog's lock
     * of that executor, which the executor's thread needs on its way out: the
     * two waited for each other for ever, and no executor got reports again.
     */
    @Test
    void aHandlerThatClosesItsExecutorReturnsAndTheWatchdogGoesOn() throws InterruptedException {
        java.util.concurrent.atomic.AtomicReference<LocalExecutor> self = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
        AtomicBoolean told = new AtomicBoolean();
        LocalExecutor ex = LocalExecutor.builder().detectStalls(Duration.ofMillis(20)).onStall(s -> {
            told.set(true);
            if (!s.ended() && closed.getCount() > 0) {
                self.get().close();
                closed.countDown();
            }
        }).start();
        self.set(ex);
        ex.spawn(() -> {
            spinFor(200, told::get);
            return null;
        });
        assertThat(closed.await(20, java.util.concurrent.TimeUnit.SECONDS)).as("the handler's close returned").isTrue();
        assertThat(ex.isClosed()).isTrue();
        List<Stall> others = new CopyOnWriteArrayList<>();
        try (var other = LocalExecutor.builder().detectStalls(Duration.ofMillis(20)).onStall(others::add).start()) {
            other.spawn(() -> {
                spinFor(150, () -> !others.isEmpty());
                return null;
            }).await();
        }
        assertThat(others).as("reports for another executor after it").isNotEmpty();
    }

    /**
     * Durations past what a long of nanoseconds holds are taken as the
     * longest (~146 years), with no bare ArithmeticException naming nothing.
     */
    @Test
    void hugeDurationsAreTakenAsTheLongest() {
        Duration huge = java.time.temporal.ChronoUnit.FOREVER.getDuration();
        LocalExecutor.builder().detectStalls(huge).preemptTimer(huge).spinBeforePark(huge);
        StealingExecutor.builder().detectStalls(huge).spinBeforePark(huge);
        LocalExecutorPool.builder().detectStalls(huge);
    }
}
