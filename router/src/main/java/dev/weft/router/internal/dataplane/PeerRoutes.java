package dev.weft.router.internal.dataplane;

import dev.weft.gossip.api.PeerName;
import dev.weft.gossip.api.Routes;
import dev.weft.sleeve.api.PeerMap;
import java.util.Collection;
import java.util.List;

/**
 * An immutable copy of the mesh's data-plane routes in primitive-keyed maps, so the forwarding
 * threads look next hops up without allocating: unicast next hop per destination peer, and the
 * neighbours a broadcast from each origin goes to next. Rebuilt on every route change.
 */
public final class PeerRoutes {
    private static final long[] NONE = new long[0];
    public static final PeerRoutes EMPTY = new PeerRoutes(0, PeerMap.empty(), PeerMap.empty(), PeerMap.empty());

    private final long self;
    private final PeerMap<Long> unicast;
    private final PeerMap<long[]> broadcast;
    private final PeerMap<PeerName> names;

    private PeerRoutes(long self, PeerMap<Long> unicast, PeerMap<long[]> broadcast, PeerMap<PeerName> names) {
        this.self = self;
        this.unicast = unicast;
        this.broadcast = broadcast;
        this.names = names;
    }

    /** Copies {@code routes} for {@code self} and every peer in {@code peers}. */
    public static PeerRoutes of(PeerName self, Collection<PeerName> peers, Routes routes) {
        PeerMap.Builder<Long> u = new PeerMap.Builder<>();
        PeerMap.Builder<long[]> b = new PeerMap.Builder<>();
        PeerMap.Builder<PeerName> n = new PeerMap.Builder<>();
        n.put(self.value(), self);
        b.put(self.value(), hops(routes.broadcastNextHops(self)));
        for (PeerName p : peers) {
            if (p.isUnknown()) {
                continue;
            }
            n.put(p.value(), p);
            if (!p.equals(self)) {
                PeerName hop = routes.unicastNextHop(p);
                if (hop != null) {
                    u.put(p.value(), hop.value());
                }
                b.put(p.value(), hops(routes.broadcastNextHops(p)));
            }
        }
        return new PeerRoutes(self.value(), u.build(), b.build(), n.build());
    }

    private static long[] hops(List<PeerName> l) {
        if (l.isEmpty()) {
            return NONE;
        }
        long[] a = new long[l.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = l.get(i).value();
        }
        return a;
    }

    public long self() {
        return self;
    }

    /** The neighbour to send a frame for {@code peer} to, or 0 if unreachable. */
    public long nextHop(long peer) {
        Long h = unicast.get(peer);
        return h == null ? 0 : h;
    }

    /** The neighbours a flood that entered the mesh at {@code origin} goes to from here. */
    public long[] broadcastHops(long origin) {
        long[] h = broadcast.get(origin);
        return h == null ? NONE : h;
    }

    /** The {@link PeerName} object of a known peer (no allocation), or null. */
    public PeerName name(long peer) {
        return names.get(peer);
    }
}
