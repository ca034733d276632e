package dev.weft.fastpath.internal.odp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.fastpath.api.Vni;
import dev.weft.fastpath.testing.Sh;
import dev.weft.linux.api.KernelException;
import dev.weft.linux.api.NetNs;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ODP client against the real openvswitch kernel module. This machine's kernel has none, so
 * these tests skip here and run inside the VM ({@code OdpInVmTest} boots it and runs this class
 * there). Every datapath and namespace has a per-run name and is removed afterwards.
 */
class OdpKernelTest {
    private static final String PREFIX = "wf" + HexFormat.of().toHexDigits((short) new Random().nextInt());
    private final List<Runnable> cleanups = new ArrayList<>();

    @BeforeAll
    static void needsOpenvswitch() {
        Optional<OdpClient> client = OdpClient.open();
        assumeTrue(client.isPresent(), "this kernel has no openvswitch module (runs in the VM: OdpInVmTest)");
        client.get().close();
    }

    @AfterEach
    void cleanUp() {
        for (Runnable cleanup : cleanups.reversed()) {
            try {
                cleanup.run();
            } catch (RuntimeException | AssertionError e) {
                System.err.println("cleanup: " + e);
            }
        }
    }

    @Test
    void datapathAndVportLifecycle() {
        NetNs node = namespace("n");
        node.run(() -> {
            try (OdpClient odp = OdpClient.open().orElseThrow()) {
                String name = PREFIX + "dp";
                OdpDatapath dp = odp.createDatapath(name, 0);
                assertThat(dp.name()).isEqualTo(name);
                assertThat(odp.findDatapath(name)).contains(dp);
                assertThat(odp.datapaths()).contains(dp);
                try {
                    odp.createDatapath(name, 0);
                    throw new AssertionError("a second datapath of the same name was created");
                } catch (KernelException e) {
                    assertThat(e.alreadyExists()).as(e.toString()).isTrue();
                }

                OdpVport vxlan = odp.createVport(dp, OdpVportSpec.vxlan("vxlan-6784", 6784), 0);
                OdpVport internal = odp.createVport(dp, OdpVportSpec.internal(PREFIX + "in"), 0);
                assertThat(vxlan.isVxlan()).isTrue();
                assertThat(vxlan.udpPort()).isEqualTo(6784);
                assertThat(odp.vports(dp))
                        .extracting(OdpVport::name)
                        .containsExactlyInAnyOrder(name, "vxlan-6784", PREFIX + "in");
                assertThat(Sh.ok("ip link show " + PREFIX + "in")).contains(PREFIX + "in");

                odp.setVportUpcallPid(dp, internal.portNo(), 4242);
                assertThat(odp.deleteVport(dp, internal.portNo())).isTrue();
                assertThat(odp.deleteVport(dp, internal.portNo()))
                        .as("idempotent")
                        .isFalse();
                assertThat(odp.vports(dp)).extracting(OdpVport::name).containsExactlyInAnyOrder(name, "vxlan-6784");

                assertThat(odp.deleteDatapath(dp)).isTrue();
                assertThat(odp.deleteDatapath(dp)).isFalse();
                assertThat(odp.findDatapath(name)).isEmpty();
            }
        });
    }

    @Test
    void flowsAreInstalledDumpedFoundAndDeleted() {
        NetNs node = namespace("n");
        node.run(() -> {
            try (OdpClient odp = OdpClient.open().orElseThrow()) {
                OdpDatapath dp = odp.createDatapath(PREFIX + "dp", 0);
                OdpVport vxlan = odp.createVport(dp, OdpVportSpec.vxlan("vxlan-6784", 6784), 0);
                OdpVport pod = odp.createVport(dp, OdpVportSpec.internal(PREFIX + "p"), 0);
                long a = Mac.parse("02:00:00:00:00:0a");
                long b = Mac.parse("02:00:00:00:00:0b");
                OdpFlowKey out = OdpFlowKey.of(pod.portNo(), a, b);
                List<OdpAction> toPeer = List.of(
                        new OdpAction.SetTunnel(OdpTunnelKey.toPeer(Vni.of(1, 2), 0x0a630001, 0x0a630002)),
                        new OdpAction.Output(vxlan.portNo()));
                OdpTunnelKey tunnel = new OdpTunnelKey(Vni.of(2, 1), 0x0a630002, 0x0a630001, 64);
                OdpFlowKey in = new OdpFlowKey(vxlan.portNo(), b, a, tunnel);
                OdpFlowKey broadcast = OdpFlowKey.of(pod.portNo(), a, Mac.BROADCAST);

                odp.installFlow(dp, out, toPeer);
                odp.installFlow(dp, in, List.of(new OdpAction.Output(pod.portNo())));
                odp.installFlow(dp, broadcast, List.of());
                odp.installFlow(dp, broadcast, List.of(new OdpAction.Output(vxlan.portNo())));

                assertThat(odp.flows(dp)).hasSize(3);
                OdpFlow found = odp.getFlow(dp, out).orElseThrow();
                assertThat(found.key()).isEqualTo(out);
                assertThat(found.actions()).isEqualTo(toPeer);
                OdpFlow inbound = odp.getFlow(dp, in).orElseThrow();
                assertThat(inbound.key().tunnel().id()).isEqualTo(Vni.of(2, 1));
                assertThat(inbound.key().tunnel().ipv4Src()).isEqualTo(0x0a630002);
                assertThat(odp.getFlow(dp, broadcast).orElseThrow().actions())
                        .as("installing again replaces the actions")
                        .containsExactly(new OdpAction.Output(vxlan.portNo()));

                assertThat(odp.clearFlowStats(dp, out)).isTrue();
                assertThat(odp.deleteFlow(dp, out)).isTrue();
                assertThat(odp.deleteFlow(dp, out)).isFalse();
                assertThat(odp.getFlow(dp, out)).isEmpty();
                odp.flushFlows(dp);
                assertThat(odp.flows(dp)).isEmpty();
                odp.deleteDatapath(dp);
            }
        });
    }

    @Test
    void aMissUpcallIsAnsweredWithAFlowAndPodsPing() {
        NetNs node = namespace("n");
        Node n = node(node, "dp", 1, 0x0a630001);
        pod(n, "a", "10.32.0.1");
        pod(n, "b", "10.32.0.2");

        Sh.ok("ip netns exec " + PREFIX + "a ping -c 3 -i 0.3 -W 3 10.32.0.2");

        List<OdpFlow> flows = n.odp.flows(n.dp);
        assertThat(flows).as("the misses were answered with flows").isNotEmpty();
        assertThat(flows)
                .as("later pings matched kernel flows without an upcall")
                .anySatisfy(f -> assertThat(f.packets()).isPositive());
        assertThat(n.forwarder.installs()).isPositive();
        OdpDatapathStats stats = n.odp.datapathStats(n.dp);
        assertThat(stats.missed()).as("the first frames went up").isPositive();
        assertThat(stats.hit()).as("later ones matched flows").isPositive();
        assertThat(stats.flows()).isEqualTo(n.odp.flows(n.dp).size());
        assertThat(n.failures).isEmpty();
    }

    @Test
    void idleFlowsExpireInTwoPassesOnTheKernel() {
        NetNs node = namespace("n");
        Node n = node(node, "dp", 1, 0x0a630001);
        pod(n, "a", "10.32.0.1");
        pod(n, "b", "10.32.0.2");
        Sh.ok("ip netns exec " + PREFIX + "a ping -c 3 -i 0.3 -W 3 10.32.0.2");
        List<OdpFlowKey> used = n.odp.flows(n.dp).stream()
                .filter(f -> f.packets() > 0)
                .map(OdpFlow::key)
                .toList();
        assertThat(used).as("pings matched kernel flows").isNotEmpty();

        // First pass: the flows that matched packets stay, and the kernel resets their counters
        // and last-used time (OVS_FLOW_ATTR_CLEAR); nothing matches them before the second pass,
        // which deletes them. (The pods have IPv6 off: no stray traffic between the passes.)
        int[] deleted = new int[2];
        n.submit(() -> deleted[0] = n.forwarder.expireIdleFlows());
        List<OdpFlow> afterFirst = n.odp.flows(n.dp);
        assertThat(afterFirst).extracting(OdpFlow::key).containsAll(used);
        assertThat(afterFirst).allSatisfy(f -> {
            assertThat(f.packets()).as("cleared %s", f.key()).isZero();
            assertThat(f.usedMillis()).as("cleared %s", f.key()).isZero();
        });
        n.submit(() -> deleted[1] = n.forwarder.expireIdleFlows());
        assertThat(deleted[1]).isEqualTo(afterFirst.size());
        assertThat(n.odp.flows(n.dp)).isEmpty();

        Sh.ok("ip netns exec " + PREFIX + "a ping -c 1 -W 3 10.32.0.2");
        assertThat(n.odp.flows(n.dp)).as("misses install them again").isNotEmpty();
        assertThat(n.failures).isEmpty();
    }

    @Test
    void podsOnTwoDatapathsPingThroughVxlan() {
        NetNs a = namespace("na");
        NetNs b = namespace("nb");
        Sh.ok("ip link add " + PREFIX + "ua netns " + PREFIX + "na type veth peer name " + PREFIX + "ub netns " + PREFIX
                + "nb");
        Sh.ok("ip -n " + PREFIX + "na addr add 10.99.0.1/24 dev " + PREFIX + "ua && ip -n " + PREFIX + "na link set "
                + PREFIX + "ua up");
        Sh.ok("ip -n " + PREFIX + "nb addr add 10.99.0.2/24 dev " + PREFIX + "ub && ip -n " + PREFIX + "nb link set "
                + PREFIX + "ub up");
        Node nodeA = node(a, "da", 1, 0x0a630001);
        Node nodeB = node(b, "db", 2, 0x0a630002);
        nodeA.submit(() -> nodeA.forwarder.setPeers(Map.of(2, 0x0a630002)));
        nodeB.submit(() -> nodeB.forwarder.setPeers(Map.of(1, 0x0a630001)));
        pod(nodeA, "pa", "10.32.0.1");
        pod(nodeB, "pb", "10.32.0.2");

        Sh.ok("ip netns exec " + PREFIX + "pa ping -c 3 -i 0.3 -W 3 10.32.0.2");

        assertThat(nodeA.odp.flows(nodeA.dp))
                .as("A tunnels to B with VNI = 1 | 2 << 12")
                .anySatisfy(f -> assertThat(f.actions())
                        .contains(new OdpAction.SetTunnel(OdpTunnelKey.toPeer(Vni.of(1, 2), 0x0a630001, 0x0a630002))));
        assertThat(nodeB.odp.flows(nodeB.dp))
                .as("B matches frames from A on the tunnel key")
                .anySatisfy(f -> assertThat(f.key().tunnel()).isNotNull());
        assertThat(nodeA.failures).isEmpty();
        assertThat(nodeB.failures).isEmpty();
    }

    /** A node: a datapath with a VXLAN vport in {@code ns}, and a forwarder answering its misses. */
    private final class Node {
        final NetNs ns;
        final OdpClient odp;
        final OdpUpcalls upcalls;
        final OdpDatapath dp;
        final OdpVport vxlan;
        final OdpForwarder forwarder;
        final java.util.concurrent.ConcurrentLinkedQueue<Runnable> tasks =
                new java.util.concurrent.ConcurrentLinkedQueue<>();
        final AtomicBoolean running = new AtomicBoolean(true);
        final List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();

        Node(NetNs ns, String dpName, int shortId, int ipv4) {
            this.ns = ns;
            this.odp = ns.call(() -> OdpClient.open().orElseThrow());
            this.upcalls = ns.call(OdpUpcalls::open);
            this.dp = odp.createDatapath(PREFIX + dpName, upcalls.portId());
            this.vxlan = odp.createVport(dp, OdpVportSpec.vxlan("vxlan-6784", 6784), upcalls.portId());
            this.forwarder =
                    new OdpForwarder(new BoundDatapath(odp, dp), vxlan.portNo(), shortId, ipv4, (s, i, f) -> {});
            Thread loop = new Thread(this::loop, "upcalls-" + dpName);
            loop.setDaemon(true);
            loop.start();
        }

        /** Runs {@code task} on the forwarder's thread and waits for it. */
        void submit(Runnable task) {
            java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
            tasks.add(() -> {
                task.run();
                done.complete(null);
            });
            upcalls.wakeup();
            done.orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).join();
        }

        private void loop() {
            while (running.get()) {
                Runnable task;
                try {
                    while ((task = tasks.poll()) != null) {
                        task.run();
                    }
                    if (upcalls.receive(forwarder::onMiss, 50) < 0) {
                        return;
                    }
                } catch (RuntimeException e) {
                    failures.add(e);
                    e.printStackTrace();
                }
            }
        }

        void stop() {
            running.set(false);
            upcalls.close();
            odp.deleteDatapath(dp);
            odp.close();
        }
    }

    private Node node(NetNs ns, String dpName, int shortId, int ipv4) {
        Node node = new Node(ns, dpName, shortId, ipv4);
        cleanups.add(node::stop);
        return node;
    }

    /** A pod namespace with {@code ip}/24 on a veth whose other end is a netdev vport of the node. */
    private void pod(Node node, String name, String ip) {
        namespace(name);
        String host = PREFIX + name + "h";
        Sh.ok("ip link add " + host + " netns " + node.ns.name() + " mtu 1400 type veth peer name eth0 netns " + PREFIX
                + name + " mtu 1400");
        Sh.ok("ip netns exec " + PREFIX + name + " sysctl -qw net.ipv6.conf.all.disable_ipv6=1");
        Sh.ok("ip -n " + PREFIX + name + " addr add " + ip + "/24 dev eth0 && ip -n " + PREFIX + name
                + " link set eth0 up && ip -n " + node.ns.name() + " link set " + host + " up");
        OdpVport port = node.odp.createVport(node.dp, OdpVportSpec.netdev(host), node.upcalls.portId());
        node.submit(() -> node.forwarder.addLocalPort(port.portNo()));
    }

    private NetNs namespace(String suffix) {
        String name = PREFIX + suffix;
        NetNs ns = NetNs.create(name);
        cleanups.add(() -> {
            ns.close();
            NetNs.delete(name);
        });
        return ns;
    }
}
