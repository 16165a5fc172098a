package io.weft.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU affinity of the calling thread, through sched_getaffinity(2) and
 * sched_setaffinity(2) called with the Foreign Function &amp; Memory API.
 * Linux only; elsewhere every call throws {@link UnsupportedOperationException}.
 */
public final class Affinity {
    private Affinity() {
    }

    /** cpu_set_t: 1024 bits. */
    private static final int SET_BYTES = 128;

    /**
     * The two downcalls, linked at their first use: linking them generates
     * classes, tens of milliseconds of a cold JVM, which a helper thread's
     * {@link #unpinHelperThread} paid at every first executor start though
     * nothing was pinned.
     */
    private static final class Native {
        static final MethodHandle GET;
        static final MethodHandle SET;
        static final String UNAVAILABLE;

        static {
            MethodHandle get = null;
            MethodHandle set = null;
            String why = null;
            if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
                why = "CPU pinning needs Linux (sched_setaffinity); this is " + System.getProperty("os.name");
            } else {
                try {
                    Linker linker = Linker.nativeLinker();
                    FunctionDescriptor fd = FunctionDescriptor.of(ValueLayout.JAVA_INT,
                            ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS);
                    Linker.Option errno = Linker.Option.captureCallState("errno");
                    get = linker.downcallHandle(linker.defaultLookup().find("sched_getaffinity").orElseThrow(), fd,
                            errno);
                    set = linker.downcallHandle(linker.defaultLookup().find("sched_setaffinity").orElseThrow(), fd,
                            errno);
                } catch (RuntimeException | LinkageError e) {
                    why = "CPU pinning is unavailable: " + e;
                }
            }
            GET = get;
            SET = set;
            UNAVAILABLE = why;
        }
    }

    /** The CPUs the calling thread may run on. */
    public static int[] current() {
        return of(0);
    }

    /**
     * The CPUs the process may run on: its main thread's mask (taskset,
     * cgroups, a container's cpuset), which an executor's pinning of its own
     * threads does not change.
     */
    public static int[] process() {
        return of((int) ProcessHandle.current().pid());
    }

    /**
     * Lets the calling thread, a helper that weft starts (a blocking-pool
     * thread, the stall watchdog), run on every CPU of the process: a Linux
     * thread starts with its creator's mask, which is one executor's CPU
     * when a pinned executor thread started it. Does nothing off Linux,
     * or when the mask cannot be read or set. A thread whose mask is already
     * the process's (procfs tells, {@link ProcessCpus}) returns at once: the
     * JMX helper that every executor's start begins did so, and linked the
     * native calls each time, in a cold JVM tens of milliseconds of CPU.
     */
    public static void unpinHelperThread() {
        if (ProcessCpus.threadHasProcessMask()) {
            return; // nothing to widen: procfs said so, and the native calls are not linked for it
        }
        if (Native.UNAVAILABLE != null) {
            return;
        }
        try {
            set(process());
        } catch (RuntimeException cannot) {
            // the thread keeps the mask it was born with
        }
    }

    /** How many CPUs the process may use ({@link #process()}); off Linux, what the JVM says it has. */
    public static int processCpuCount() {
        if (Native.UNAVAILABLE != null) {
            return Runtime.getRuntime().availableProcessors();
        }
        return process().length;
    }

    /** The mask of thread {@code tid} (0: the calling thread). */
    private static int[] of(int tid) {
        check();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment mask = a.allocate(SET_BYTES);
            MemorySegment state = a.allocate(Linker.Option.captureStateLayout());
            int rc = (int) Native.GET.invokeExact(state, tid, (long) SET_BYTES, mask);
            if (rc != 0) {
                throw new IllegalStateException("sched_getaffinity failed: errno " + errno(state));
            }
            List<Integer> cpus = new ArrayList<>();
            for (int cpu = 0; cpu < SET_BYTES * 8; cpu++) {
                if ((mask.get(ValueLayout.JAVA_BYTE, cpu / 8) & (1 << (cpu % 8))) != 0) {
                    cpus.add(cpu);
                }
            }
            return cpus.stream().mapToInt(Integer::intValue).toArray();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("sched_getaffinity failed", t);
        }
    }

    /** Pins the calling thread to {@code cpu}. */
    public static void pin(int cpu) {
        set(new int[] {cpu});
    }

    /** Lets the calling thread run on exactly {@code cpus}. */
    public static void set(int[] cpus) {
        check();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment mask = a.allocate(SET_BYTES);
            for (int cpu : cpus) {
                if (cpu < 0 || cpu >= SET_BYTES * 8) {
                    throw new IllegalArgumentException("cpu " + cpu + " is out of range 0.." + (SET_BYTES * 8 - 1));
                }
                int i = cpu / 8;
                mask.set(ValueLayout.JAVA_BYTE, i, (byte) (mask.get(ValueLayout.JAVA_BYTE, i) | (1 << (cpu % 8))));
            }
            MemorySegment state = a.allocate(Linker.Option.captureStateLayout());
            int rc = (int) Native.SET.invokeExact(state, 0, (long) SET_BYTES, mask);
            if (rc != 0) {
                int e = errno(state);
                throw new IllegalArgumentException("sched_setaffinity(" + java.util.Arrays.toString(cpus)
                        + ") failed: errno " + e + (e == 22 ? " (EINVAL: no such CPU is online or allowed)" : ""));
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("sched_setaffinity failed", t);
        }
    }

    private static int errno(MemorySegment state) {
        return state.get(ValueLayout.JAVA_INT,
                Linker.Option.captureStateLayout().byteOffset(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno")));
    }

    private static void check() {
        if (Native.UNAVAILABLE != null) {
            throw new UnsupportedOperationException(Native.UNAVAILABLE);
        }
    }
}
