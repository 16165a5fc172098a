package io.weft.sys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How many CPUs the process may run on, read from {@code /proc/self/status}
 * ({@code Cpus_allowed_list}, the main thread's mask, as
 * {@link Affinity#process()} reads it). An executor builder asks this for
 * its default size: {@link Affinity}'s first use links two native calls,
 * which took 50 to 90 ms of a cold JVM's first {@code StealingExecutor}
 * (class generation for the downcalls), and a default needs only the count.
 * Where the file cannot be read or parsed, {@link Affinity#processCpuCount()}.
 */
public final class ProcessCpus {
    private ProcessCpus() {
    }

    public static int count() {
        try {
            int n = countIn(Files.readString(Path.of("/proc/self/status")));
            if (n > 0) {
                return n;
            }
        } catch (IOException | RuntimeException unreadable) {
            // not Linux, or no procfs: ask the system call
        }
        return Affinity.processCpuCount();
    }

    /**
     * The CPUs in the {@code Cpus_allowed_list} line of a
     * {@code /proc/<pid>/status} text ({@code 0-3,8,10-11}: 7), or 0 if there is
     * none or it does not parse.
     */
    static int countIn(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("Cpus_allowed_list:")) {
                return countList(line.substring("Cpus_allowed_list:".length()).trim());
            }
        }
        return 0;
    }

    private static int countList(String list) {
        if (list.isEmpty()) {
            return 0;
        }
        int n = 0;
        try {
            for (String range : list.split(",")) {
                int dash = range.indexOf('-');
                if (dash < 0) {
                    Integer.parseInt(range.trim());
                    n++;
                } else {
                    int from = Integer.parseInt(range.substring(0, dash).trim());
                    int to = Integer.parseInt(range.substring(dash + 1).trim());
                    if (to < from) {
                        return 0;
                    }
                    n += to - from + 1;
                }
            }
        } catch (NumberFormatException e) {
            return 0;
        }
        return n;
    }
}
