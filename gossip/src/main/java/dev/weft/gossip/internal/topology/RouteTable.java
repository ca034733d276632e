package dev.weft.gossip.internal.topology;

import dev.weft.gossip.api.PeerName;
import dev.weft.gossip.api.Routes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Routes computed from one snapshot of the topology (mesh's {@code routes.calculate}): breadth-first
 * search from ourselves, each level sorted by peer name, so every peer with the same topology picks
 * the same next hops. Broadcast next hops per origin are computed on first use from the same
 * snapshot and cached. Immutable apart from that cache; safe for any thread.
 */
public final class RouteTable implements Routes {

    private final long self;
    private final LongObjectMap<Adjacency> graph;
    private final Map<PeerName, PeerName> unicast;
    private final Map<PeerName, PeerName> unicastAll;
    private final Map<PeerName, List<PeerName>> broadcastCache = new ConcurrentHashMap<>();
    private final Map<PeerName, List<PeerName>> broadcastAllCache = new ConcurrentHashMap<>();
    private final long revision;

    private RouteTable(long self, LongObjectMap<Adjacency> graph, long revision) {
        this.self = self;
        this.graph = graph;
        this.unicast = toMap(search(self, 0, true).hops);
        this.unicastAll = toMap(search(self, 0, false).hops);
        this.revision = revision;
    }

    /** The empty table of a peer that knows nobody. */
    public static RouteTable empty(PeerName self) {
        LongObjectMap<Adjacency> g = new LongObjectMap<>();
        return new RouteTable(self.value(), g, 0);
    }

    /**
     * Computes routes over {@code peers}' current records. {@code previous} supplies the revision:
     * it is kept only when the graph is the same (then every route is). Unchanged unicast routes are
     * not enough: a connection between two other peers changes their broadcast trees, and a data
     * plane that kept the old ones would relay floods round a loop for ever.
     */
    public static RouteTable compute(Peers peers, RouteTable previous) {
        LongObjectMap<Adjacency> g = new LongObjectMap<>();
        peers.forEach(e -> {
            if (e.record().uid() != 0) {
                g.put(e.record().name().value(), e.record().adjacency());
            }
        });
        long self = peers.self().value();
        RouteTable t = new RouteTable(self, g, previous.revision);
        if (sameGraph(g, previous.graph)) {
            return new RouteTable(t, previous.revision);
        }
        return new RouteTable(t, previous.revision + 1);
    }

    private RouteTable(RouteTable t, long revision) {
        this.self = t.self;
        this.graph = t.graph;
        this.unicast = t.unicast;
        this.unicastAll = t.unicastAll;
        this.revision = revision;
    }

    private static boolean sameGraph(LongObjectMap<Adjacency> a, LongObjectMap<Adjacency> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (long k : a.sortedKeys()) {
            Adjacency x = a.get(k);
            Adjacency y = b.get(k);
            if (y == null || !x.sameAs(y)) {
                return false;
            }
        }
        return true;
    }

    private static Map<PeerName, PeerName> toMap(LongObjectMap<long[]> hops) {
        Map<PeerName, PeerName> m = new HashMap<>();
        for (long k : hops.sortedKeys()) {
            long hop = hops.get(k)[0];
            if (hop != 0) {
                m.put(PeerName.of(k), PeerName.of(hop));
            }
        }
        return Collections.unmodifiableMap(m);
    }

    private record Search(boolean found, LongObjectMap<long[]> hops) {}

    /**
     * BFS from {@code start}; stops when {@code stopAt} is dequeued (0: never). {@code hops} maps
     * every reached peer to the first hop from {@code start} (0 for {@code start} itself).
     */
    private Search search(long start, long stopAt, boolean establishedSymmetric) {
        LongObjectMap<long[]> hops = new LongObjectMap<>();
        hops.put(start, new long[] {0});
        long[] level = {start};
        int levelSize = 1;
        while (levelSize > 0) {
            Arrays.sort(level, 0, levelSize);
            long[] next = new long[16];
            int nextSize = 0;
            for (int li = 0; li < levelSize; li++) {
                long cur = level[li];
                if (cur == stopAt) {
                    return new Search(true, hops);
                }
                Adjacency adj = graph.get(cur);
                if (adj == null) {
                    continue;
                }
                long curHop = hops.get(cur)[0];
                for (int i = 0; i < adj.size(); i++) {
                    long n = adj.name(i);
                    if (hops.get(n) != null) {
                        continue;
                    }
                    if (establishedSymmetric) {
                        if (!adj.established(i)) {
                            continue;
                        }
                        Adjacency back = graph.get(n);
                        if (back == null || !back.connectsTo(cur, true)) {
                            continue;
                        }
                    }
                    hops.put(n, new long[] {cur == start ? n : curHop});
                    if (nextSize == next.length) {
                        next = Arrays.copyOf(next, nextSize * 2);
                    }
                    next[nextSize++] = n;
                }
            }
            level = next;
            levelSize = nextSize;
        }
        return new Search(false, hops);
    }

    private List<PeerName> broadcastHops(PeerName origin, boolean establishedSymmetric) {
        long o = origin.value();
        if (o != self && graph.get(o) == null) {
            return List.of();
        }
        Search s = search(o, self, establishedSymmetric);
        if (!s.found) {
            return List.of();
        }
        Adjacency ours = graph.get(self);
        if (ours == null) {
            return List.of();
        }
        List<PeerName> out = new ArrayList<>();
        for (int i = 0; i < ours.size(); i++) {
            long n = ours.name(i);
            if (s.hops.get(n) != null) {
                continue;
            }
            if (establishedSymmetric) {
                Adjacency back = graph.get(n);
                if (!ours.established(i) || back == null || !back.connectsTo(self, true)) {
                    continue;
                }
            }
            out.add(PeerName.of(n));
        }
        return List.copyOf(out);
    }

    @Override
    public PeerName unicastNextHop(PeerName destination) {
        return unicast.get(destination);
    }

    @Override
    public PeerName unicastAllNextHop(PeerName destination) {
        return unicastAll.get(destination);
    }

    @Override
    public List<PeerName> broadcastNextHops(PeerName origin) {
        return broadcastCache.computeIfAbsent(origin, o -> broadcastHops(o, true));
    }

    @Override
    public List<PeerName> broadcastAllNextHops(PeerName origin) {
        return broadcastAllCache.computeIfAbsent(origin, o -> broadcastHops(o, false));
    }

    @Override
    public long revision() {
        return revision;
    }

    /** Destinations reachable over established symmetric connections, for status. */
    public Map<PeerName, PeerName> unicastRoutes() {
        return unicast;
    }

    /** Destinations reachable over all reported connections. */
    public Map<PeerName, PeerName> unicastAllRoutes() {
        return unicastAll;
    }
}
