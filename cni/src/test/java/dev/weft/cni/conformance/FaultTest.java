package dev.weft.cni.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.cni.libcni.NetworkConfigList;
import dev.weft.cni.libcni.PluginException;
import dev.weft.cni.testing.CniTestbed;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The router going away and coming back around CNI operations. */
class FaultTest extends ConformanceBase {

    static InetAddress address(ObjectNode r) throws Exception {
        return InetAddress.getByName(r.get("ips").get(0).get("address").asText().split("/")[0]);
    }

    @Test
    void routerRestartedBetweenAddAndDel() throws Exception {
        NetworkConfigList list = bed.weftAndPortmap("1.0.0");
        var a = newPod("restart");
        InetAddress ip = address(rt.add(list, a));
        bed.stopRouter();
        bed.startRouter(); // a new server: everything it knows comes from disk
        rt.del(list, a);
        assertThat(ipam.owner(ip)).isEmpty();
        assertThat(podLink(a)).isEmpty();
    }

    @Test
    void checkAfterARestartFindsTheAttachment() throws Exception {
        NetworkConfigList list = bed.weftOnly("1.1.0");
        var a = newPod("restart-check");
        rt.add(list, a);
        bed.stopRouter();
        bed.startRouter();
        rt.check(list, a);
        rt.del(list, a);
    }

    @Test
    void addWhileTheRouterIsDownIsTryAgainLater() throws Exception {
        NetworkConfigList list = bed.weftOnly("1.1.0");
        var a = newPod("down-add");
        bed.stopRouter();
        try {
            PluginException e = failure(() -> rt.add(list, a));
            assertThat(e.code()).isEqualTo(11);
            assertThat(podLink(a)).isEmpty();
            rt.del(list, a); // the runtime's DEL after the failed ADD: queued
        } finally {
            bed.startRouter();
        }
        rt.add(list, a); // the queued DEL ran before this ADD was served
        rt.check(list, a);
        rt.del(list, a);
    }

    @Test
    void delQueuedForAGonePodIsApplied() throws Exception {
        NetworkConfigList list = bed.weftOnly("1.1.0");
        var a = newPod("down-gone");
        InetAddress ip = address(rt.add(list, a));
        bed.stopRouter();
        try {
            bed.deletePod(Path.of(a.netns()));
            rt.del(list, a);
        } finally {
            bed.startRouter();
        }
        assertThat(ipam.owner(ip)).isEmpty();
    }

    @Test
    void queuedDelsThatMustWaitForIpamAreRetried() throws Exception {
        NetworkConfigList list = bed.weftOnly("1.1.0");
        var a = newPod("down-wait");
        InetAddress ip = address(rt.add(list, a));
        bed.stopRouter();
        bed.config(bed.config().withDeleteQueueRetry(java.time.Duration.ofMillis(200)));
        try {
            rt.del(list, a);
            ipam.setUnavailable("ring not seeded yet");
            bed.startRouter();
            assertThat(ipam.owner(ip)).as("IPAM refused the release at start").isPresent();
            assertThat(queued()).hasSize(1);
        } finally {
            ipam.setUnavailable(null);
        }
        java.time.Instant deadline = java.time.Instant.now().plusSeconds(10);
        while (!queued().isEmpty() && java.time.Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
        assertThat(queued()).isEmpty();
        assertThat(ipam.owner(ip)).isEmpty();
    }

    java.util.List<Path> queued() throws Exception {
        try (Stream<Path> s = Files.list(bed.config().deleteQueue())) {
            return s.filter(p -> p.toString().endsWith(".del")).toList();
        }
    }

    @Test
    void unreadableQueueEntriesAreKeptAside() throws Exception {
        bed.stopRouter();
        Path junk = bed.config().deleteQueue().resolve("0000000000000000.del");
        try {
            Files.createDirectories(junk.getParent());
            Files.writeString(junk, "not a frame");
        } finally {
            bed.startRouter();
        }
        assertThat(junk).doesNotExist();
        try (Stream<Path> s = Files.list(junk.getParent())) {
            assertThat(s.map(p -> p.getFileName().toString())).contains("0000000000000000.del.bad");
        }
    }

    @Test
    void socketAndConfListLifecycle() throws Exception {
        Path conf = bed.config().confDir().orElseThrow().resolve("10-weft.conflist");
        assertThat(conf).exists();
        assertThat(Files.getPosixFilePermissions(bed.config().socket()).toString())
                .isEqualTo("[OWNER_READ, OWNER_WRITE]");
        bed.stopRouter();
        try {
            assertThat(conf).as("never removed on shutdown").exists();
            assertThat(bed.config().socket()).doesNotExist();
        } finally {
            bed.startRouter();
        }
        var written = NetworkConfigList.read(conf);
        assertThat(written.plugins()).extracting(p -> p.get("type").asText()).containsExactly("weft", "portmap");
        assertThat(bed.config().binDir().orElseThrow().resolve("weft")).isExecutable();
        assertThat(Files.readSymbolicLink(bed.config().binDir().orElseThrow().resolve("weft-ipam")))
                .isEqualTo(Path.of("weft"));
        assertThat(Files.mismatch(
                        bed.config().binDir().orElseThrow().resolve("weft"), dev.weft.cni.testing.Shim.binary()))
                .isEqualTo(-1L);
        assertThat(CniTestbed.BRIDGE)
                .isEqualTo(written.plugins().get(0).get("bridge").asText());
    }
}
