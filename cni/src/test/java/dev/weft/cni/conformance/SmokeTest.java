package dev.weft.cni.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.cni.libcni.CniRuntime;
import dev.weft.cni.testing.CniTestbed;
import dev.weft.cni.testing.MemoryAllocator;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void addCheckDel() throws Exception {
        var ipam = new MemoryAllocator("10.32.0.0/24", true);
        try (var bed = new CniTestbed(ipam)) {
            var rt = bed.runtime();
            var pod = bed.pod("p1");
            var a = CniRuntime.Attachment.of("c1", pod.toString(), "eth0");
            var list = bed.weftOnly("1.1.0");
            var result = rt.add(list, a);
            System.out.println(result);
            rt.check(list, a);
            assertThat(CniTestbed.exec(pod, "ping", "-c1", "-W2", CniTestbed.GATEWAY))
                    .isZero();
            rt.del(list, a);
            assertThat(bed.hostVeths()).isEmpty();
            assertThat(ipam.inUse()).isZero();
        }
    }
}
