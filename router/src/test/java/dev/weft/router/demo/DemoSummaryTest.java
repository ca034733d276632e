package dev.weft.router.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DemoSummaryTest {

    static DemoReport report(boolean lose) {
        List<DemoReport.Node> nodes = List.of(
                new DemoReport.Node(
                        "02:de:00:00:00:01",
                        "node0",
                        "wdx-n0",
                        "10.250.0.1",
                        11,
                        List.of(new DemoReport.Connection(
                                "node1", "established", "sleeve", "fastpath failed: refused: encrypted", "mtu=1392"))),
                new DemoReport.Node(
                        "02:de:00:00:00:02",
                        "node1",
                        "wdx-n1",
                        "10.250.0.2",
                        12,
                        List.of(new DemoReport.Connection(
                                "node0", "established", "sleeve", "fastpath failed: refused: encrypted", "mtu=1392"))));
        List<DemoReport.Pod> pods = List.of(
                new DemoReport.Pod("wdx-n0p0", 0, "10.32.0.1/12"), new DemoReport.Pod("wdx-n1p0", 1, "10.40.0.0/12"));
        List<DemoReport.Ping> pings = List.of(
                new DemoReport.Ping(0, 1, 3, 3, 1.25),
                new DemoReport.Ping(1, 0, 3, lose ? 0 : 3, lose ? Double.NaN : 0.75));
        return new DemoReport("wdx-", true, nodes, pods, pings);
    }

    @Test
    void everyPartIsShown() {
        String s = DemoSummary.render(report(false));
        assertThat(s)
                .contains("2 routers, 2 pods, encrypted mesh")
                .contains("node0    02:de:00:00:00:01")
                .contains("node0    -> node1    established sleeve   (fastpath failed: refused: encrypted) mtu=1392")
                .contains("n1p0   on node1    10.40.0.0/12")
                .contains("Result: 2/2 pod pairs reachable (RTT median 1.250 ms, max 1.250 ms)");
        assertThat(matrixRow(s, "n0p0")).matches("\\s+n0p0\\s+-\\s+1\\.250");
        assertThat(matrixRow(s, "n1p0")).matches("\\s+n1p0\\s+0\\.750\\s+-");
    }

    @Test
    void unreachablePairsAreMarkedAndCounted() {
        DemoReport r = report(true);
        String s = DemoSummary.render(r);
        assertThat(r.unreachable()).isEqualTo(1);
        assertThat(matrixRow(s, "n1p0")).matches("\\s+n1p0\\s+X\\s+-");
        assertThat(s).contains("Result: 1/2 pod pairs reachable").contains("1 UNREACHABLE");
    }

    /** The reachability matrix's row of {@code pod} (after the "Reachability" heading). */
    static String matrixRow(String summary, String pod) {
        String matrix = summary.substring(summary.indexOf("Reachability"));
        return matrix.lines()
                .filter(l -> l.startsWith("  " + pod + " "))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void podIpDropsThePrefixLength() {
        assertThat(new DemoReport.Pod("p", 0, "10.32.0.1/12").ip()).isEqualTo("10.32.0.1");
    }
}
