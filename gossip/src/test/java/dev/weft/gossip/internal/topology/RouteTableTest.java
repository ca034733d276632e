package dev.weft.gossip.internal.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.gossip.api.ConnectionInfo;
import dev.weft.gossip.api.PeerName;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * Routes computed independently by every peer of a random partial mesh (each applying the records
 * in its own random order) fit together: following unicast next hops from anyone reaches anyone
 * without loops, and for every origin the peers' broadcast next hops form one spanning tree (every
 * other peer gets a broadcast exactly once). The seed is printed.
 */
class RouteTableTest {

    private static PeerName name(int i) {
        return PeerName.of(0x020000000000L | (i + 1));
    }

    @RepeatedTest(5)
    void everyPeerComputesRoutesThatFitTogether() {
        long seed = new SecureRandom().nextLong();
        System.err.println("RouteTableTest seed=" + seed);
        Random r = new Random(seed);
        int n = 30 + r.nextInt(30);
        List<TreeSet<Integer>> links = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            links.add(new TreeSet<>());
        }
        for (int i = 1; i < n; i++) {
            int j = r.nextInt(i);
            links.get(i).add(j);
            links.get(j).add(i);
            if (r.nextInt(3) == 0) {
                int o = r.nextInt(n);
                if (o != i) {
                    links.get(i).add(o);
                    links.get(o).add(i);
                }
            }
        }
        InetSocketAddress addr = new InetSocketAddress("10.0.0.1", 6783);
        List<PeerRecord> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<ConnectionInfo> cs = new ArrayList<>();
            for (int j : links.get(i)) {
                cs.add(new ConnectionInfo(name(j), addr, j > i, true));
            }
            records.add(PeerRecordCodec.encode(name(i), 100 + i, 1 + r.nextInt(5), i, "p" + i, List.of(addr), cs));
        }
        List<RouteTable> tables = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Peers peers = new Peers(records.get(i), e -> {});
            List<PeerRecord> others = new ArrayList<>(records);
            others.remove(i);
            Collections.shuffle(others, r);
            for (PeerRecord rec : others) {
                peers.apply(rec);
            }
            tables.add(RouteTable.compute(peers, RouteTable.empty(name(i))));
        }
        for (int x = 0; x < n; x++) {
            for (int y = 0; y < n; y++) {
                if (x == y) {
                    continue;
                }
                int at = x;
                for (int hops = 0; at != y; hops++) {
                    assertThat(hops).as("seed %d: %d -> %d loops", seed, x, y).isLessThan(n);
                    PeerName next = tables.get(at).unicastNextHop(name(y));
                    assertThat(next)
                            .as("seed %d: %d has a next hop to %d", seed, at, y)
                            .isNotNull();
                    int ni = (int) (next.value() & 0xFFFF) - 1;
                    assertThat(links.get(at)).as("a next hop is a neighbour").contains(ni);
                    at = ni;
                }
            }
        }
        for (int o = 0; o < n; o++) {
            int[] parents = new int[n];
            for (int x = 0; x < n; x++) {
                for (PeerName child : tables.get(x).broadcastNextHops(name(o))) {
                    int c = (int) (child.value() & 0xFFFF) - 1;
                    assertThat(links.get(x)).contains(c);
                    parents[c]++;
                }
            }
            for (int x = 0; x < n; x++) {
                assertThat(parents[x])
                        .as("seed %d: peer %d receives origin %d's broadcast exactly once", seed, x, o)
                        .isEqualTo(x == o ? 0 : 1);
            }
        }
    }

    @Test
    void aConnectionBetweenTwoOtherPeersChangesTheRevisionAndTheirBroadcastTree() {
        // Seen from peer 1 of a triangle: 0-1 and 1-2 first, then 0-2 appears. Peer 1's unicast
        // routes stay direct, but 0's floods must no longer be relayed to 2 (else 1 and 2, each
        // keeping the old tree, relay 0's floods to each other for ever).
        InetSocketAddress addr = new InetSocketAddress("10.0.0.1", 6783);
        PeerRecord self = record(1, 1, addr, 0, 2);
        Peers peers = new Peers(self, e -> {});
        peers.apply(record(0, 1, addr, 1));
        peers.apply(record(2, 1, addr, 1));
        RouteTable before = RouteTable.compute(peers, RouteTable.empty(name(1)));
        assertThat(before.broadcastNextHops(name(0))).containsExactly(name(2));
        peers.apply(record(0, 2, addr, 1, 2));
        peers.apply(record(2, 2, addr, 0, 1));
        RouteTable after = RouteTable.compute(peers, before);
        assertThat(after.unicastNextHop(name(0))).isEqualTo(before.unicastNextHop(name(0)));
        assertThat(after.unicastNextHop(name(2))).isEqualTo(before.unicastNextHop(name(2)));
        assertThat(after.broadcastNextHops(name(0))).isEmpty();
        assertThat(after.revision()).as("listeners must hear of it").isGreaterThan(before.revision());
        assertThat(RouteTable.compute(peers, after).revision())
                .as("the same graph keeps the revision")
                .isEqualTo(after.revision());
    }

    private static PeerRecord record(int i, long version, InetSocketAddress addr, int... links) {
        List<ConnectionInfo> cs = new ArrayList<>();
        for (int j : links) {
            cs.add(new ConnectionInfo(name(j), addr, j > i, true));
        }
        return PeerRecordCodec.encode(name(i), 100 + i, version, i, "p" + i, List.of(addr), cs);
    }
}
