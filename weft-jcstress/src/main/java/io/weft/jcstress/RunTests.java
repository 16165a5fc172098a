package io.weft.jcstress;

import org.openjdk.jcstress.JCStress;
import org.openjdk.jcstress.Options;
import org.openjdk.jcstress.infra.runners.TestList;

/**
 * The entry point `mvn verify` runs: jcstress's own {@code Main}, plus a guard
 * that jcstress lacks. jcstress 0.16 exits non-zero when a test fails or errors
 * (its run ends with an uncaught {@link AssertionError}) but exits 0 when no
 * test matches the selection, which is what a build whose annotation
 * processing silently stopped generating tests would look like.
 */
public final class RunTests {
    private RunTests() {
    }

    public static void main(String[] args) throws Exception {
        Options opts = new Options(args);
        if (!opts.parse()) {
            System.exit(1);
        }
        JCStress jcstress = new JCStress(opts);
        if (jcstress.getTests().isEmpty()) {
            System.err.println("weft-jcstress: no jcstress test matches the selection; were the tests generated?");
            System.exit(2);
        }
        int cpus = Runtime.getRuntime().availableProcessors();
        for (String test : jcstress.getTests()) {
            int actors = TestList.getInfo(test).threads();
            if (actors > cpus) {
                // jcstress would skip it without a word and still exit 0.
                System.err.println("weft-jcstress: " + test + " has " + actors + " actors but this machine has "
                        + cpus + " CPUs, so jcstress would not run it; split it into tests of at most " + cpus + " actors");
                System.exit(3);
            }
        }
        jcstress.run(); // throws AssertionError (exit code 1) on any failed or erroring test
    }
}
