package io.weft;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Without the jdk.internal.vm export: one clear error that names the flag. */
class FlagTest {
    static final String FLAG = "--add-exports java.base/jdk.internal.vm=ALL-UNNAMED";

    @ParameterizedTest
    @ValueSource(strings = {"root", "from-poll"})
    void missingAddExportsGivesOneClearErrorNamingTheFlag(String variant) throws Exception {
        String java = System.getProperty("java.home") + "/bin/java";
        var pb = new ProcessBuilder(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), MissingFlagMain.class.getName(), variant));
        pb.redirectErrorStream(true);
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(out).contains("block_on 5");
        assertThat(countOf(out, FLAG)).as("occurrences of the flag in:%n%s", out).isEqualTo(1);
        assertThat(out).contains("IllegalStateException");
        assertThat(out).doesNotContain("IllegalAccessError").doesNotContain("unreachable");
        assertThat(p.exitValue()).isNotZero();
    }

    private static int countOf(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

}
