package io.weft;

import io.weft.sys.Topology;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Where the executors of a {@link LocalExecutorPool} run (glommio's
 * {@code PoolPlacement}). Only the CPUs this process may use count: those of
 * {@code sched_getaffinity}, so {@code taskset}, cgroups and containers are
 * honoured; the topology (NUMA nodes, packages, cores, SMT siblings) comes
 * from sysfs.
 *
 * <ul>
 *   <li>{@link #unbound()}: no pinning; the kernel places the threads.</li>
 *   <li>{@link #fenced(int...)}: every executor may run on any of these CPUs.</li>
 *   <li>{@link #maxSpread()}: one CPU each, as far apart as they go: across
 *       NUMA nodes and packages, one sibling of every core before the second
 *       sibling of any.</li>
 *   <li>{@link #maxPack()}: one CPU each, as close as they go: a core's
 *       siblings, then the next core of the package, then the next package.</li>
 *   <li>{@link #custom(List)}: executor i may run on the CPUs of entry i.</li>
 * </ul>
 * A placement that asks for CPUs the process may not use, or, for maxSpread
 * and maxPack, more executors than usable CPUs, fails with
 * IllegalArgumentException naming the usable CPUs.
 */
public final class Placement {
    private enum Kind { UNBOUND, FENCED, SPREAD, PACK, CUSTOM }

    private final Kind kind;
    private final List<int[]> sets;

    private Placement(Kind kind, List<int[]> sets) {
        this.kind = kind;
        this.sets = sets;
    }

    public static Placement unbound() {
        return new Placement(Kind.UNBOUND, List.of());
    }

    public static Placement fenced(int... cpus) {
        if (cpus == null || cpus.length == 0) {
            throw new IllegalArgumentException("Placement.fenced needs at least one CPU");
        }
        return new Placement(Kind.FENCED, List.of(cpus.clone()));
    }

    public static Placement maxSpread() {
        return new Placement(Kind.SPREAD, List.of());
    }

    public static Placement maxPack() {
        return new Placement(Kind.PACK, List.of());
    }

    /** Executor i may run on the CPUs of {@code cpuSets.get(i)}; as many entries as executors. */
    public static Placement custom(List<int[]> cpuSets) {
        if (cpuSets == null || cpuSets.isEmpty()) {
            throw new IllegalArgumentException("Placement.custom needs one CPU set per executor");
        }
        List<int[]> copy = new ArrayList<>();
        for (int i = 0; i < cpuSets.size(); i++) {
            int[] s = cpuSets.get(i);
            if (s == null || s.length == 0) {
                throw new IllegalArgumentException("Placement.custom: the CPU set of executor " + i + " is empty");
            }
            copy.add(s.clone());
        }
        return new Placement(Kind.CUSTOM, List.copyOf(copy));
    }

    /** Whether this placement pins nothing. */
    public boolean isUnbound() {
        return kind == Kind.UNBOUND;
    }

    /** {@link #assign} on this process's topology (read from sysfs unless the placement is unbound). */
    List<int[]> assignHere(int executors) {
        return assignHere(executors, "executor");
    }

    /** As {@link #assignHere(int)}; {@code unit} names what is placed in messages ("executor", "worker"). */
    List<int[]> assignHere(int n, String unit) {
        return assign(n, isUnbound() ? new Topology(List.of()) : Topology.ofThisProcess(), unit);
    }

    List<int[]> assign(int executors, Topology topology) {
        return assign(executors, topology, "executor");
    }

    /** A copy of {@code sets}, each array copied, for a caller that may change it. */
    static List<int[]> copies(List<int[]> sets) {
        List<int[]> out = new ArrayList<>(sets.size());
        for (int[] c : sets) {
            out.add(c.clone());
        }
        return out;
    }

    /**
     * The CPU set of each of {@code executors} executors, on {@code topology}
     * (an empty set: not pinned).
     */
    List<int[]> assign(int executors, Topology topology, String unit) {
        List<int[]> out = new ArrayList<>(executors);
        if (kind == Kind.UNBOUND) { // the default: no CPU set is read (a cold JVM's first streams cost milliseconds)
            for (int i = 0; i < executors; i++) {
                out.add(new int[0]);
            }
            return out;
        }
        int[] usable = topology.ids();
        Set<Integer> allowed = Arrays.stream(usable).boxed().collect(Collectors.toCollection(TreeSet::new));
        switch (kind) {
            case FENCED -> {
                int[] set = sets.get(0);
                checkUsable(set, allowed, "fenced");
                for (int i = 0; i < executors; i++) {
                    out.add(set.clone());
                }
            }
            case SPREAD, PACK -> {
                List<Integer> order = kind == Kind.SPREAD ? topology.spreadOrder() : topology.packOrder();
                if (executors > order.size()) {
                    throw new IllegalArgumentException((kind == Kind.SPREAD ? "maxSpread" : "maxPack") + " with "
                            + executors + " " + unit + "s: this process may use only " + order.size() + " CPU(s) "
                            + allowed + " (sched_getaffinity); give fewer " + unit + "s, or another placement");
                }
                for (int i = 0; i < executors; i++) {
                    out.add(new int[] {order.get(i)});
                }
            }
            case CUSTOM -> {
                if (sets.size() != executors) {
                    throw new IllegalArgumentException("Placement.custom has " + sets.size() + " CPU set(s) for "
                            + executors + " " + unit + "s");
                }
                for (int[] set : sets) {
                    checkUsable(set, allowed, "custom");
                    out.add(set.clone());
                }
            }
        }
        return out;
    }

    private static void checkUsable(int[] set, Set<Integer> allowed, String what) {
        for (int c : set) {
            if (!allowed.contains(c)) {
                throw new IllegalArgumentException("Placement." + what + " names CPU " + c + ", which this process"
                        + " may not use: its usable CPUs are " + allowed + " (sched_getaffinity)");
            }
        }
    }

    /** Which CPUs each executor got, e.g. "executor 0: CPU 0; executor 1: CPU 2", or "unbound". */
    static String describe(List<int[]> assigned) {
        if (assigned.stream().allMatch(s -> s.length == 0)) {
            return "unbound";
        }
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < assigned.size(); i++) {
            int[] s = assigned.get(i);
            parts.add("executor " + i + ": " + (s.length == 0 ? "unbound"
                    : s.length == 1 ? "CPU " + s[0] : "CPUs " + Arrays.toString(s)));
        }
        return String.join("; ", parts);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case UNBOUND -> "unbound";
            case FENCED -> "fenced" + Arrays.toString(sets.get(0));
            case SPREAD -> "maxSpread";
            case PACK -> "maxPack";
            case CUSTOM -> "custom" + sets.stream().map(Arrays::toString).toList();
        };
    }
}
