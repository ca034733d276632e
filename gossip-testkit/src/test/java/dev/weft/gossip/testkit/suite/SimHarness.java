package dev.weft.gossip.testkit.suite;

import dev.weft.gossip.api.Mesh;
import dev.weft.gossip.api.MeshConfig;
import dev.weft.gossip.api.PeerName;
import dev.weft.gossip.internal.core.PeerAddress;
import dev.weft.gossip.testkit.SimPeer;
import dev.weft.gossip.testkit.Simulation;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/** The behaviour suites on the simulator. */
public final class SimHarness implements MeshHarness {

    final Simulation sim = Simulation.create();

    record SimNode(SimPeer peer) implements Node {
        @Override
        public Mesh mesh() {
            return peer.mesh();
        }

        @Override
        public String address() {
            return PeerAddress.format(peer.address());
        }
    }

    @Override
    public Node add(PeerName name, UnaryOperator<MeshConfig> config) {
        return new SimNode(sim.addPeer(name, config));
    }

    @Override
    public boolean await(BooleanSupplier condition, Duration limit) {
        return sim.runUntil(condition, limit);
    }

    @Override
    public void run(Duration d) {
        sim.advance(d);
    }

    @Override
    public Node restart(Node n) {
        return new SimNode(sim.restart(((SimNode) n).peer(), List.of()));
    }

    @Override
    public long seed() {
        return sim.seed();
    }

    @Override
    public void close() {}
}
