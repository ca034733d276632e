package dev.weft.router.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.gossip.api.MeshStatus;
import dev.weft.gossip.api.PeerName;
import dev.weft.gossip.runtime.ScalecubeMembership;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A router started with scalecube membership ({@code weft launch --discovery scalecube}) finds a
 * peer it was given no mesh address of: the only seed is the other's membership port.
 */
class RouterMembershipTest {

    @TempDir
    Path dir;

    private final List<Router> routers = new ArrayList<>();
    private final List<ScalecubeMembership> memberships = new ArrayList<>();

    @AfterEach
    void stop() {
        routers.forEach(Router::close);
        memberships.forEach(ScalecubeMembership::close); // idempotent: the mesh closed them already
    }

    private Router start(int i, List<String> seeds) throws Exception {
        ScalecubeMembership m = new ScalecubeMembership(new ScalecubeMembership.Settings(
                0,
                seeds,
                "router-test-" + ProcessHandle.current().pid(),
                Duration.ofMillis(300),
                Duration.ofSeconds(2)));
        memberships.add(m);
        RouterConfig c = new RouterConfig(
                PeerName.of(0x0c00_0000_0000L + i),
                "m" + i,
                null,
                List.of(),
                "127.0.0.1",
                0,
                200,
                true,
                new InetSocketAddress("127.0.0.1", 0),
                dir.resolve("m" + i));
        Router r = Router.start(c, Router.coreComponents(), m);
        routers.add(r);
        return r;
    }

    private static boolean connected(Router r) {
        return r.mesh().status().connections().stream()
                .anyMatch(c -> c.state() == MeshStatus.ConnectionState.ESTABLISHED);
    }

    @Test
    void routersWithoutPeerAddressesConnectThroughMembership() throws Exception {
        Router a = start(1, List.of());
        String seed = memberships.getFirst().address();
        Router b = start(2, List.of("127.0.0.1:" + seed.substring(seed.lastIndexOf(':') + 1)));
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < end && !(connected(a) && connected(b))) {
            Thread.sleep(100);
        }
        assertThat(connected(a) && connected(b))
                .as("connected via membership hints: %s", b.mesh().status().connections())
                .isTrue();
        assertThat(b.mesh().status().connections().getFirst().peer())
                .isEqualTo(a.mesh().name());
    }
}
