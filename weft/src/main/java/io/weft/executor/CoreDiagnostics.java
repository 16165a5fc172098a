package io.weft.executor;

import io.weft.Stall;
import io.weft.TaskInfo;
import io.weft.diag.LoopRequests;
import io.weft.diag.PollProbe;
import io.weft.diag.Registry;
import io.weft.diag.TaskDumps;
import io.weft.task.Task;
import java.util.List;
import java.util.function.Consumer;

/**
 * What a LocalExecutor shows of itself: its poll probe (for the stall
 * watchdog and for dumps its loop cannot answer), the requests its loop
 * answers between polls, and its side of a task dump. Made with its
 * {@link ExecutorCore}; the probe is replaced before the loop first runs
 * if the builder asks for stall detection.
 */
final class CoreDiagnostics implements TaskDumps.Site, Registry.Dumpable {
    private final ExecutorCore core;
    /** Work for the loop thread between two polls (dump requests); any thread offers, the loop runs. */
    private final LoopRequests requests = new LoopRequests();
    PollProbe probe;
    /** System.nanoTime as the loop last read it (slice starts, clock checks, wake-ups): a new task's birth. */
    long coarseNanos;

    CoreDiagnostics(ExecutorCore core) {
        this.core = core;
        this.probe = new PollProbe(core.name, 0, null);
        Registry.add(this);
    }

    void configure(long stallNanos, Consumer<Stall> handler, boolean pollTimeHistogram) {
        probe = new PollProbe(core.name, stallNanos, handler, pollTimeHistogram);
    }

    /** Whether a request waits (read by the idle loop after it announced its sleep). */
    boolean hasRequests() {
        return !requests.isEmpty();
    }

    /** Loop thread, between polls: answers what was asked. */
    void runRequests() {
        requests.runAll();
    }

    @Override
    public String name() {
        return core.name;
    }

    /** The executor has closed (its loop thread, at the end of the close). */
    void closed() {
        Registry.remove(this);
    }

    @Override
    public String dumpName() {
        return core.name;
    }

    @Override
    public PollProbe probe() {
        return probe;
    }

    @Override
    public boolean onLoopThread() {
        return core.inLoop();
    }

    /** Loop thread: the queued tasks (in their queues' order), then every other task that has waited. */
    @Override
    public void collect(TaskDumps.Collector out) {
        core.scheduler.forEachQueued(out::add);
        core.suspended.forEach(out::add);
        Task<?> running = io.weft.coro.Coroutines.currentTask();
        if (running != null) {
            out.add(running); // a task that never waited before, dumping from its own poll
        }
    }

    /**
     * Has the loop answer {@code r} between two polls; with no loop
     * running, this thread takes the loop for the time of {@code r}. False
     * if the executor is closed; IllegalStateException, naming it, if its
     * loop is free but this thread cannot take it (a virtual thread, or one
     * that runs another executor).
     */
    @Override
    public boolean post(Runnable r) {
        for (;;) {
            if (core.isClosed()) {
                return false;
            }
            if (core.loopThread() != null) {
                requests.offer(r);
                core.unparkIfSleeping(); // after the offer: pairs with the idle loop's sleeping-then-look
                return true;
            }
            if (core.runBorrowed(r)) {
                return true;
            }
            if (!LoopEntry.mayRunALoop()) {
                throw new IllegalStateException("no dump of executor " + core.name() + ": its loop is not running,"
                        + " and " + Thread.currentThread() + " cannot take it (a virtual thread, or a task of another"
                        + " executor). Dump it while it runs, or from a platform thread");
            }
            Thread.onSpinWait(); // a loop is starting or ending: look again
        }
    }

    @Override
    public List<io.weft.ExecutorMetrics> metrics() {
        return core.isClosed() ? List.of() : List.of(core.metrics());
    }

    @Override
    public List<TaskInfo> dumpTasks() {
        return TaskDumps.dump(this);
    }
}
