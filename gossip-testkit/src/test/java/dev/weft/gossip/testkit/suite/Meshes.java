package dev.weft.gossip.testkit.suite;

import dev.weft.gossip.api.MeshStatus;
import dev.weft.gossip.api.PeerInfo;
import dev.weft.gossip.api.Topology;
import java.util.List;
import java.util.Optional;

/** Assertions over a set of nodes, through the public API only. */
final class Meshes {

    private Meshes() {}

    /** Every node knows every other's current record (same UID and version as it has itself). */
    static boolean converged(List<MeshHarness.Node> nodes) {
        Topology[] views = new Topology[nodes.size()];
        PeerInfo[] selves = new PeerInfo[nodes.size()];
        for (int i = 0; i < nodes.size(); i++) {
            views[i] = nodes.get(i).mesh().topology();
            selves[i] = views[i].peer(nodes.get(i).name()).orElseThrow();
        }
        for (int i = 0; i < nodes.size(); i++) {
            for (int j = 0; j < nodes.size(); j++) {
                Optional<PeerInfo> p = views[i].peer(selves[j].name());
                if (p.isEmpty()
                        || !p.get().uid().equals(selves[j].uid())
                        || p.get().version() != selves[j].version()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Every node has an established connection to every other. */
    static boolean fullMesh(List<MeshHarness.Node> nodes) {
        for (MeshHarness.Node n : nodes) {
            MeshStatus s = n.mesh().status();
            long est = s.connections().stream()
                    .filter(c -> c.state() == MeshStatus.ConnectionState.ESTABLISHED)
                    .filter(c -> nodes.stream().anyMatch(o -> o.name().equals(c.peer())))
                    .count();
            if (est != nodes.size() - 1) {
                return false;
            }
        }
        return true;
    }

    static String describe(List<MeshHarness.Node> nodes) {
        StringBuilder sb = new StringBuilder();
        for (MeshHarness.Node n : nodes) {
            MeshStatus s = n.mesh().status();
            sb.append(n.name())
                    .append(": ")
                    .append(s.connections().size())
                    .append(" conns, ")
                    .append(s.peers().size())
                    .append(" peers; ");
        }
        return sb.toString();
    }
}
