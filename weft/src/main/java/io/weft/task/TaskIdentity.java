package io.weft.task;

/**
 * What names a task and says how it has fared, for messages and dumps: its
 * name, the owner's sequence number, when it was taken in, how many times it
 * was polled, and where it waits. The owner's thread writes these (once, or
 * at each poll); {@link Task} adds the state machine.
 */
public abstract class TaskIdentity {
    private final String name;
    /**
     * The owner's sequence number of this task (1, 2, ... per executor), set
     * once by the owner thread when it admits the task; 0 before (a task
     * spawned from another thread, not yet admitted). A plain field: another
     * thread may read 0 for a while, which only shows in {@link #toString()}.
     */
    private long id;
    /** How many times it has been polled (the polling thread writes it; dumps read it on that thread). */
    private int polls;
    /**
     * When its executor took it in, in ticks of 2^20 ns (about a millisecond) of {@code System.nanoTime()}
     * as its worker last read the clock (within a few polls of the truth, never a clock read per spawn),
     * the lowest bit set so that 0 means not yet; set once, like {@link #id}. An int rather than a long
     * (4 bytes less per task): ages are right to about 2 ms, up to 26 days ({@link #ageNanos}).
     */
    private int born;

    protected TaskIdentity(String name) {
        this.name = name;
    }

    /** The name given at spawn, or null. */
    public final String name() {
        return name;
    }

    /** The owner's sequence number of this task, 1 for its first; 0 until the owner admits it. */
    public final long id() {
        return id;
    }

    /** Called once by the owner, on its thread, when it admits the task. */
    public final void assignId(long id) {
        this.id = id;
    }

    /** Called once by the owner's thread when it takes the task in: {@code nanos} is its worker's recent clock read. */
    public final void assignBorn(long nanos) {
        this.born = ticks(nanos);
    }

    private static int ticks(long nanos) {
        return (int) (nanos >> 20) | 1;
    }

    /**
     * How long ago the executor took the task in, as of {@code now}
     * ({@code System.nanoTime()}), to about 2 ms; 0 before it did. Right
     * for ages up to about 26 days (2^31 ticks); older tasks read a wrong
     * age, 0 from then to 52 days.
     */
    public final long ageNanos(long now) {
        int b = born;
        return b == 0 ? 0 : (long) Math.max(0, ticks(now) - b) << 20;
    }

    /** How many times the task has been polled. */
    public final int polls() {
        return polls;
    }

    /**
     * Where the task waits, innermost frame first, for a dump: the stack
     * of a coroutine task suspended in {@code await()}; empty for a task
     * with no frames of its own (a future polled by the executor, a task
     * not yet started). Only on the thread that runs the task, while it
     * is not being polled: a suspended continuation is read only where it
     * cannot resume meanwhile.
     */
    public StackTraceElement[] suspendedStack() {
        return NO_FRAMES;
    }

    protected static final StackTraceElement[] NO_FRAMES = new StackTraceElement[0];

    /** Called by the polling thread at each poll. */
    final void countPoll() {
        polls++;
    }

    /**
     * How messages and failure reports name the task: its name if it was
     * given one, else {@code #} and its id ({@code #17}, as in "task #17 was
     * cancelled"); {@code #?} before the owner admitted it.
     */
    @Override
    public String toString() {
        if (name != null) {
            return name;
        }
        long n = id;
        return n != 0 ? "#" + n : "#?";
    }
}
