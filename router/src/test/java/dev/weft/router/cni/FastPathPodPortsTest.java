package dev.weft.router.cni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.fastpath.api.FastPath;
import dev.weft.fastpath.api.FastPathStatus;
import dev.weft.gossip.spi.Overlay;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** CNI's pod ports follow the data plane's fast path: plugged when it takes pods, else the bridge. */
class FastPathPodPortsTest {

    /** A fast path that takes pods (as the ODP driver) or not (as the VXLAN driver). */
    static final class FakeFastPath implements FastPath {
        final boolean takesPods;
        final Set<String> pods = new HashSet<>();
        final List<String> calls = new ArrayList<>();

        FakeFastPath(boolean takesPods) {
            this.takesPods = takesPods;
        }

        @Override
        public boolean attachPod(String ifname) {
            calls.add("attach " + ifname);
            if (ifname.equals("refused")) {
                throw new IllegalStateException("kernel says no");
            }
            if (!takesPods) {
                return false;
            }
            pods.add(ifname);
            return true;
        }

        @Override
        public boolean detachPod(String ifname) {
            calls.add("detach " + ifname);
            return pods.remove(ifname);
        }

        @Override
        public boolean hasPod(String ifname) {
            return pods.contains(ifname);
        }

        @Override
        public Overlay overlay() {
            throw new UnsupportedOperationException();
        }

        @Override
        public String driver() {
            return takesPods ? "odp" : "vxlan";
        }

        @Override
        public String port() {
            return "weft-dp-b";
        }

        @Override
        public int mtu() {
            return 1376;
        }

        @Override
        public FastPathStatus status() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {}
    }

    @Test
    void withoutAFastPathEveryPodStaysOnTheBridge() {
        FastPathPodPorts ports = new FastPathPodPorts(Optional::empty);
        assertThat(ports.plug("vethwe1")).isFalse();
        assertThat(ports.isPlugged("vethwe1")).isFalse();
        assertThat(ports.unplug("vethwe1")).isFalse();
        assertThat(ports).hasToString("bridge");
    }

    @Test
    void theVxlanDriverTakesNoPods() {
        FakeFastPath vxlan = new FakeFastPath(false);
        FastPathPodPorts ports = new FastPathPodPorts(() -> Optional.of(vxlan));
        assertThat(ports.plug("vethwe1")).isFalse();
        assertThat(ports.isPlugged("vethwe1")).isFalse();
        assertThat(vxlan.calls).containsExactly("attach vethwe1");
    }

    @Test
    void theOdpDriverTakesPodsAndGivesThemBack() {
        FakeFastPath odp = new FakeFastPath(true);
        FastPathPodPorts ports = new FastPathPodPorts(() -> Optional.of(odp));
        assertThat(ports.plug("vethwe1")).isTrue();
        assertThat(ports.isPlugged("vethwe1")).isTrue();
        assertThat(ports.isPlugged("vethwe2")).isFalse();
        assertThat(ports.unplug("vethwe1")).isTrue();
        assertThat(ports.unplug("vethwe1")).isFalse();
        assertThat(odp.calls).containsExactly("attach vethwe1", "detach vethwe1", "detach vethwe1");
        assertThat(ports).hasToString("fast path odp");
        assertThatThrownBy(() -> ports.plug("refused")).hasMessageContaining("kernel says no");
    }

    @Test
    void theFastPathIsLookedUpAtEachCall() {
        AtomicReference<Optional<FastPath>> current = new AtomicReference<>(Optional.empty());
        FastPathPodPorts ports = new FastPathPodPorts(current::get);
        assertThat(ports.plug("vethwe1")).as("before the data plane started").isFalse();
        current.set(Optional.of(new FakeFastPath(true)));
        assertThat(ports.plug("vethwe1")).isTrue();
    }
}
