package io.weft;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.sync.Notify;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code -Dweft.debug.spawnSite=true}: a dump shows where each task was
 * spawned. The switch is read once per JVM, so the check runs in a JVM of
 * its own ({@link Main}).
 */
class SpawnSiteTest {

    /** Spawns a task from {@link #spawnHere}, dumps while it waits, prints the dump. */
    public static final class Main {
        public static void main(String[] args) {
            try (var ex = LocalExecutor.create()) {
                String text = ex.run(() -> {
                    Notify gate = Notify.create();
                    var h = spawnHere(gate);
                    Weft.yieldNow().await();
                    String t = TaskInfo.toText(ex.dumpTasks()) + TaskInfo.toJson(ex.dumpTasks());
                    gate.notifyWaiters();
                    h.await();
                    return t;
                });
                System.out.println(text);
            }
        }

        static JoinHandle<Object> spawnHere(Notify gate) {
            return Weft.spawn("spawned-task", () -> {
                gate.notified().await();
                return null;
            });
        }
    }

    @Test
    void withTheSwitchOnADumpShowsWhereEachTaskWasSpawned() throws Exception {
        String out = runMain(true);
        assertThat(out).contains("\"spawned-task\"");
        int block = out.indexOf("\"spawned-task\"");
        String after = out.substring(block);
        assertThat(after).contains("spawned at:");
        assertThat(after.substring(after.indexOf("spawned at:")).lines().skip(1).findFirst().orElseThrow())
                .as("the first frame under 'spawned at' is the code that spawned it")
                .contains("SpawnSiteTest$Main.spawnHere(");
        assertThat(out).contains("\"spawnedAt\":[\"io.weft.SpawnSiteTest$Main.spawnHere(");
    }

    @Test
    void withTheSwitchOffNothingIsRecorded() throws Exception {
        String out = runMain(false);
        assertThat(out).contains("\"spawned-task\"").doesNotContain("spawned at:").contains("\"spawnedAt\":[]");
    }

    private static String runMain(boolean on) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElseThrow());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-exports") || a.startsWith("--enable-native-access")) {
                cmd.add(a);
            }
        }
        cmd.add("-Dweft.debug.spawnSite=" + on);
        cmd.add("-Dweft.jmx=false");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
