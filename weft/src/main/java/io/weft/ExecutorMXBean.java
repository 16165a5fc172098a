package io.weft;

/**
 * The management interface of every weft executor, registered with the
 * platform MBean server as {@code io.weft:type=Executor,name=<executor name>}
 * while the executor is open (a LocalExecutor, each executor of a pool, a
 * StealingExecutor with its workers' counters summed; see
 * {@link ExecutorMetrics}), so that
 * {@code jconsole} and any JMX agent see weft. The registration is done by a
 * background thread, so that making an executor never waits for the MBean
 * server; {@code -Dweft.jmx=false} turns it off.
 */
public interface ExecutorMXBean {
    /** The executor's name. */
    String getName();

    /** Tasks spawned and not yet finished. */
    long getTasksAlive();

    long getTasksSpawned();

    long getTasksCompleted();

    /** Task polls. */
    long getPolls();

    /** Times its threads parked for lack of work. */
    long getParks();

    /** Tasks woken from other threads. */
    long getRemoteWakes();

    /** Time its threads spent running tasks (a StealingExecutor: out of park), in ns. */
    long getBusyNanos();

    /** Times its threads woke from a park ({@code Parks - Unparks} is how many are parked now). */
    long getUnparks();

    /** Polls in which a task spent its cooperative budget and was made to yield. */
    long getBudgetForcedYields();

    /** Tasks ready to run now. */
    long getQueueDepth();

    /** Times a worker took tasks from another (a StealingExecutor). */
    long getSteals();

    /** I/O completions and readiness events its reactors handled. */
    long getReactorCompletions();

    /** Every live task, as a thread-dump-like text ({@link TaskInfo#toText}). */
    String dumpTasks();

    /** Every live task as JSON ({@link TaskInfo#toJson}). */
    String dumpTasksJson();
}
