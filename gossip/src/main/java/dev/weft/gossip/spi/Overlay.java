package dev.weft.gossip.spi;

import dev.weft.gossip.api.Mesh;
import java.util.Map;

/**
 * A data plane that carries pod traffic between peers over the mesh's connections (mesh's {@code
 * Overlay}, Weave's {@code NetworkOverlay}). Implemented by the sleeve and fastpath modules, and by
 * the router's overlay switch, which runs several overlays per connection and forwards on the best
 * healthy one. The mesh knows nothing of packets: it prepares one {@link OverlayConnection} per
 * control-plane connection, relays the overlays' control messages over that connection, and marks
 * the connection established when the overlay says so.
 *
 * <p>Threads: {@link #start}, {@link #addFeaturesTo}, {@link #prepareConnection}, {@link
 * #routesChanged} and {@link #stop} are called on the mesh's actor and must not block (hand slow
 * work, e.g. netlink calls, to your own actor). {@link #diagnostics} may be called from any thread.
 */
public interface Overlay {

    /** A short name shown in status, e.g. {@code "sleeve"}, {@code "fastdp"}, {@code "switch"}. */
    String name();

    /**
     * Called once, before any connection is prepared. {@code mesh} gives the local peer's name,
     * {@link Mesh#routes()} (unicast next hop, broadcast next hops per origin) and the environment
     * (actors, clock, randomness) to use.
     */
    void start(Mesh mesh);

    /**
     * Adds this overlay's handshake features (e.g. {@code overlays=fastdp sleeve}). Keys and values
     * are short printable ASCII; the whole feature map is limited (docs/protocol.md).
     */
    void addFeaturesTo(Map<String, String> features);

    /**
     * Prepares the overlay side of a new control-plane connection. The returned connection stays
     * passive until {@link OverlayConnection#confirm()}.
     *
     * @throws OverlayException if this overlay cannot serve the connection (it is then closed with
     *     the reason)
     */
    OverlayConnection prepareConnection(OverlayConnectionParams params) throws OverlayException;

    /**
     * The routes or the set of peers changed (coalesced; call {@link Mesh#routes()} for the new
     * ones). Flush caches such as kernel flows here. Default: nothing.
     */
    default void routesChanged() {}

    /** Overlay-specific state for status and diagnostics (JSON-friendly values). */
    Map<String, Object> diagnostics();

    /** Stops the overlay; every connection is stopped before this is called. Idempotent. */
    void stop();
}
