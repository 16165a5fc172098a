package io.weft.sys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The CPUs this process may use and where each sits: NUMA node, package,
 * core, and its rank among its core's SMT siblings. Read from sysfs
 * ({@code /sys/devices/system/cpu}); a CPU whose topology files are missing
 * (some containers) counts as a core of its own in node 0, package 0.
 *
 * @param cpus every usable CPU, ordered by CPU number
 */
public record Topology(List<Cpu> cpus) {

    /** One CPU: its number, node, package, core id (unique within the package), and sibling rank (0 first). */
    public record Cpu(int id, int node, int pkg, int core, int sibling) {
    }

    /** The CPUs the calling thread may use (sched_getaffinity: taskset, cgroups, containers), from sysfs. */
    public static Topology ofThisProcess() {
        return read(Path.of("/sys/devices/system/cpu"), Affinity.process()); // not the calling thread's: it may be pinned
    }

    /** The topology of {@code usable} CPUs, read below {@code root} (a sysfs cpu folder, or a test's copy). */
    public static Topology read(Path root, int[] usable) {
        List<Cpu> out = new ArrayList<>();
        for (int id : Arrays.stream(usable).sorted().distinct().toArray()) {
            Path cpu = root.resolve("cpu" + id);
            Path topo = cpu.resolve("topology");
            int pkg = readInt(topo.resolve("physical_package_id"), 0);
            int core = readInt(topo.resolve("core_id"), id);
            int[] siblings = readList(topo.resolve("thread_siblings_list"));
            int rank = 0;
            for (int s : siblings) {
                if (s < id) {
                    rank++;
                }
            }
            out.add(new Cpu(id, node(cpu), pkg, core, rank));
        }
        return new Topology(List.copyOf(out));
    }

    /** Every usable CPU number, in order. */
    public int[] ids() {
        return cpus.stream().mapToInt(Cpu::id).toArray();
    }

    /**
     * Usable CPUs spread as far apart as they go: the first sibling of each
     * core before any second one; within that, cores taken round-robin over
     * NUMA nodes, then over packages within a node (glommio's MaxSpread).
     */
    public List<Integer> spreadOrder() {
        List<Integer> order = new ArrayList<>();
        int maxSibling = cpus.stream().mapToInt(Cpu::sibling).max().orElse(0);
        for (int rank = 0; rank <= maxSibling; rank++) {
            int r = rank;
            List<List<List<Cpu>>> byNodeThenPkg = new ArrayList<>();
            for (int node : distinct(cpus.stream().map(Cpu::node))) {
                List<List<Cpu>> pkgs = new ArrayList<>();
                for (int pkg : distinct(cpus.stream().filter(c -> c.node == node).map(Cpu::pkg))) {
                    pkgs.add(cpus.stream().filter(c -> c.node == node && c.pkg == pkg && c.sibling == r)
                            .sorted(Comparator.comparingInt(Cpu::core).thenComparingInt(Cpu::id)).toList());
                }
                byNodeThenPkg.add(pkgs);
            }
            // round-robin: node 0 pkg 0, node 1 pkg 0, ..., node 0 pkg 1, ... one core at a time
            boolean any = true;
            for (int step = 0; any; step++) {
                any = false;
                int maxPkgs = byNodeThenPkg.stream().mapToInt(List::size).max().orElse(0);
                for (int p = 0; p < maxPkgs; p++) {
                    for (List<List<Cpu>> node : byNodeThenPkg) {
                        if (p < node.size() && step < node.get(p).size()) {
                            order.add(node.get(p).get(step).id);
                            any = true;
                        }
                    }
                }
            }
        }
        return order;
    }

    /**
     * Usable CPUs packed as close as they go: a core's siblings together, the
     * cores of a package before the next package, the packages of a NUMA node
     * before the next node (glommio's MaxPack).
     */
    public List<Integer> packOrder() {
        return cpus.stream().sorted(Comparator.comparingInt(Cpu::node).thenComparingInt(Cpu::pkg)
                .thenComparingInt(Cpu::core).thenComparingInt(Cpu::sibling).thenComparingInt(Cpu::id))
                .map(Cpu::id).toList();
    }

    private static List<Integer> distinct(Stream<Integer> s) {
        return new ArrayList<>(new TreeSet<>(s.toList()));
    }

    /** The NUMA node of a CPU: its {@code nodeN} entry, or 0 without one. */
    private static int node(Path cpu) {
        if (!Files.isDirectory(cpu)) {
            return 0;
        }
        try (Stream<Path> entries = Files.list(cpu)) {
            return entries.map(p -> p.getFileName().toString()).filter(n -> n.matches("node\\d+"))
                    .mapToInt(n -> Integer.parseInt(n.substring(4))).min().orElse(0);
        } catch (IOException e) {
            return 0;
        }
    }

    private static int readInt(Path p, int orElse) {
        try {
            return Integer.parseInt(Files.readString(p).trim());
        } catch (IOException | NumberFormatException e) {
            return orElse;
        }
    }

    /** A sysfs CPU list ("0-3,8,10-11"); empty if the file is missing. */
    static int[] readList(Path p) {
        String s;
        try {
            s = Files.readString(p).trim();
        } catch (java.nio.file.NoSuchFileException e) {
            return new int[0];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return parseList(s);
    }

    /**
     * Parses a CPU list such as {@code 0-3,8,10-11} (NumberFormatException if
     * a part is not a number). No streams: an executor's start reads the
     * process's list through it ({@link ProcessCpus}), where a cold JVM's
     * first stream costs milliseconds.
     */
    public static int[] parseList(String s) {
        int[] out = new int[8];
        int n = 0;
        for (String part : s.split(",")) {
            part = part.trim();
            if (part.isEmpty()) {
                continue;
            }
            int dash = part.indexOf('-');
            int lo = Integer.parseInt(dash < 0 ? part : part.substring(0, dash));
            int hi = dash < 0 ? lo : Integer.parseInt(part.substring(dash + 1));
            for (int c = lo; c <= hi; c++) {
                if (n == out.length) {
                    out = Arrays.copyOf(out, 2 * n);
                }
                out[n++] = c;
            }
        }
        return Arrays.copyOf(out, n);
    }
}
