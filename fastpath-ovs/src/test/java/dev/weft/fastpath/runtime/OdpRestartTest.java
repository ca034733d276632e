package dev.weft.fastpath.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.fastpath.api.FastPath;
import dev.weft.fastpath.api.FastPathConfig;
import dev.weft.fastpath.internal.odp.OdpClient;
import dev.weft.fastpath.testing.FastPathLab;
import dev.weft.fastpath.testing.FastPathLab.Node;
import dev.weft.fastpath.testing.Sh;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pods plugged into the ODP datapath are not stranded when the next run of the router does not
 * use it (runs in the VM, see {@code OdpInVmTest}): a run killed with its datapath in place, then
 * a start without the ODP driver ({@link FastPathRuntime#releaseLeftoverDatapath}, as {@code
 * --no-fastdp} does) or with the VXLAN driver moves them back onto the bridge and removes the
 * datapath; a start with the ODP driver plugs pods found on the bridge in again; a clean stop puts
 * them back on the bridge. After each step the plugged pod pings a pod on the bridge.
 */
class OdpRestartTest {

    @Test
    void pluggedPodsGoBackOnTheBridgeWhenTheNextRunHasNoDatapath() throws Exception {
        assumeTrue(FastPathRuntime.hasOdp(), "this kernel has no openvswitch module (runs in the VM: OdpInVmTest)");
        try (FastPathLab lab = new FastPathLab(FastPathConfig.defaults().withDriver(FastPathConfig.DriverKind.ODP))) {
            FastPathConfig config = lab.config();
            Node n1 = lab.node(1);
            assertThat(lab.plugPod(n1, 1)).isTrue();
            lab.pod(n1, 2); // on the bridge
            assertThat(lab.ping(1, "10.32.0.2", 1))
                    .as("plugged pod to bridged pod")
                    .isTrue();

            // n1's run is "killed": its datapath stays with pv1 plugged; the next run has no ODP
            List<String> moved = n1.ns.call(() -> FastPathRuntime.releaseLeftoverDatapath(config));
            assertThat(moved).containsExactly("pv1");
            assertThat(onBridge(n1, "pv1")).isTrue();
            assertThat(datapathExists(n1, config)).isFalse();
            assertThat(lab.ping(1, "10.32.0.2", 2))
                    .as("pv1 on the bridge again")
                    .isTrue();
            assertThat(n1.ns.call(() -> FastPathRuntime.releaseLeftoverDatapath(config)))
                    .as("idempotent")
                    .isEmpty();
            n1.fastPath.close(); // the killed run's process is gone

            // a run with the ODP driver plugs the pod in from the bridge
            FastPath odp = n1.ns.call(() -> FastPathRuntime.start(config));
            try {
                assertThat(odp.attachPod("pv1")).isTrue();
                assertThat(onBridge(n1, "pv1")).as("taken off the bridge").isFalse();
                assertThat(lab.ping(1, "10.32.0.2", 2)).as("plugged in again").isTrue();

                // a pod whose veth vanished (its namespace deleted before DEL) and a new pod that
                // gets its port number: unplugging the first must not cut the second off
                assertThat(lab.plugPod(n1, 3, odp)).isTrue();
                int vanished = port(n1, config, "pv3");
                lab.inNode(n1, "ip link del pv3");
                assertThat(lab.plugPod(n1, 4, odp)).isTrue();
                assertThat(port(n1, config, "pv4"))
                        .as("the kernel reuses the lowest free port number")
                        .isEqualTo(vanished);
                assertThat(odp.detachPod("pv3")).isTrue();
                assertThat(port(n1, config, "pv4")).as("pv4 still plugged").isEqualTo(vanished);
                assertThat(lab.ping(4, "10.32.0.2", 2))
                        .as("pv4 reaches the bridged pod after pv3 was unplugged")
                        .isTrue();

                // pv4's veth vanishes without a detach and a new veth of the same name comes (weft
                // attach NS again after NS was recreated): it must be plugged in, not taken as known
                lab.inNode(n1, "ip link del pv4");
                String p4 = lab.prefix() + "p4";
                lab.inNode(n1, "ip link add pv4 mtu " + config.mtu() + " type veth peer name eth0 netns " + p4);
                lab.inNode(n1, "ip link set pv4 up");
                Sh.ok("ip -n " + p4 + " addr add 10.32.0.4/16 dev eth0 && ip -n " + p4 + " link set eth0 mtu "
                        + config.mtu() + " up");
                assertThat(odp.attachPod("pv4")).isTrue();
                assertThat(lab.ping(4, "10.32.0.2", 2))
                        .as("the new pv4 is plugged in")
                        .isTrue();

                // killed again; the next run uses the VXLAN driver (which needs UDP 6784 back)
                FastPath vxlan =
                        n1.ns.call(() -> FastPathRuntime.start(config.withDriver(FastPathConfig.DriverKind.VXLAN)));
                try {
                    assertThat(vxlan.driver()).isEqualTo("vxlan");
                    assertThat(onBridge(n1, "pv1")).isTrue();
                    assertThat(datapathExists(n1, config)).isFalse();
                    assertThat(lab.ping(1, "10.32.0.2", 2))
                            .as("on the bridge under the vxlan driver")
                            .isTrue();
                } finally {
                    vxlan.close();
                }
            } finally {
                odp.close();
            }

            // a clean stop leaves the pod on the bridge
            FastPath clean = n1.ns.call(() -> FastPathRuntime.start(config));
            assertThat(clean.attachPod("pv1")).isTrue();
            assertThat(lab.ping(1, "10.32.0.2", 1)).isTrue();
            clean.close();
            assertThat(onBridge(n1, "pv1"))
                    .as("back on the bridge after a clean stop")
                    .isTrue();
            assertThat(datapathExists(n1, config)).isFalse();
            assertThat(lab.ping(1, "10.32.0.2", 2))
                    .as("reachable with no router running")
                    .isTrue();
        }
    }

    private static boolean onBridge(Node node, String veth) {
        return node.rt.links().get(veth).masterIndex()
                == node.rt.links().get(node.bridge).index();
    }

    private static int port(Node node, FastPathConfig config, String vport) {
        try (OdpClient odp = node.ns.call(() -> OdpClient.open().orElseThrow())) {
            var dp = odp.findDatapath(config.datapath()).orElseThrow();
            return odp.vports(dp).stream()
                    .filter(v -> v.name().equals(vport))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no vport " + vport))
                    .portNo();
        }
    }

    private static boolean datapathExists(Node node, FastPathConfig config) {
        try (OdpClient odp = node.ns.call(() -> OdpClient.open().orElseThrow())) {
            return odp.findDatapath(config.datapath()).isPresent();
        }
    }
}
