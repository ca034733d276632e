package dev.weft.sleeve.spi;

import dev.weft.sleeve.api.Frame;
import dev.weft.sleeve.api.Lane;

/**
 * What the data plane does with frames: the router's forwarding (MAC learning, unicast to the
 * owning peer, flooding along the broadcast tree, relaying). Called on the data-plane threads
 * with their own {@link Lane}; must not block and should not allocate. The frame is valid only
 * during the call.
 */
public interface FrameHandler {
    /** A frame captured from the local bridge (the TAP port). Called on the capture thread. */
    void captured(Lane lane, Frame frame);

    /**
     * A frame that arrived from the peer {@code fromPeer} over the overlay.
     *
     * @param srcPeer where the frame entered the mesh
     * @param dstPeer where it leaves the mesh (for a flooded frame: this peer)
     * @param flood whether it is being flooded along {@code srcPeer}'s broadcast tree
     */
    void received(Lane lane, long fromPeer, long srcPeer, long dstPeer, boolean flood, Frame frame);
}
