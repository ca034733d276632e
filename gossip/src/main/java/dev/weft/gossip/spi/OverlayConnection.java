package dev.weft.gossip.spi;

import dev.weft.gossip.api.PeerName;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * The overlay side of one control-plane connection (mesh's {@code OverlayConnection}, Weave's
 * {@code OverlayForwarder}). Created by {@link Overlay#prepareConnection}; reports progress through
 * the {@link OverlayConnectionParams#events()} it was given.
 */
public interface OverlayConnection {

    /**
     * The mesh accepted the connection (not a duplicate, within the limit): start heartbeats etc.
     * and report {@link OverlayEvents#established()} once the data path works. Mesh actor; must not
     * block. Called at most once.
     */
    void confirm();

    /**
     * A control message from the remote end's overlay connection, sent with its {@link
     * OverlayControlSender}. Called in order on the mesh actor; must not block; {@code message}
     * belongs to the callee.
     */
    void controlMessage(byte[] message);

    /**
     * Sends one Ethernet frame that originated at {@code source} and is destined for {@code
     * destination} (a peer, or {@link PeerName#UNKNOWN} for a broadcast) to this connection's remote
     * peer, the next hop. The data-plane entry point: called on the caller's forwarding thread(s),
     * possibly concurrently with other methods; must not block or allocate per frame. {@code frame}
     * is read from position to limit and belongs to the caller again when this returns.
     *
     * @return false if this connection cannot carry the frame now (not established, too large, on
     *     hold), so the caller can try another overlay or drop it
     */
    boolean forward(PeerName source, PeerName destination, ByteBuffer frame);

    /** Stops the connection and releases its resources. Any thread; idempotent. */
    void stop();

    /** What status shows for it: {@code name} plus attributes such as {@code mtu} and {@code encrypted}. */
    Map<String, String> attrs();
}
