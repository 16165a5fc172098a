package io.weft.jcstress;

import java.util.TreeSet;
import org.openjdk.jcstress.JCStress;
import org.openjdk.jcstress.Options;
import org.openjdk.jcstress.infra.Status;
import org.openjdk.jcstress.infra.collectors.DiskReadCollector;
import org.openjdk.jcstress.infra.collectors.InProcessCollector;
import org.openjdk.jcstress.infra.collectors.TestResult;
import org.openjdk.jcstress.infra.runners.TestList;

/**
 * The entry point `mvn verify` runs: jcstress's own {@code Main}, plus a guard
 * that jcstress lacks. jcstress 0.16 exits non-zero when a test fails or errors
 * (its run ends with an uncaught {@link AssertionError}) but exits 0 when no
 * test matches the selection, which is what a build whose annotation
 * processing silently stopped generating tests would look like. It also exits
 * 0 when a test's sanity check throws: it counts the test as a "soft error"
 * (an API this JVM lacks) and skips it, and a test whose own helper code
 * throws (a field renamed under it) is skipped the same way. Such a run
 * fails here.
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
        InProcessCollector results = new InProcessCollector();
        DiskReadCollector reader = new DiskReadCollector(opts.getResultFile(), results);
        reader.dump();
        reader.close();
        TreeSet<String> skipped = new TreeSet<>();
        for (TestResult r : results.getTestResults()) {
            if (r.status() == Status.API_MISMATCH) {
                skipped.add(r.getName());
            }
        }
        if (!skipped.isEmpty()) {
            System.err.println("weft-jcstress: the sanity check of " + skipped + " threw, so jcstress skipped "
                    + (skipped.size() == 1 ? "it" : "them") + " as a soft error; see the VM error streams of "
                    + "that test in the HTML report");
            System.exit(4);
        }
    }
}
