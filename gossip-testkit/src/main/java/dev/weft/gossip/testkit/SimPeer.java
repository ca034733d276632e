package dev.weft.gossip.testkit;

import dev.weft.gossip.api.Environment;
import dev.weft.gossip.api.Mesh;
import dev.weft.gossip.api.MeshConfig;
import dev.weft.gossip.api.PeerName;
import dev.weft.gossip.internal.core.LocalMesh;
import dev.weft.gossip.spi.Overlay;
import java.net.InetSocketAddress;
import java.util.function.UnaryOperator;

/**
 * One simulated router: a {@link Mesh} on its own simulated host. Register channels on {@link
 * #mesh()} and build components with {@link #environment()} (their actors then run in virtual
 * time). After {@link Simulation#restart} a new SimPeer stands for the new incarnation.
 */
public final class SimPeer {

    private final Simulation sim;
    private final LocalMesh mesh;
    private final SimEnvironment env;
    private final SimTransport transport;
    private final String nickname;
    private final UnaryOperator<MeshConfig> config;
    private final Overlay overlay;
    private boolean crashed;

    SimPeer(
            Simulation sim,
            LocalMesh mesh,
            SimEnvironment env,
            SimTransport transport,
            String nickname,
            UnaryOperator<MeshConfig> config,
            Overlay overlay) {
        this.sim = sim;
        this.mesh = mesh;
        this.env = env;
        this.transport = transport;
        this.nickname = nickname;
        this.config = config;
        this.overlay = overlay;
    }

    String nickname() {
        return nickname;
    }

    UnaryOperator<MeshConfig> config() {
        return config;
    }

    Overlay overlay() {
        return overlay;
    }

    /** The mesh of this peer. */
    public Mesh mesh() {
        return mesh;
    }

    LocalMesh localMesh() {
        return mesh;
    }

    SimTransport transport() {
        return transport;
    }

    SimEnvironment env() {
        return env;
    }

    /** Actors, virtual clock and seeded randomness of this host. */
    public Environment environment() {
        return env;
    }

    public PeerName name() {
        return mesh.name();
    }

    /** The mesh address, {@code 10.x.y.z:6783}. */
    public InetSocketAddress address() {
        return transport.address();
    }

    /** True once crashed or stopped. */
    public boolean isDown() {
        return crashed;
    }

    void markDown() {
        crashed = true;
    }

    /** Dials {@code other} (adds it as a direct target). */
    public void connectTo(SimPeer other) {
        mesh.connect(java.util.List.of(dev.weft.gossip.internal.core.PeerAddress.format(other.address())), false);
    }

    /** Messages this peer has sent. */
    public long messagesSent() {
        return mesh.counters().messagesSent();
    }

    @Override
    public String toString() {
        return mesh.name() + "@" + address() + (crashed ? "(down)" : "");
    }

    Simulation simulation() {
        return sim;
    }
}
