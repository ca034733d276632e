package dev.weft.router.cni;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.cni.libcni.CniRuntime;
import dev.weft.cni.libcni.NetworkConfigList;
import dev.weft.cni.testing.CniTestbed;
import dev.weft.gossip.api.PeerName;
import dev.weft.ipam.api.Cidr;
import dev.weft.ipam.api.ContainerId;
import dev.weft.ipam.api.InitMode;
import dev.weft.ipam.api.IpamConfig;
import dev.weft.ipam.runtime.IpamRuntime;
import dev.weft.router.ipam.CniAddressAllocator;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CNI plugin with the real IPAM behind it (SQLite-backed ring, router's allocator adapter):
 * the shim executed as libcni does, addresses from IPAM by container id, persisted across a
 * restart of both, released by DEL, distinct under parallel ADDs.
 */
class CniWithIpamTest {
    static final PeerName ME = PeerName.parse("02:00:00:00:00:01");
    static final IpamConfig CONFIG = IpamConfig.of(Cidr.parse("10.32.0.0/24"), null, new InitMode.Consensus(1));

    @TempDir
    Path data;

    static CniAddressAllocator allocator(IpamRuntime ipam) throws Exception {
        // the bridge's address belongs to "weft:expose", as the router claims it
        ipam.ipam()
                .claim(ContainerId.of("weft:expose"), Cidr.parse(CniTestbed.GATEWAY + "/24"), Duration.ofSeconds(10))
                .get(15, TimeUnit.SECONDS);
        return new CniAddressAllocator(
                ipam.ipam(), InstantSource.system(), Optional.of(InetAddress.getByName(CniTestbed.GATEWAY)));
    }

    @Test
    void addCheckDelThroughRealIpamAcrossARestart() throws Exception {
        IpamRuntime ipam = IpamRuntime.standalone(CONFIG, ME, data);
        try (CniTestbed bed = new CniTestbed(allocator(ipam))) {
            CniRuntime rt = bed.runtime();
            NetworkConfigList list = bed.weftAndPortmap("1.0.0");
            var a = CniRuntime.Attachment.of("ipam-a", bed.pod("ipam-a").toString(), "eth0");
            ObjectNode r = rt.add(list, a);
            String address = r.get("ips").get(0).get("address").asText();
            assertThat(address).startsWith("10.32.0.").endsWith("/24").isNotEqualTo(CniTestbed.GATEWAY + "/24");
            assertThat(ipam.ipam()
                            .lookup(ContainerId.of("ipam-a"))
                            .get()
                            .getFirst()
                            .toString())
                    .isEqualTo(address);
            assertThat(r.get("routes").get(0).get("gw").asText()).isEqualTo(CniTestbed.GATEWAY);
            assertThat(CniTestbed.exec(Path.of(a.netns()), "ping", "-c1", "-W2", CniTestbed.GATEWAY))
                    .isZero();

            // restart IPAM (from its store) and the CNI side: the attachment is still known
            ipam.close();
            ipam = IpamRuntime.standalone(CONFIG, ME, data);
            bed.restartRouter(allocator(ipam));
            var weftOnly = bed.weftOnly("1.0.0");
            rt.invoke("weft", "CHECK", a, checkConf(weftOnly, a, r));
            rt.del(list, a);
            assertThat(ipam.ipam().lookup(ContainerId.of("ipam-a")).get()).isEmpty();
            assertThat(bed.hostVeths()).isEmpty();
        } finally {
            ipam.close();
        }
    }

    @Test
    void parallelAddsGetDistinctAddressesFromIpam() throws Exception {
        IpamRuntime ipam = IpamRuntime.standalone(CONFIG, ME, data);
        try (CniTestbed bed = new CniTestbed(allocator(ipam))) {
            CniRuntime rt = bed.runtime();
            NetworkConfigList list = bed.weftOnly("1.1.0");
            List<CniRuntime.Attachment> pods = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                pods.add(
                        CniRuntime.Attachment.of("par-" + i, bed.pod("par-" + i).toString(), "eth0"));
            }
            Set<String> addresses = new HashSet<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(pods.size())) {
                List<Future<ObjectNode>> adds = new ArrayList<>();
                for (var a : pods) {
                    adds.add(pool.submit(() -> rt.add(list, a)));
                }
                for (var f : adds) {
                    addresses.add(f.get().get("ips").get(0).get("address").asText());
                }
            }
            assertThat(addresses).hasSize(pods.size()).doesNotContain(CniTestbed.GATEWAY + "/24");
            assertThat(ipam.ipam().owned().get()).hasSize(pods.size() + 1); // + weft:expose
            try (ExecutorService pool = Executors.newFixedThreadPool(pods.size())) {
                List<Future<?>> dels = new ArrayList<>();
                for (var a : pods) {
                    dels.add(pool.submit(() -> {
                        rt.del(list, a);
                        return null;
                    }));
                }
                for (var f : dels) {
                    f.get();
                }
            }
            assertThat(ipam.ipam().owned().get()).containsOnlyKeys(ContainerId.of("weft:expose"));
            assertThat(bed.hostVeths()).isEmpty();
        } finally {
            ipam.close();
        }
    }

    static ObjectNode checkConf(NetworkConfigList list, CniRuntime.Attachment a, ObjectNode prev) throws Exception {
        ObjectNode c = CniRuntime.requestConfig(list, list.plugins().get(0), "1.0.0", a, true);
        c.set("prevResult", prev);
        return c;
    }
}
