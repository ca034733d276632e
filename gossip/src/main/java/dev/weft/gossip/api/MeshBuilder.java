package dev.weft.gossip.api;

import dev.weft.gossip.internal.core.LocalMesh;
import dev.weft.gossip.internal.topology.RecordCache;
import dev.weft.gossip.spi.Membership;
import dev.weft.gossip.spi.NullOverlay;
import dev.weft.gossip.spi.Overlay;
import dev.weft.gossip.spi.Transport;
import java.util.Objects;

/**
 * Builds a {@link Mesh} from its parts: protocol settings, an environment (actors, clock,
 * randomness), a transport, and optionally an overlay and a membership source. The router uses
 * {@code dev.weft.gossip.runtime.MeshRuntime}, which picks the production parts; the simulator
 * ({@code weft-gossip-testkit}) picks simulated ones. Not thread-safe; build once.
 */
public final class MeshBuilder {

    private final MeshConfig config;
    private final Environment environment;
    private final Transport transport;
    private Overlay overlay = new NullOverlay();
    private Membership membership;
    private PeerUid uid;

    /** The required parts. */
    public MeshBuilder(MeshConfig config, Environment environment, Transport transport) {
        this.config = Objects.requireNonNull(config, "config");
        this.environment = Objects.requireNonNull(environment, "environment");
        this.transport = Objects.requireNonNull(transport, "transport");
    }

    /** The data plane to prepare per connection; default {@link NullOverlay}. */
    public MeshBuilder overlay(Overlay overlay) {
        this.overlay = Objects.requireNonNull(overlay, "overlay");
        return this;
    }

    /** Discovery hints (static list, scalecube); default none. */
    public MeshBuilder membership(Membership membership) {
        this.membership = membership;
        return this;
    }

    /** This incarnation's UID; default a fresh random one from the environment. */
    public MeshBuilder uid(PeerUid uid) {
        this.uid = uid;
        return this;
    }

    /** The mesh, not yet started (call {@link Mesh#start()}). */
    public Mesh build() {
        PeerUid u = uid != null ? uid : PeerUid.random(environment.newRandom());
        return new LocalMesh(config, environment, transport, overlay, membership, u, RecordCache.NONE);
    }
}
