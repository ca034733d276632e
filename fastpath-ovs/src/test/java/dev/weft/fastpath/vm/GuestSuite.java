package dev.weft.fastpath.vm;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.ClassSelector;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The one JVM the VM runs: executes the named JUnit test classes with the JUnit Platform
 * launcher (no Maven in the guest: it is 10-25x slower there), prints one line per test as it
 * finishes and a summary, and exits 0 only if at least one test ran and none failed or was
 * skipped (a skipped kernel test in the VM means the VM lacks what it is there for).
 *
 * <p>Usage: {@code java -cp TEST_CLASSPATH dev.weft.fastpath.vm.GuestSuite CLASS...}
 */
public final class GuestSuite {
    private GuestSuite() {}

    public static void main(String[] args) {
        List<ClassSelector> selectors = new ArrayList<>();
        for (String name : args) {
            selectors.add(selectClass(name));
        }
        LauncherDiscoveryRequest request =
                LauncherDiscoveryRequestBuilder.request().selectors(selectors).build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        long[] skipped = {0};
        long[] containerProblems = {0};
        java.util.Map<String, Long> started = new java.util.concurrent.ConcurrentHashMap<>();
        TestExecutionListener progress = new TestExecutionListener() {
            @Override
            public void executionStarted(TestIdentifier test) {
                started.put(test.getUniqueId(), System.nanoTime());
            }

            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                Long t0 = started.remove(test.getUniqueId());
                String took = t0 == null ? "" : String.format(" (%.1f s)", (System.nanoTime() - t0) / 1e9);
                if (test.isTest() || result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                    out.println("guest-test " + result.getStatus() + " " + test.getLegacyReportingName() + " "
                            + test.getUniqueId().replaceAll(".*\\[class:([^\\]]*)\\].*", "$1") + took);
                    result.getThrowable().ifPresent(t -> t.printStackTrace(out));
                }
                if (!test.isTest() && result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                    containerProblems[0]++;
                }
            }

            @Override
            public void executionSkipped(TestIdentifier test, String reason) {
                skipped[0]++;
                out.println("guest-test SKIPPED " + test.getDisplayName() + ": " + reason);
            }
        };
        launcher.execute(request, summary, progress);
        TestExecutionSummary result = summary.getSummary();
        result.printTo(out);
        result.printFailuresTo(out, 30);
        long aborted = result.getTestsAbortedCount();
        boolean ok = result.getTestsSucceededCount() > 0
                && result.getTotalFailureCount() == 0
                && aborted == 0
                && skipped[0] == 0
                && containerProblems[0] == 0;
        out.println("guest-suite " + (ok ? "PASSED" : "FAILED") + " succeeded=" + result.getTestsSucceededCount()
                + " failed=" + result.getTotalFailureCount() + " aborted=" + aborted + " skipped=" + skipped[0]);
        out.flush();
        System.exit(ok ? 0 : 1);
    }
}
