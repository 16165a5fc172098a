package io.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.sys.Topology;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Placement on a made-up sysfs: 2 NUMA nodes, one package each, 2 cores per
 * package, 2 SMT siblings per core (CPUs 0-7, siblings 0+4, 1+5, 2+6, 3+7;
 * node 0 has cores 0 and 1, node 1 has cores 2 and 3).
 */
class PlacementTest {
    @TempDir
    Path sys;

    Topology fake(int... usable) throws Exception {
        for (int cpu = 0; cpu < 8; cpu++) {
            int core = cpu % 4;
            int node = core < 2 ? 0 : 1;
            Path topo = Files.createDirectories(sys.resolve("cpu" + cpu).resolve("topology"));
            Files.createDirectories(sys.resolve("cpu" + cpu).resolve("node" + node));
            Files.writeString(topo.resolve("physical_package_id"), node + "\n");
            Files.writeString(topo.resolve("core_id"), core + "\n");
            Files.writeString(topo.resolve("thread_siblings_list"), core + "," + (core + 4) + "\n");
        }
        return Topology.read(sys, usable);
    }

    static List<List<Integer>> sets(List<int[]> a) {
        return a.stream().map(s -> java.util.Arrays.stream(s).boxed().toList()).toList();
    }

    @Test
    void maxSpreadCrossesNodesAndCoresBeforeSiblings() throws Exception {
        Topology t = fake(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(t.spreadOrder()).containsExactly(0, 2, 1, 3, 4, 6, 5, 7);
        assertThat(sets(Placement.maxSpread().assign(4, t))).containsExactly(List.of(0), List.of(2), List.of(1),
                List.of(3));
    }

    @Test
    void maxPackFillsACoreThenAPackageThenANode() throws Exception {
        Topology t = fake(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(t.packOrder()).containsExactly(0, 4, 1, 5, 2, 6, 3, 7);
        assertThat(sets(Placement.maxPack().assign(3, t))).containsExactly(List.of(0), List.of(4), List.of(1));
    }

    @Test
    void onlyUsableCpusCount() throws Exception {
        Topology t = fake(1, 3, 5); // as under taskset -c 1,3,5
        assertThat(t.spreadOrder()).containsExactly(1, 3, 5);
        assertThatThrownBy(() -> Placement.maxSpread().assign(4, t)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxSpread with 4 executors").hasMessageContaining("[1, 3, 5]");
        assertThatThrownBy(() -> Placement.fenced(0, 1).assign(2, t)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CPU 0").hasMessageContaining("[1, 3, 5]");
        assertThat(sets(Placement.fenced(1, 5).assign(2, t))).containsExactly(List.of(1, 5), List.of(1, 5));
        assertThatThrownBy(() -> Placement.custom(List.of(new int[] {1})).assign(2, t))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 CPU set(s) for 2 executors");
        assertThat(Placement.describe(Placement.custom(List.of(new int[] {1}, new int[] {3, 5})).assign(2, t)))
                .isEqualTo("executor 0: CPU 1; executor 1: CPUs [3, 5]");
        assertThat(Placement.describe(Placement.unbound().assign(2, t))).isEqualTo("unbound");
    }

    @Test
    void cpuListsAreParsedAsSysfsWritesThem() {
        assertThat(Topology.parseList("0-3,8,10-11")).containsExactly(0, 1, 2, 3, 8, 10, 11);
        assertThat(Topology.parseList("5")).containsExactly(5);
    }

    @Test
    void thisMachinesTopologyCoversTheUsableCpus() {
        Topology t = Topology.ofThisProcess();
        assertThat(t.ids()).isEqualTo(io.weft.sys.Affinity.current());
        assertThat(t.spreadOrder()).containsExactlyInAnyOrderElementsOf(t.packOrder());
    }

    /** A JVM started under {@code taskset -c 0} may use one CPU: maxSpread of 2 executors says so. */
    @Test
    void aProcessConfinedToOneCpuGetsTheClearError() throws Exception {
        String java = System.getProperty("java.home") + "/bin/java";
        var pb = new ProcessBuilder(List.of("taskset", "-c", "0", java, "--enable-native-access=ALL-UNNAMED",
                "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), PlacementMain.class.getName()));
        pb.redirectErrorStream(true);
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).contains("IllegalArgumentException: maxSpread with 2 executors: this process may use only"
                + " 1 CPU(s) [0]");
        assertThat(out).contains("unbound pool ran on 2 executors");
    }

    @Test
    void aStealingExecutorWithMoreWorkersThanCpusSaysWorkers() {
        int cpus = io.weft.sys.Affinity.current().length;
        assertThatThrownBy(() -> StealingExecutor.builder().workers(cpus + 1).placement(Placement.maxSpread()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxSpread with " + (cpus + 1) + " workers: this process may use only")
                .hasMessageContaining("give fewer workers");
    }
}
