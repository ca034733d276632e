package dev.weft.router.kernel;

import dev.weft.fastpath.api.FastPathConfig;
import dev.weft.router.internal.dataplane.DataPlaneConfig;
import dev.weft.sleeve.api.DataPlaneCipher;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Runs a {@link LocalCluster} for scripts (bench/dataplane): builds it, prints the namespaces and
 * pod addresses, then answers commands on stdin: {@code cpu} prints each node's data-plane CPU
 * time in ms (its sleeve threads), {@code status} prints each node's data-plane status, {@code
 * fastpath} each node's fast-path summary (with the ODP datapath's counters), {@code
 * quit} (or end of input) cleans up and exits.
 *
 * <p>Usage: {@code ClusterMain NODES PODS CIPHER(none|aes-256-gcm|chacha20-poly1305|fastpath)
 * OFFLOADS(true|false) [NAMESPACE-PREFIX [MTU]]}. {@code fastpath}: unencrypted, with the kernel fast
 * path in front of sleeve (ready once every connection uses it), pods plugged into it when it takes
 * them (ODP); {@code fastpath-bridged}: the same with pods on the bridge. MTU: the pods' and the bridge's
 * (default 1376). Namespaces are deleted on exit, also on SIGTERM.
 */
public final class ClusterMain {
    private ClusterMain() {}

    /** Read by {@link LocalCluster}: put pods on the bridge even when the fast path takes them. */
    static volatile boolean bridgedPods;

    public static void main(String[] args) throws Exception {
        int nodes = Integer.parseInt(args[0]);
        int pods = Integer.parseInt(args[1]);
        boolean fastPath = args[2].startsWith("fastpath");
        // fastpath-bridged: pods on the bridge even where the fast path takes them (ODP's bridged mode)
        bridgedPods = args[2].equals("fastpath-bridged");
        DataPlaneCipher cipher = fastPath
                ? DataPlaneCipher.NONE
                : DataPlaneCipher.fromName(args[2]).orElseThrow();
        boolean offloads = Boolean.parseBoolean(args[3]);
        int mtu = args.length > 5 ? Integer.parseInt(args[5]) : DataPlaneConfig.DEFAULT_MTU;
        DataPlaneConfig config = DataPlaneConfig.defaults().withMtu(mtu);
        if (fastPath) {
            config = config.withFastPath(Optional.of(FastPathConfig.defaults()));
        }
        if (cipher.encrypts()) {
            config = config.withSleeve(config.sleeve().withCiphers(List.of(cipher)));
        }
        config = config.withSleeve(config.sleeve().withOffloads(offloads));
        // -Dweft.sleeve.nice=N overrides the data-plane threads' nice value (bench comparisons).
        config = config.withSleeve(config.sleeve()
                .withThreadNice(
                        Integer.getInteger("weft.sleeve.nice", config.sleeve().threadNice())));
        var o = LocalCluster.Options.of(nodes, pods).config(config).podMtu(mtu);
        if (cipher.encrypts()) {
            o = o.encrypted();
        }
        LocalCluster c = args.length > 4 ? new LocalCluster(o, args[4]) : new LocalCluster(o);
        Thread cleanup = new Thread(c::close, "cluster-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            c.connectAll();
            if (!c.awaitFullMesh(Duration.ofSeconds(30))) {
                System.out.println("FAILED not established");
                return;
            }
            if (fastPath
                    && !FastPathClusterTest.await(
                            Duration.ofSeconds(30), () -> FastPathClusterTest.everyConnectionOn(c, "fastpath"))) {
                System.out.println("FAILED not on the fast path: " + FastPathClusterTest.status(c));
                return;
            }
            for (LocalCluster.Node n : c.nodes) {
                System.out.println("NODE " + n.index + " " + n.ns.name() + " " + n.underlayIp + " " + n.name
                        + " plugged=" + n.podsPlugged);
                for (int i = 0; i < n.pods.size(); i++) {
                    System.out.println("POD " + n.index + " " + n.pods.get(i) + " " + n.podIps.get(i));
                }
            }
            System.out.println("READY");
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.equals("quit")) {
                if (line.equals("cpu")) {
                    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
                    for (LocalCluster.Node n : c.nodes) {
                        String who = String.format(Locale.ROOT, "%012x", n.name.value());
                        long ns = 0;
                        for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
                            if (t != null
                                    && t.getThreadName().startsWith("weft-sleeve-")
                                    && t.getThreadName().endsWith(who)) {
                                ns += Math.max(0, mx.getThreadCpuTime(t.getThreadId()));
                            }
                        }
                        System.out.println("CPU " + n.index + " " + ns / 1_000_000);
                    }
                } else if (line.equals("fastpath")) {
                    for (LocalCluster.Node n : c.nodes) {
                        System.out.println("FASTPATH " + n.index + " "
                                + n.dataPlane
                                        .fastPath()
                                        .map(f -> f.status().summary())
                                        .orElse("none"));
                    }
                } else if (line.equals("status")) {
                    for (LocalCluster.Node n : c.nodes) {
                        System.out.println("STATUS " + n.index + " " + n.dataPlane.status());
                    }
                }
                System.out.println("OK");
                System.out.flush();
            }
        } finally {
            c.close();
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
        System.out.println("BYE");
    }
}
