package dev.weft.bench.gossip;

import dev.weft.gossip.api.ConnectionInfo;
import dev.weft.gossip.api.PeerName;
import dev.weft.gossip.internal.topology.PeerRecord;
import dev.weft.gossip.internal.topology.PeerRecordCodec;
import dev.weft.gossip.internal.topology.Peers;
import dev.weft.gossip.internal.topology.RouteTable;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Route calculation (the deterministic BFS every peer runs after a topology change) over {@code
 * peers} peers, one thread: a full mesh ({@code degree} 0) or a random connected graph where each
 * peer has about {@code degree} established connections. {@code compute} builds the unicast
 * tables; {@code computeWithBroadcastTree} also builds one origin's broadcast tree, as a broadcast
 * after a change does. The 100-peer runs are the baseline for how it grows.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RouteBench {

    @Param({"100", "1000"})
    public int peers;

    /** Connections per peer; 0 means a full mesh. */
    @Param({"0", "8"})
    public int degree;

    private Peers table;
    private RouteTable previous;
    private PeerName origin;

    private static PeerName name(int i) {
        return PeerName.of(0x020000000000L | (i + 1));
    }

    @Setup(Level.Trial)
    public void setUp() {
        List<TreeSet<Integer>> links = new ArrayList<>();
        for (int i = 0; i < peers; i++) {
            links.add(new TreeSet<>());
        }
        SplittableRandom r = new SplittableRandom(42);
        for (int i = 1; i < peers; i++) {
            if (degree == 0) {
                for (int j = 0; j < i; j++) {
                    links.get(i).add(j);
                    links.get(j).add(i);
                }
            } else {
                // Connected: each peer links to one earlier peer, then to random others.
                int j = r.nextInt(i);
                links.get(i).add(j);
                links.get(j).add(i);
                for (int k = 1; k < degree / 2; k++) {
                    int o = r.nextInt(peers);
                    if (o != i) {
                        links.get(i).add(o);
                        links.get(o).add(i);
                    }
                }
            }
        }
        InetSocketAddress addr = new InetSocketAddress("10.0.0.1", 6783);
        List<PeerRecord> records = new ArrayList<>();
        for (int i = 0; i < peers; i++) {
            List<ConnectionInfo> cs = new ArrayList<>();
            for (int j : links.get(i)) {
                cs.add(new ConnectionInfo(name(j), addr, j > i, true));
            }
            records.add(PeerRecordCodec.encode(name(i), i + 1, 1, i % 4096, "p" + i, List.of(addr), cs));
        }
        table = new Peers(records.getFirst(), e -> {});
        for (int i = 1; i < peers; i++) {
            table.apply(records.get(i));
        }
        previous = RouteTable.empty(name(0));
        origin = name(peers / 2);
        RouteTable t = RouteTable.compute(table, previous);
        if (t.unicastRoutes().size() != peers - 1) {
            throw new IllegalStateException(
                    "routes reach " + t.unicastRoutes().size() + " of " + (peers - 1) + " peers");
        }
    }

    @Benchmark
    public RouteTable compute() {
        return RouteTable.compute(table, previous);
    }

    @Benchmark
    public List<PeerName> computeWithBroadcastTree() {
        return RouteTable.compute(table, previous).broadcastNextHops(origin);
    }
}
