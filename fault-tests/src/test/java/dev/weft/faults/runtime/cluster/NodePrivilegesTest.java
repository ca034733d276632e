package dev.weft.faults.runtime.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import org.junit.jupiter.api.Test;

class NodePrivilegesTest {

    @Test
    void aFullBoundingSetMeansPlainPrivilegedMode() {
        NodePrivileges p = NodePrivileges.fromBoundingSet(0x1ffffffffffL, 40);
        assertThat(p.missing()).isEmpty();
        HostConfig hc = new HostConfig();
        p.applyTo(hc);
        assertThat(hc.getPrivileged()).isTrue();
        assertThat(p.remounts()).isEmpty();
    }

    @Test
    void aMissingCapabilityIsDroppedFromAnOtherwiseFullSet() {
        // This machine's set: everything but CAP_SYS_RESOURCE (bit 24).
        NodePrivileges p = NodePrivileges.fromBoundingSet(0x1fffeffffffL, 40);
        assertThat(p.missing()).containsExactly(Capability.SYS_RESOURCE);
        HostConfig hc = new HostConfig();
        p.applyTo(hc);
        assertThat(hc.getPrivileged()).isNull();
        assertThat(hc.getCapAdd()).containsExactly(Capability.ALL);
        assertThat(hc.getCapDrop()).containsExactly(Capability.SYS_RESOURCE);
        assertThat(hc.getSecurityOpts()).contains("seccomp=unconfined", "apparmor=unconfined");
        assertThat(p.remounts()).containsExactly("/sys", "/proc/sys");
    }

    @Test
    void capabilitiesTheKernelDoesNotKnowAreNotAskedFor() {
        assertThat(NodePrivileges.fromBoundingSet(0xffffffffffL >>> 3, 36).missing())
                .isEmpty();
    }
}
