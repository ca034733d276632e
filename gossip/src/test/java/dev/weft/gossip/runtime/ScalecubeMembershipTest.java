package dev.weft.gossip.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.gossip.api.Mesh;
import dev.weft.gossip.api.MeshConfig;
import dev.weft.gossip.api.MeshStatus;
import dev.weft.gossip.api.PeerName;
import dev.weft.gossip.api.PeerUid;
import dev.weft.gossip.spi.Membership;
import dev.weft.gossip.spi.NullOverlay;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * scalecube-cluster as a membership source, for real over loopback: members learn each other's
 * peer names, UIDs and mesh addresses from our own metadata codec, hear "gone" when one leaves, and
 * meshes that were given no peer addresses at all find each other through it.
 */
class ScalecubeMembershipTest {

    private static final String NS = "weft-test-" + Long.toHexString(System.nanoTime());

    /** What one listener heard, by peer name. */
    private static final class Heard implements Membership.Listener {
        final Map<PeerName, Membership.Member> seen = new ConcurrentHashMap<>();
        final Map<PeerName, Membership.Member> gone = new ConcurrentHashMap<>();

        @Override
        public void seen(Membership.Member member) {
            seen.put(member.name(), member);
        }

        @Override
        public void gone(Membership.Member member) {
            gone.put(member.name(), member);
        }
    }

    private static boolean await(BooleanSupplier c, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            if (c.getAsBoolean()) {
                return true;
            }
            Thread.sleep(50);
        }
        return c.getAsBoolean();
    }

    private static Membership.Member member(int i) {
        return new Membership.Member(
                PeerName.of(0x0a0000000000L + i),
                new PeerUid(1000 + i),
                "m" + i,
                new InetSocketAddress("127.0.0.1", 7000 + i));
    }

    @Test
    void membersLearnEachOtherAndHearWhenOneLeaves() throws Exception {
        List<ScalecubeMembership> all = new ArrayList<>();
        List<Heard> heard = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                List<String> seeds = i == 0 ? List.of() : List.of("127.0.0.1:" + port(all.getFirst()));
                ScalecubeMembership m = new ScalecubeMembership(
                        new ScalecubeMembership.Settings(0, seeds, NS, Duration.ofMillis(300), Duration.ofSeconds(2)));
                Heard h = new Heard();
                m.start(member(i), h);
                all.add(m);
                heard.add(h);
            }
            assertThat(await(() -> heard.stream().allMatch(h -> h.seen.size() == 2), Duration.ofSeconds(30)))
                    .as(
                            "everyone heard of the two others: %s",
                            heard.stream().map(h -> h.seen.keySet()).toList())
                    .isTrue();
            Membership.Member got = heard.get(0).seen.get(member(2).name());
            assertThat(got).isEqualTo(member(2));
            all.get(2).close();
            assertThat(await(
                            () -> heard.get(0).gone.containsKey(member(2).name())
                                    && heard.get(1).gone.containsKey(member(2).name()),
                            Duration.ofSeconds(30)))
                    .as("a leaving member is reported gone")
                    .isTrue();
        } finally {
            all.forEach(ScalecubeMembership::close);
        }
    }

    private static int port(ScalecubeMembership m) {
        String a = m.address();
        return Integer.parseInt(a.substring(a.lastIndexOf(':') + 1));
    }

    @Test
    void meshesWithoutPeerAddressesFindEachOtherThroughMembership() throws Exception {
        RealEnvironment env = new RealEnvironment(2);
        List<Mesh> meshes = new ArrayList<>();
        List<ScalecubeMembership> memberships = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                List<String> seeds = i == 0 ? List.of() : List.of("127.0.0.1:" + port(memberships.getFirst()));
                ScalecubeMembership m = new ScalecubeMembership(new ScalecubeMembership.Settings(
                        0, seeds, NS + "-mesh", Duration.ofMillis(300), Duration.ofSeconds(2)));
                memberships.add(m);
                meshes.add(MeshRuntime.start(
                        MeshConfig.defaults(PeerName.of(0x0b0000000000L + i), "s" + i),
                        MeshRuntime.Options.of(
                                new InetSocketAddress("127.0.0.1", 0), "pw".getBytes(StandardCharsets.UTF_8)),
                        new NullOverlay(),
                        m,
                        env,
                        List.of()));
            }
            boolean full = await(
                    () -> meshes.stream()
                            .allMatch(x -> x.status().connections().stream()
                                            .filter(c -> c.state() == MeshStatus.ConnectionState.ESTABLISHED)
                                            .count()
                                    == 2),
                    Duration.ofSeconds(60));
            assertThat(full)
                    .as(
                            "full mesh from membership hints alone: %s",
                            meshes.stream().map(x -> x.status().connections()).toList())
                    .isTrue();
        } finally {
            meshes.forEach(Mesh::close);
            memberships.forEach(ScalecubeMembership::close);
            env.close();
        }
    }
}
