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
 * 0 when a test's sanity check throws a linkage error (NoSuchFieldError,
 * NoSuchMethodError, NoClassDefFoundError, ClassFormatError): it counts the
 * test as a "soft error" (an API this JVM lacks) and skips it, which is what
 * a test whose helper code is out of step with the code (a field renamed
 * under it) looks like. Such a run fails here, as does one where a selected
 * test left no result of a normal run.
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
        java.io.File file = new java.io.File(opts.getResultFile());
        if (!file.isFile()) {
            System.err.println("weft-jcstress: jcstress wrote no results (" + file + "): it ran no test");
            System.exit(5);
        }
        DiskReadCollector reader = new DiskReadCollector(opts.getResultFile(), results);
        reader.dump();
        reader.close();
        TreeSet<String> skipped = new TreeSet<>();
        TreeSet<String> missing = new TreeSet<>(jcstress.getTests());
        for (TestResult r : results.getTestResults()) {
            if (r.status() == Status.API_MISMATCH) {
                skipped.add(r.getName());
            } else if (r.status() == Status.NORMAL) {
                missing.remove(r.getName());
            }
        }
        if (!skipped.isEmpty()) {
            System.err.println("weft-jcstress: the sanity check of " + skipped + " threw a linkage error, so "
                    + "jcstress skipped " + (skipped.size() == 1 ? "it" : "them") + " as a soft error; see the VM "
                    + "error streams of that test in the HTML report");
            System.exit(4);
        }
        if (!missing.isEmpty()) {
            System.err.println("weft-jcstress: " + missing + " left no result of a normal run");
            System.exit(5);
        }
    }
}
