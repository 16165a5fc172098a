package io.weft.sys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;

/**
 * The CPUs of the process and of the calling thread, read from procfs
 * without the Foreign Function API: {@link Affinity}'s first use links two
 * native calls, which took 50 to 90 ms of a cold JVM's first
 * {@code StealingExecutor} (class generation for the downcalls), and an
 * executor's start needs only a count, and a helper thread only to know
 * whether its mask is narrower than the process's.
 *
 * <p>{@code Cpus_allowed_list} in {@code /proc/<pid>/status} is the whole
 * affinity mask, which may name CPUs that are possible but not online (a
 * VM that allows hot-plugged CPUs gives every process a mask of all of
 * them); {@code sched_getaffinity} answers the mask and the active CPUs
 * together, so the count here is the mask's CPUs that are also in
 * {@code /sys/devices/system/cpu/online}. Where a file cannot be read or
 * parsed, {@link Affinity} is asked.
 */
public final class ProcessCpus {
    private ProcessCpus() {
    }

    private static final Path PROCESS = Path.of("/proc/self/status");
    private static final Path THREAD = Path.of("/proc/thread-self/status");
    private static final Path ONLINE = Path.of("/sys/devices/system/cpu/online");

    /** How many CPUs the process may run on (its main thread's mask, online CPUs only). */
    public static int count() {
        int n = countOf(read(PROCESS), read(ONLINE));
        return n > 0 ? n : Affinity.processCpuCount();
    }

    /** The CPUs of a status text's mask that the online list names too; 0 if either is missing or broken. */
    static int countOf(String status, String online) {
        BitSet mask = maskIn(status);
        BitSet up = online == null ? null : parseList(online.trim());
        if (mask == null || up == null) {
            return 0;
        }
        mask.and(up);
        return mask.cardinality();
    }

    /**
     * Whether the calling thread's mask is the process's (its main
     * thread's), as procfs says; false if either cannot be read, so that
     * the caller asks the system call.
     */
    static boolean threadHasProcessMask() {
        BitSet process = maskIn(read(PROCESS));
        BitSet thread = maskIn(read(THREAD));
        return process != null && process.equals(thread);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException | RuntimeException unreadable) {
            return null; // not Linux, or no procfs
        }
    }

    /** The CPUs of the {@code Cpus_allowed_list} line of a {@code /proc/<pid>/status} text, or null. */
    static BitSet maskIn(String status) {
        if (status == null) {
            return null;
        }
        for (String line : status.split("\n")) {
            if (line.startsWith("Cpus_allowed_list:")) {
                return parseList(line.substring("Cpus_allowed_list:".length()).trim());
            }
        }
        return null;
    }

    /** A CPU list ({@code 0-3,8,10-11}, {@link Topology#parseList}), or null if it names none or does not parse. */
    static BitSet parseList(String list) {
        int[] ids;
        try {
            ids = Topology.parseList(list);
        } catch (NumberFormatException e) {
            return null;
        }
        if (ids.length == 0) {
            return null;
        }
        BitSet cpus = new BitSet();
        for (int c : ids) {
            if (c < 0) {
                return null;
            }
            cpus.set(c);
        }
        return cpus;
    }
}
