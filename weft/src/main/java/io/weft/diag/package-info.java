/**
 * Seeing inside a running runtime (issue 12): the stall watchdog, task
 * dumps, weft's JFR events, the registry of the process's executors.
 *
 * <h2>Threads and fields</h2>
 * <ul>
 *   <li>{@link io.weft.diag.PollProbe}: one per executor thread (a
 *       LocalExecutor's loop, a StealingExecutor's worker). Its loop thread
 *       alone writes {@code task} (release, before and after each poll),
 *       {@code start}, {@code lastStart}, {@code lastEnd} (opaque, only
 *       while stall detection or io.weft.SlowPoll is on) and
 *       {@code timed} (its thread only). Other threads (the watchdog, a dump
 *       the loop does not answer) read them: they acquire {@code task},
 *       read {@code start}, and acquire {@code task} again; the same task
 *       twice means that start is of a poll of that task (the loop writes
 *       start before the task; jcstress {@code PollProbeTest} shows that a
 *       later task is never paired with an earlier start). With detection
 *       and SlowPoll off the loop stores only the task's id (opaque), for a
 *       dump it cannot answer. The watchdog's own fields
 *       ({@code reportedStart}, {@code reported}) are under the probe's
 *       monitor, which the watchdog holds while it looks and a closing
 *       loop takes to report a stall's end. A look that takes reports
 *       marks the probe {@code delivering} (under the monitor) until its
 *       handler has returned; a loop that exits waits for that first, so
 *       after {@code loopExited} returns every report of the probe has
 *       been delivered and none comes. The one exception: a handler that
 *       waits for the loops it closes ({@code handlerWaitsForLoops}, called
 *       where a close waits) is not waited for, or each would wait for the
 *       other.</li>
 *   <li>{@link io.weft.diag.StallWatchdog}: one daemon thread for the
 *       process, started by the first probe registered (a loop with
 *       detection on entering) and ending once none is left. A stall is
 *       reported at most once while it lasts (when a look finds the same
 *       poll past the threshold) and once when it is over; handlers run on
 *       the watchdog thread (the end of a stall whose loop exits, on the
 *       loop's thread as it exits), outside the probe's monitor (a handler
 *       may close its executor, whose thread takes that monitor on its way
 *       out), and one that throws is logged.</li>
 *   <li>{@link io.weft.diag.TaskDumps}: a task's frames are read only by
 *       the thread that runs it, between polls. A dump from another thread
 *       is a request offered to the loop's queue (any thread offers; the
 *       loop runs it at its next maintenance, before it parks, or when it
 *       leaves), then the asker waits a quarter of a second at most. Which
 *       tasks a loop may read: a LocalExecutor's are all its own; a
 *       StealingExecutor worker's are those that live on it (a task never
 *       leaves the worker of its first run, see {@code io.weft.steal}) and
 *       the not-yet-started ones in its own queue (only its thread writes
 *       slots, so the slots it reads do not change meanwhile; a thief may
 *       take one: it then appears once, as queued). A task that runs while
 *       another thread builds a dump is read from outside only through the
 *       probe: its id, name, polls and birth (plain fields written once or
 *       by its thread: a stale value at worst) and its thread's stack.</li>
 *   <li>{@link io.weft.diag.Registry}: executors, weakly, under the list's
 *       monitor; any thread.</li>
 *   <li>{@link io.weft.diag.WeftEvents}: the {@code slowPollOn} flag is
 *       written by JFR's recorder listener (any thread) and read by the
 *       loops around each poll; a loop that sees it late times one poll
 *       more or less.</li>
 * </ul>
 *
 * <h2>Costs while off</h2>
 * Per poll: one reference store and one null store in the probe, and one
 * read of {@code slowPollOn}. Per suspension: one read of the debug-check
 * flag ({@code io.weft.coro.AwaitChecks}). Per task: a poll count and a
 * birth time (the worker's last clock read, no clock read per spawn).
 */
package io.weft.diag;
