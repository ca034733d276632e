package dev.weft.cni.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.cni.libcni.CniRuntime;
import dev.weft.cni.libcni.NetworkConfigList;
import dev.weft.cni.testing.CniTestbed;
import dev.weft.linux.api.RtNetlink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** P21 and the concurrency requirement: 100 parallel ADDs, then 100 parallel DELs. */
class ConcurrencyTest extends ConformanceBase {
    static final int PODS = 100;

    @Test
    void hundredParallelAddsThenHundredParallelDels() throws Exception {
        NetworkConfigList list = bed.weftOnly("1.1.0");
        List<CniRuntime.Attachment> pods = new ArrayList<>();
        for (int i = 0; i < PODS; i++) {
            pods.add(newPod("par"));
        }
        List<String> addresses;
        try (ExecutorService pool = Executors.newFixedThreadPool(PODS)) {
            List<Future<ObjectNode>> adds = new ArrayList<>();
            for (var a : pods) {
                adds.add(pool.submit(() -> rt.add(list, a)));
            }
            addresses = new ArrayList<>();
            for (var f : adds) {
                addresses.add(f.get().get("ips").get(0).get("address").asText());
            }
        }
        assertThat(Set.copyOf(addresses)).as("100 distinct addresses").hasSize(PODS);
        assertThat(ipam.inUse()).isEqualTo(PODS);
        assertThat(bed.hostVeths()).hasSize(PODS);

        // every interface works: up, addressed, and reachable from the host side of the bridge
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            List<Future<Integer>> pings = new ArrayList<>();
            for (int i = 0; i < PODS; i++) {
                var a = pods.get(i);
                String addr = addresses.get(i);
                try (RtNetlink pod = CniTestbed.rtnetlink(Path.of(a.netns()))) {
                    var eth0 = pod.links().get("eth0");
                    assertThat(eth0.isUp()).isTrue();
                    assertThat(pod.addresses().list(eth0.index()))
                            .anyMatch(x -> (x.prefix().address().getHostAddress() + "/"
                                            + x.prefix().length())
                                    .equals(addr));
                }
                pings.add(
                        pool.submit(() -> CniTestbed.exec(bed.host.path(), "ping", "-c1", "-W2", addr.split("/")[0])));
            }
            for (var p : pings) {
                assertThat(p.get()).isZero();
            }
        }

        try (ExecutorService pool = Executors.newFixedThreadPool(PODS)) {
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
        assertThat(ipam.inUse()).isZero();
        assertThat(bed.hostVeths()).isEmpty();
        for (var a : pods) {
            assertThat(podLink(a)).isEmpty();
        }
        try (Stream<Path> records = Files.list(bed.config().stateDir())) {
            assertThat(records.filter(p -> p.toString().endsWith(".json"))).isEmpty();
        }
    }

    /** P21: ADD/DEL pairs racing each other never hand one address to two live attachments. */
    @Test
    void p21ParallelAddDelPairs() throws Exception {
        NetworkConfigList list = bed.weftOnly("1.0.0");
        Set<String> live = ConcurrentHashMap.newKeySet();
        List<CniRuntime.Attachment> pods = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            pods.add(newPod("pair"));
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(50)) {
            List<Future<?>> runs = new ArrayList<>();
            for (var a : pods) {
                runs.add(pool.submit(() -> {
                    for (int round = 0; round < 2; round++) {
                        String addr =
                                rt.add(list, a).get("ips").get(0).get("address").asText();
                        assertThat(live.add(addr))
                                .as("%s handed out twice", addr)
                                .isTrue();
                        live.remove(addr);
                        rt.del(list, a);
                    }
                    return null;
                }));
            }
            for (var f : runs) {
                f.get();
            }
        }
        assertThat(ipam.inUse()).isZero();
        assertThat(bed.hostVeths()).isEmpty();
    }
}
