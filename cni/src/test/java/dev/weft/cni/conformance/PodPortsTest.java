package dev.weft.cni.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.cni.libcni.NetworkConfigList;
import dev.weft.cni.libcni.PluginException;
import dev.weft.cni.spi.PodPorts;
import dev.weft.cni.testing.CniTestbed;
import dev.weft.linux.api.LinkSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The router's {@link PodPorts} hook: ADD hands the host end to it (here a stand-in for the ODP
 * datapath: a second bridge joined to Weft's by a veth pair, as the datapath is by its {@code
 * -b}/{@code -d} veth), so the pod's host end sits off the bridge and the pod still reaches its
 * gateway on the bridge; CHECK accepts a plugged host end and fails once the hook disowns it; DEL
 * and GC unplug before deleting; a refused plug fails ADD (code 101) and leaves no veth.
 */
class PodPortsTest extends ConformanceBase {
    static final String STAND_IN = "fpstand";

    /** Records calls; plugging moves the veth onto the stand-in bridge. */
    final class StandIn implements PodPorts {
        final Set<String> plugged = ConcurrentHashMap.newKeySet();
        final List<String> calls = new CopyOnWriteArrayList<>();
        volatile boolean refuse;

        @Override
        public boolean plug(String hostVeth) {
            calls.add("plug " + hostVeth);
            if (refuse) {
                throw new IllegalStateException("the datapath refused " + hostVeth);
            }
            bed.hostRt.links().setMaster(hostVeth, STAND_IN);
            plugged.add(hostVeth);
            return true;
        }

        @Override
        public boolean unplug(String hostVeth) {
            calls.add("unplug " + hostVeth);
            return plugged.remove(hostVeth);
        }

        @Override
        public boolean isPlugged(String hostVeth) {
            return plugged.contains(hostVeth);
        }
    }

    final StandIn ports = new StandIn();

    @BeforeAll
    void plugIntoTheStandIn() throws Exception {
        bed.hostRt.links().create(LinkSpec.bridge(STAND_IN).up());
        bed.hostRt.links().setMtu(STAND_IN, CniTestbed.BRIDGE_MTU);
        bed.hostRt
                .links()
                .create(LinkSpec.veth("fpstand-b", "fpstand-d")
                        .mtu(CniTestbed.BRIDGE_MTU)
                        .master(bed.hostRt.links().get(CniTestbed.BRIDGE).index())
                        .up());
        bed.hostRt.links().setMaster("fpstand-d", STAND_IN);
        bed.hostRt.links().setUp("fpstand-d");
        bed.stopRouter();
        bed.podPorts(ports);
        bed.startRouter();
    }

    @Test
    void addPlugsCheckAcceptsAndDelUnplugs() throws Exception {
        NetworkConfigList list = bed.weftOnly("1.1.0");
        var a = newPod("plug");
        String host = AddConformanceTest.hostVethOf(a);
        rt.add(list, a);
        assertThat(ports.calls).contains("plug " + host);
        assertThat(bed.hostRt.links().get(host).masterIndex())
                .as("off the bridge, in the stand-in")
                .isEqualTo(bed.hostRt.links().get(STAND_IN).index());
        assertThat(CniTestbed.exec(Path.of(a.netns()), "ping", "-c1", "-W2", CniTestbed.GATEWAY))
                .as("the plugged pod reaches its gateway on the bridge")
                .isZero();
        rt.check(list, a);

        ports.plugged.remove(host); // the fast path no longer knows it: off the bridge for nothing
        PluginException e = failure(() -> rt.check(list, a));
        assertThat(e.msg()).contains("is not on bridge weft nor plugged into the fast path");
        ports.plugged.add(host);

        rt.del(list, a);
        assertThat(ports.calls).contains("unplug " + host);
        assertThat(ports.plugged).doesNotContain(host);
        assertThat(bed.hostVeths()).noneMatch(l -> l.name().equals(host));
    }

    @Test
    void gcUnplugsWhatItCollects() throws Exception {
        NetworkConfigList list = bed.weftOnly("1.1.0");
        var a = newPod("gc");
        String host = AddConformanceTest.hostVethOf(a);
        rt.add(list, a);
        assertThat(ports.plugged).contains(host);
        assertThat(rt.gc(list, List.of())).isEmpty();
        assertThat(ports.calls).contains("unplug " + host);
        assertThat(ports.plugged).doesNotContain(host);
        assertThat(podLink(a)).isEmpty();
    }

    @Test
    void aRefusedPlugFailsAddAndLeavesNoVeth() throws Exception {
        NetworkConfigList list = bed.weftOnly("1.1.0");
        var a = newPod("refused");
        String host = AddConformanceTest.hostVethOf(a);
        ports.refuse = true;
        try {
            PluginException e = failure(() -> rt.add(list, a));
            assertThat(e.code()).isEqualTo(101);
            assertThat(e.msg())
                    .contains("plugging " + host + " into the fast path")
                    .contains("refused");
            assertThat(bed.hostVeths()).noneMatch(l -> l.name().equals(host));
        } finally {
            ports.refuse = false;
        }
        rt.del(list, a); // the runtime always DELs after a failed ADD
    }
}
