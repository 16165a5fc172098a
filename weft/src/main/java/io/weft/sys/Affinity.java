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

    private static final MethodHandle GET;
    private static final MethodHandle SET;
    private static final String UNAVAILABLE;

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
                get = linker.downcallHandle(linker.defaultLookup().find("sched_getaffinity").orElseThrow(), fd, errno);
                set = linker.downcallHandle(linker.defaultLookup().find("sched_setaffinity").orElseThrow(), fd, errno);
            } catch (RuntimeException | LinkageError e) {
                why = "CPU pinning is unavailable: " + e;
            }
        }
        GET = get;
        SET = set;
        UNAVAILABLE = why;
    }

    /** The CPUs the calling thread may run on. */
    public static int[] current() {
        check();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment mask = a.allocate(SET_BYTES);
            MemorySegment state = a.allocate(Linker.Option.captureStateLayout());
            int rc = (int) GET.invokeExact(state, 0, (long) SET_BYTES, mask);
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
            int rc = (int) SET.invokeExact(state, 0, (long) SET_BYTES, mask);
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
        if (UNAVAILABLE != null) {
            throw new UnsupportedOperationException(UNAVAILABLE);
        }
    }
}
