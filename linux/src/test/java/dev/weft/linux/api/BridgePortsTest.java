package dev.weft.linux.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Bridge port settings on the real kernel: three hosts on one bridge; isolated ports do not reach
 * each other but reach an ordinary one; flushing forgets learnt MACs; static entries stay.
 */
class BridgePortsTest {

    @Test
    void isolationFloodingLearningFlushAndStaticEntries() throws Exception {
        try (TestNamespaces t = new TestNamespaces()) {
            NetNs sw = t.create("sw");
            RtNetlink r = t.closeLater(RtNetlink.open(sw));
            r.links().create(LinkSpec.bridge("br").up());
            int br = r.links().get("br").index();
            for (int i = 1; i <= 3; i++) {
                NetNs h = t.create("h" + i);
                r.links()
                        .create(LinkSpec.veth("p" + i, "eth0")
                                .peerNetNs(h)
                                .master(br)
                                .up());
                RtNetlink rh = t.closeLater(RtNetlink.open(h));
                rh.addresses().add(rh.links().get("eth0").index(), IpPrefix.parse("10.9.0." + i + "/24"));
                rh.links().setUp("eth0");
            }
            int p1 = r.links().get("p1").index();
            int p2 = r.links().get("p2").index();
            int p3 = r.links().get("p3").index();

            BridgePort fresh = r.bridgePorts().get(p1);
            assertThat(fresh.name()).isEqualTo("p1");
            assertThat(fresh.masterIndex()).isEqualTo(br);
            assertThat(fresh.learning()).isTrue();
            assertThat(fresh.unicastFlood()).isTrue();
            assertThat(fresh.isolated()).isFalse();
            assertThat(r.bridgePorts().list()).extracting(BridgePort::name).containsExactlyInAnyOrder("p1", "p2", "p3");

            r.bridgePorts().setIsolated(p1, true);
            r.bridgePorts().setIsolated(p2, true);
            r.bridgePorts().setIsolated(p2, true); // idempotent
            assertThat(r.bridgePorts().get(p1).isolated()).isTrue();
            assertThat(ping(t, "h1", "10.9.0.3")).as("isolated -> ordinary").isTrue();
            assertThat(blocked(t, "h1", "10.9.0.2")).as("isolated -> isolated").isTrue();
            r.bridgePorts().setIsolated(p2, false);
            assertThat(ping(t, "h1", "10.9.0.2")).as("isolation lifted").isTrue();

            assertThat(r.bridgePorts().entries(p1))
                    .as("learnt from the pings")
                    .anySatisfy(n -> assertThat(n.isPermanent()).isFalse());
            r.bridgePorts().flushLearned(p1);
            assertThat(r.bridgePorts().entries(p1)).as("flushed").allSatisfy(n -> assertThat(n.isPermanent())
                    .isTrue());

            MacAddress pinned = MacAddress.parse("02:00:00:00:77:01");
            r.bridgePorts().addStatic(p3, pinned);
            r.bridgePorts().addStatic(p3, pinned); // idempotent
            r.bridgePorts().flushLearned(p3);
            assertThat(r.bridgePorts().entries(p3))
                    .as("static entries survive a flush")
                    .anySatisfy(n -> assertThat(n.mac()).isEqualTo(pinned));
            r.bridgePorts().deleteEntry(p3, pinned);
            assertThat(r.bridgePorts().entries(p3)).noneMatch(n -> pinned.equals(n.mac()));
            assertThatThrownBy(() -> r.bridgePorts().deleteEntry(p3, pinned))
                    .isInstanceOf(NetlinkException.class)
                    .hasMessageContaining("bridge fdb entry 02:00:00:00:77:01 on port #" + p3);

            r.bridgePorts().setLearning(p3, false);
            r.bridgePorts().setFlooding(p3, false);
            r.bridgePorts().flushLearned(p3);
            BridgePort quiet = r.bridgePorts().get(p3);
            assertThat(quiet.learning()).isFalse();
            assertThat(quiet.unicastFlood()).isFalse();
            assertThat(quiet.multicastFlood()).isFalse();
            assertThat(quiet.broadcastFlood()).isFalse();
            r.bridgePorts().flushLearned(p1);
            r.bridgePorts().flushLearned(p2);
            // The bridge knows no MAC on p3 any more and learns none there: neither h1's ARP request
            // (broadcast) nor its unicast to h3's cached MAC (unknown unicast) leaves through p3.
            assertThat(ping(t, "h1", "10.9.0.3"))
                    .as("nothing flooded out of a non-flooding port")
                    .isFalse();

            assertThatThrownBy(() -> r.bridgePorts().get(br)).isInstanceOf(KernelException.class);
        }
    }

    /** One reply within 3 s (a fresh ARP resolution may need a retry after a failed one). */
    private static boolean ping(TestNamespaces t, String host, String ip) throws IOException, InterruptedException {
        return run(t, host, "ping", "-c", "1", "-w", "3", ip);
    }

    /** Two pings, no reply within 1 s of the last. */
    private static boolean blocked(TestNamespaces t, String host, String ip) throws IOException, InterruptedException {
        return !run(t, host, "ping", "-c", "2", "-i", "0.2", "-W", "1", ip);
    }

    private static boolean run(TestNamespaces t, String host, String... command)
            throws IOException, InterruptedException {
        java.util.List<String> argv =
                new java.util.ArrayList<>(java.util.List.of("ip", "netns", "exec", t.prefix + host));
        argv.addAll(List.of(command));
        Process p = new ProcessBuilder(argv)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return false;
        }
        return p.exitValue() == 0;
    }
}
