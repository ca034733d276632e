package dev.weft.router.kernel;

import dev.weft.gossip.api.PeerName;
import dev.weft.gossip.api.Routes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Routes over a known set of established links, computed as the mesh does (breadth-first, each
 * level in peer-name order), so every node agrees: unicast next hops and broadcast trees.
 */
final class MeshRoutes implements Routes {
    private final PeerName self;
    private final Map<PeerName, Set<PeerName>> links;

    MeshRoutes(PeerName self, Map<PeerName, Set<PeerName>> links) {
        this.self = self;
        this.links = links;
    }

    /** BFS from {@code root}: each reached peer's parent. */
    private Map<PeerName, PeerName> tree(PeerName root) {
        Map<PeerName, PeerName> parent = new HashMap<>();
        parent.put(root, root);
        Deque<PeerName> q = new ArrayDeque<>(List.of(root));
        while (!q.isEmpty()) {
            PeerName p = q.poll();
            for (PeerName n : new TreeSet<>(links.getOrDefault(p, Set.of()))) {
                if (!parent.containsKey(n)) {
                    parent.put(n, p);
                    q.add(n);
                }
            }
        }
        return parent;
    }

    @Override
    public PeerName unicastNextHop(PeerName destination) {
        if (destination.equals(self)) {
            return null;
        }
        Map<PeerName, PeerName> parent = tree(self);
        if (!parent.containsKey(destination)) {
            return null;
        }
        PeerName p = destination;
        while (!parent.get(p).equals(self)) {
            p = parent.get(p);
        }
        return p;
    }

    @Override
    public PeerName unicastAllNextHop(PeerName destination) {
        return unicastNextHop(destination);
    }

    @Override
    public List<PeerName> broadcastNextHops(PeerName origin) {
        Map<PeerName, PeerName> parent = tree(origin);
        List<PeerName> children = new ArrayList<>();
        for (var e : parent.entrySet()) {
            if (e.getValue().equals(self) && !e.getKey().equals(self)) {
                children.add(e.getKey());
            }
        }
        children.sort(null);
        return children;
    }

    @Override
    public List<PeerName> broadcastAllNextHops(PeerName origin) {
        return broadcastNextHops(origin);
    }

    @Override
    public long revision() {
        return 0;
    }
}
